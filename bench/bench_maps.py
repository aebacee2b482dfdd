"""Map payloads and build times (a benchmark script, not a test).

    python -m bench.bench_maps [--runs 24]

Prints:
- the JSON payload of the Wayne County (Detroit) tract map and of the national county map, as sent
  to the browser (`deck.to_json()`); bars: under 150 KB and under 1.5 MB;
- the warm build time of the Detroit deck (build + JSON, inputs cached as on the page), median of
  --runs runs, wall clock and CPU time of this thread; bar: under 50 ms;
- the warm rerun of the neighborhood map page after changing the metric (AppTest through app.py,
  caches primed), median wall and script-thread CPU; bar: under 150 ms.
CPU time is printed beside wall time because other work may share the cores.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pandas as pd

from explorer import config
from explorer.data import store
from explorer.maps import county_map, deckgl, scales, tract_map

METRIC = "household_income_p25"


def timed(function, runs: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of `function()` over `runs` calls."""
    wall, cpu = [], []
    for _ in range(runs):
        start_wall, start_cpu = time.perf_counter(), time.thread_time()
        function()
        wall.append((time.perf_counter() - start_wall) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def detroit_inputs(data_dir: Path):
    """The page's cached inputs, read once (as the data layer caches them)."""
    study = store.study_tracts("detroit", data_dir)
    shapes = deckgl.quantize_shapes(store.tract_geometries("detroit", data_dir))
    scale = scales.tract_scale(METRIC, "national", store.read_table("tracts", data_dir), study)
    outlines = [store.outline("county", f, data_dir) for f in store.study_counties("detroit", data_dir)["county_fips"]]
    return study, shapes, store.outline("city", "detroit", data_dir), outlines, scale


def national_deck(data_dir: Path):
    study = pd.concat([store.study_counties(c, data_dir) for c in config.CITIES])
    return county_map.national_county_deck(store.read_table("counties", data_dir),
                                     store.read_table("national_counties", data_dir),
                                     store.national_county_geometries(data_dir), study)


def page_rerun(runs: int) -> tuple[float, float]:
    """Warm rerun of the map page after switching the metric (alternating), through AppTest."""
    from bench.bench_app import ScriptCpu, page_failure
    from harness.apptest import app_test
    cpu_ms = ScriptCpu().ms
    at = app_test()
    at.session_state["city"] = "detroit"
    at.run()  # the router's first run: AppTest opens a page by file only once the router has registered it
    at.switch_page("pages/maps.py")
    at.run()
    for metric_id in (*config.TRACT_METRICS, METRIC):  # prime every cache
        at.selectbox(key="map_metric").set_value(metric_id).run()
    wall = []
    cpu_ms.clear()
    for index in range(runs):
        at.selectbox(key="map_metric").set_value(config.TRACT_METRICS[index % 2])
        start = time.perf_counter()
        at.run()
        wall.append((time.perf_counter() - start) * 1000)
        failure = page_failure(at)
        if failure:
            raise SystemExit(f"The map page failed: {failure}")
    return statistics.median(wall), statistics.median(cpu_ms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=24)
    runs = max(parser.parse_args().runs, 20)
    data_dir = config.processed_dir()
    study, shapes, boundary, outlines, scale = detroit_inputs(data_dir)

    def build() -> str:
        return tract_map.city_tract_deck(study, shapes, boundary, outlines, METRIC, scale).to_json()

    wayne = len(build().encode())
    build_wall, build_cpu = timed(build, runs)
    national = national_deck(data_dir)
    national_bytes = len(national.to_json().encode())
    national_wall, national_cpu = timed(lambda: national_deck(data_dir).to_json(), max(runs // 4, 5))
    rerun_wall, rerun_cpu = page_rerun(runs)
    print(f"Wayne County tract map payload:      {wayne:>9,} bytes  (bar 150,000)")
    print(f"National county map payload:         {national_bytes:>9,} bytes  (bar 1,500,000)")
    print(f"Detroit deck warm build + JSON:      {build_wall:7.1f} ms wall, {build_cpu:6.1f} ms CPU  "
          f"(median of {runs}; bar 50 ms)")
    print(f"National deck build + JSON (uncached): {national_wall:5.1f} ms wall, {national_cpu:6.1f} ms CPU  "
          "(the page caches one deck per choice)")
    print(f"Map page warm rerun, metric changed: {rerun_wall:7.1f} ms wall, {rerun_cpu:6.1f} ms CPU  "
          f"(median of {runs}; bar 150 ms)")


if __name__ == "__main__":
    main()
