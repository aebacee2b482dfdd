"""How long the data-walk kit of the example walk (11 views) takes to build, and what a build costs the
other visitors (a benchmark script, not a test).

    python -m bench.bench_kit [--runs 5] [--reruns 24]

- first build: the posters' figures drawn (maps as polygons, charts through vl-convert) and the PDF laid out,
  as for the first facilitator who clicks after a start (wall time and this thread's CPU time);
- again: a later click, with the figures kept by the data layer (cache), so only the PDF is laid
  out; median of --runs;
- the other visitors: warm reruns of the neighborhood map (a switch of outcome, through app.py, AppTest) with
  no kit being built, then while another thread builds kits back to back, as Streamlit builds a download
  on click (in a worker thread, never in a visitor's rerun); median and p95 of --reruns each.
"""
from __future__ import annotations

import argparse
import logging
import os
import statistics
import threading
import time

from bench.bench_gaps import summary, timed
from explorer import config, views, walk_kit
from explorer.data import cache
from harness.apptest import app_test

ROOT = "https://explorer.example.org"


def build(walk: views.ViewsFile) -> tuple[float, float, int]:
    """Wall ms, thread CPU ms and bytes of one kit build."""
    start, cpu = time.perf_counter(), time.thread_time()
    pdf = walk_kit.kit_pdf(walk, walk_kit.posters(walk, ROOT, cache))
    return (time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000, len(pdf)


def reruns(at, count: int) -> list[float]:
    metrics = list(config.TRACT_METRICS)
    times = []
    for index in range(count):
        at.selectbox(key="map_metric").set_value(metrics[index % len(metrics)])
        times.append(timed(at))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed builds after the first")
    parser.add_argument("--reruns", type=int, default=24, help="timed reruns of the map, with and without a build")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the data layer's caches, used outside a session, warn on first use

    walk = views.load()
    first_wall, first_cpu, size = build(walk)
    again = [build(walk) for _ in range(args.runs)]
    cache.kit_pdf(walk, ROOT, views.STATION_MINUTES)  # what the panel's button calls: the whole kit kept
    start = time.perf_counter()
    cache.kit_pdf(walk, ROOT, views.STATION_MINUTES)
    clicked = (time.perf_counter() - start) * 1000

    at = app_test()
    at.run()
    at.switch_page("pages/maps.py")
    timed(at)
    reruns(at, len(config.TRACT_METRICS))  # prime every outcome's map
    alone = reruns(at, args.reruns)
    stop, builds = threading.Event(), []

    def keep_building() -> None:
        while not stop.is_set():
            builds.append(build(walk)[0])
    worker = threading.Thread(target=keep_building, daemon=True)
    worker.start()
    during = reruns(at, args.reruns)
    stop.set()
    worker.join()

    print(f"Data-walk kit of the example walk ({len(walk.views)} views, {len(walk.views) + 1} pages, "
          f"{size / 1e6:.2f} MB); load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"  first build (figures drawn)    {first_wall:7.0f} ms wall   {first_cpu:7.0f} ms CPU")
    print(f"  again (figures kept), median   {statistics.median(w for w, _, _ in again):7.0f} ms wall   "
          f"{statistics.median(c for _, c, _ in again):7.0f} ms CPU   (n={len(again)})")
    print(f"  the same kit clicked again     {clicked:7.1f} ms wall   (cache.kit_pdf: the kit is kept whole)")
    print("Another visitor's rerun of the neighborhood map (outcome switch):")
    print("  " + summary("no kit being built", alone))
    print("  " + summary(f"while kits build ({len(builds)})", during))
    print(f"  ratio of medians {statistics.median(during) / statistics.median(alone):.2f}")


if __name__ == "__main__":
    main()
