"""Warm rerun time of the race and class gaps page (a benchmark script, not a test).

    python -m bench.bench_gaps [--runs 24]

Runs the whole app through AppTest (the router, the sidebar and the page), primes the caches by
visiting every outcome once, then times reruns after changing the parent percentile, the outcome
and the gender, and after changing nothing (the floor of a rerun of this page). For scale it also
times a rerun of the home page in the same run. Target: median warm rerun under 150 ms.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

from bench.bench_app import ScriptCpu, page_failure
from bench.load import nearest_rank
from explorer import config
from harness.apptest import app_test

PAGE = "pages/gaps.py"
SCRIPT_CPU: ScriptCpu | None = None  # CPU time of the script thread per run: robust when other work shares the cores


def timed(at, cpu: list[float] | None = None) -> float:
    """Wall time of one AppTest run in ms; the script thread's CPU time goes to `cpu`."""
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    failure = page_failure(at)
    if failure:
        raise SystemExit(f"The page failed: {failure}")
    if cpu is not None and SCRIPT_CPU and SCRIPT_CPU.ms:
        cpu.append(SCRIPT_CPU.ms[-1])
    return elapsed * 1000


def summary(name: str, times: list[float]) -> str:
    p95 = nearest_rank(times, 0.95)
    return f"{name:<28} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   (n={len(times)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=24, help="timed reruns per kind (at least 20)")
    runs = max(20, parser.parse_args().runs)

    global SCRIPT_CPU
    SCRIPT_CPU = ScriptCpu()
    at = app_test()
    at.run()  # the router first, as a visitor's first page: AppTest opens a page by file only after it
    at.switch_page(PAGE)
    cold = timed(at)
    outcomes, genders = list(config.NATIONAL_OUTCOMES), list(config.GENDERS)
    for outcome in outcomes:  # prime: every outcome and gender's charts built once
        at.selectbox(key="gap_outcome").set_value(outcome)
        for gender in genders:
            at.radio(key="gap_gender").set_value(gender)
            timed(at)

    kinds = ("percentile", "outcome", "gender", "no change")
    wall: dict[str, list[float]] = {kind: [] for kind in kinds}
    cpu: dict[str, list[float]] = {kind: [] for kind in kinds}
    for index in range(runs):
        at.slider(key="gap_pctile").set_value(1 + (index * 37) % 100)
        wall["percentile"].append(timed(at, cpu["percentile"]))
        at.selectbox(key="gap_outcome").set_value(outcomes[index % len(outcomes)])
        wall["outcome"].append(timed(at, cpu["outcome"]))
        at.radio(key="gap_gender").set_value(genders[index % len(genders)])
        wall["gender"].append(timed(at, cpu["gender"]))
        wall["no change"].append(timed(at, cpu["no change"]))

    home, home_cpu = app_test(), []
    home.run()
    home_wall = [timed(home, home_cpu) for _ in range(runs)]

    print(f"Race and class gaps page through app.py (AppTest); cold first run {cold:.0f} ms; load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("wall time of at.run():")
    for kind in kinds:
        print("  " + summary(f"rerun after {kind}", wall[kind]))
    print("  " + summary("home page rerun (reference)", home_wall))
    print("CPU time of the script thread:")
    for kind in kinds:
        print("  " + summary(f"rerun after {kind}", cpu[kind]))
    print("  " + summary("home page rerun (reference)", home_cpu))
    warm = wall["percentile"] + wall["outcome"]
    print(f"warm rerun after percentile or outcome: median {statistics.median(warm):.1f} ms wall "
          f"(target < 150 ms)")


if __name__ == "__main__":
    main()
