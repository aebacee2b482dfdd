"""Benchmarks and load scripts: speed is measured here (the tests never assert it).

Run each from the repository root as a module, e.g. `python -m bench.bench_app` (bench/README.md lists
them); they import the app (explorer) and the helpers that drive it (harness), never tests/.
"""
