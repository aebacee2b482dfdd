"""The whole app against the speed bars of the design brief (a benchmark script, not a test).

    python -m bench.bench_app                 # everything, about 10 minutes on 2 cores
    python -m bench.bench_app --only reruns   # one part: data, payload, reruns, languages, browser, load
    python -m bench.bench_app --runs 30 --sessions 20 --duration 60

Prints one table (and writes it as JSON to bench/results/bench_app.json):
- data: reading every processed table vs reading the raw CSV/GeoJSON files they come from, same run (ratio);
- payload: tract map JSON bytes per city (largest: Detroit = Wayne County) and of the national county map,
  as sent to the browser, plus the warm build time of the Wayne map (median of --runs);
- reruns: warm server-side rerun of every page in explorer.registry and of its main interactions (AppTest through
  app.py, caches primed first): median and p95 of wall time and of the script thread's CPU time over
  --runs runs (CPU time is robust when other work shares the cores);
- languages: every page's warm rerun in English and in Spanish, alternating in one run (CPU medians, ratio);
- browser: cold start (process start to the home page drawn in Chromium with its nine city cards, checked on
  every animation frame; median of --cold-runs fresh servers), then the server's peak RSS after visiting every page for every city;
- load: --sessions concurrent visitors clicking through pages and cities for --duration seconds on that
  server, twice: speaking Streamlit's protocol (bench/load.py: the server's work per click without drawing;
  the bar's measure) and as Chromium sessions (time to the drawn page; the tabs share the server's cores,
  so the run also reports how the machine's CPU split between server and browsers); errors; peak RSS.
The browser parts need Debian's Chromium at /usr/bin/chromium and are skipped, with a note, without it.
The load generator and the server share this machine's cores, so load numbers are pessimistic.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from explorer import config, i18n
from explorer.data import store
from harness.browser import chromium_missing_reason, launch, new_tab, open_page, wait_for_app_drawn
from harness.pages import PAGES
from harness.server import Server, start_server, stop_server, wait_for_health

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
MAP_METRIC = "household_income_p25"


@dataclass
class Row:
    part: str
    measure: str
    value: str
    bar: str = ""
    ok: bool | None = None  # None: no bar for this line


def median_p95(values: list[float]) -> tuple[float, float]:
    from bench.load import nearest_rank
    return statistics.median(values), nearest_rank(values, 0.95)


def timed_ms(function, runs: int, cpu: list[float] | None = None) -> list[float]:
    """Wall milliseconds of each call; this thread's CPU milliseconds go to `cpu` when given."""
    times = []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.thread_time()
        function()
        times.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.thread_time() - start_cpu) * 1000)
    return times


# ------------------------------------------------------------------------------------------------- data
def read_raw_file(path: Path) -> None:
    if path.suffix == ".csv":
        pd.read_csv(path, encoding="utf-8-sig", low_memory=False)
    else:
        json.loads(path.read_text(encoding="utf-8"))


def data_load(runs: int = 3) -> list[Row]:
    """Every processed table vs every raw file the build reads, interleaved in one run."""
    processed_dir = config.processed_dir()
    raw_files = [*config.RAW_FILES.values(), *config.STATE_TRACT_FILES.values()]

    def processed() -> None:
        for name in config.PROCESSED_FILES:
            store.read_table(name, processed_dir)

    def raw() -> None:
        for path in raw_files:
            read_raw_file(path)

    processed_ms, raw_ms = [], []
    for _ in range(runs):
        processed_ms += timed_ms(processed, 1)
        raw_ms += timed_ms(raw, 1)
    fast, slow = statistics.median(processed_ms), statistics.median(raw_ms)
    return [Row("data", f"read all {len(config.PROCESSED_FILES)} processed tables", f"{fast:.0f} ms"),
            Row("data", f"read the {len(raw_files)} raw CSV/GeoJSON files", f"{slow:.0f} ms"),
            Row("data", "raw read / processed read (same run)", f"{slow / fast:.1f}x faster processed")]


# ---------------------------------------------------------------------------------------------- payload
def city_deck_json(city_id: str, tracts: pd.DataFrame) -> tuple[str, callable]:
    """The neighborhood map's deck for a city as the page builds it (inputs read once, as cached)."""
    from explorer.maps import deckgl, scales, tract_map
    data_dir = config.processed_dir()
    study = store.study_tracts(city_id, data_dir)
    shapes = deckgl.quantize_shapes(store.tract_geometries(city_id, data_dir))
    scale = scales.tract_scale(MAP_METRIC, "national", tracts, study)
    outlines = [store.outline("county", f, data_dir) for f in store.study_counties(city_id, data_dir)["county_fips"]]
    boundary = store.outline("city", city_id, data_dir)

    def build() -> str:
        return tract_map.city_tract_deck(study, shapes, boundary, outlines, MAP_METRIC, scale).to_json()
    return build(), build


def payloads(runs: int) -> list[Row]:
    from explorer.maps import county_map
    data_dir = config.processed_dir()
    tracts = store.read_table("tracts", data_dir)
    rows, builders = [], {}
    for city in config.CITIES.values():
        text, builders[city.id] = city_deck_json(city.id, tracts)
        size, zipped = len(text.encode()), len(gzip.compress(text.encode()))
        largest = city.id == "detroit"
        rows.append(Row("payload", f"tract map {city.label}", f"{size / 1000:.0f} KB ({zipped / 1000:.0f} KB gzip)",
                        "< 150 KB" if largest else "", size < 150_000 if largest else None))
    build_cpu: list[float] = []
    median, p95 = median_p95(timed_ms(builders["detroit"], runs, build_cpu))
    rows.append(Row("payload", "Wayne map warm build + JSON",
                    f"median {median:.0f} ms, p95 {p95:.0f} ms (CPU median {statistics.median(build_cpu):.0f} ms)",
                    "< 50 ms", median < 50))
    study = pd.concat([store.study_counties(c, data_dir) for c in config.CITIES])
    national = county_map.national_county_deck(store.read_table("counties", data_dir),
                                         store.read_table("national_counties", data_dir),
                                         store.national_county_geometries(data_dir), study).to_json().encode()
    rows.append(Row("payload", "national county map", f"{len(national) / 1000:.0f} KB "
                    f"({len(gzip.compress(national)) / 1000:.0f} KB gzip; one cached deck per choice)"))
    return rows


# ---------------------------------------------------------------------------------------------- reruns
# The main interactions of each page: (what a person does, widget key, values cycled through).
# Every page also gets "city" (the sidebar picker) and "rerun, nothing changed".
def page_interactions() -> dict[str, list[tuple[str, str, list]]]:
    from explorer import pilots
    from explorer.maps import county_map, scales
    return {
        "pages/maps.py": [("outcome", "map_metric", list(config.TRACT_METRICS)),
                          ("colour scale", "map_scale", list(scales.SCALES))],
        "pages/county_map.py": [("group", "county_group", list(county_map.COUNTY_GROUPS)),
                                ("gender", "county_gender", list(config.GENDERS))],
        "pages/gaps.py": [("outcome", "gap_outcome", list(config.NATIONAL_OUTCOMES)),
                          ("gender", "gap_gender", list(config.GENDERS)),
                          ("parent percentile", "gap_pctile", [10, 25, 50, 75, 90])],
        "pages/compare.py": [("highest first", "compare_descending", [False, True])],
        "pages/what_works.py": [("theme", "works_theme", list(pilots.theme_ids()))],
    }


class ScriptCpu:
    """Records the CPU time of each script run's thread (bench only: wraps Streamlit's runner entry point)."""

    def __init__(self):
        from streamlit.runtime.scriptrunner import script_runner
        self.ms: list[float] = []
        original = script_runner.exec_func_with_error_handling

        def counted(func, ctx):
            start = time.thread_time()
            try:
                return original(func, ctx)
            finally:
                self.ms.append((time.thread_time() - start) * 1000)
        script_runner.exec_func_with_error_handling = counted


def page_failure(at) -> str | None:
    """What went wrong in the AppTest's last run, as a visitor sees it, or None: an exception box, or an
    error box (the app's own message for a part that failed; the benchmark runs the app as deployed,
    without the tests' EXPLORER_RAISE, so an unexpected error shows as that message)."""
    if at.exception:
        return at.exception[0].message
    if at.error:
        return at.error[0].value
    return None


def run_checked(at) -> float:
    """Wall milliseconds of one run; a broken page fails the benchmark instead of being timed."""
    start = time.perf_counter()
    at.run()
    elapsed = (time.perf_counter() - start) * 1000
    failure = page_failure(at)
    if failure:
        raise SystemExit(f"a page failed during the benchmark: {failure}")
    return elapsed


def time_interaction(at, cpu: ScriptCpu, key: str | None, values: list, runs: int) -> tuple[list, list]:
    """Prime every value once, then time `runs` reruns that each change the widget to the next value."""
    for value in values:
        at.session_state[key] = value
        run_checked(at)
    wall, cpu_ms = [], []
    for index in range(runs):
        if key is not None:
            at.session_state[key] = values[index % len(values)]
        wall.append(run_checked(at))
        cpu_ms.append(cpu.ms[-1])
    return wall, cpu_ms


def reruns(runs: int) -> list[Row]:
    from harness.apptest import app_test
    cpu = ScriptCpu()
    interactions = page_interactions()
    cities = list(config.CITIES)
    rows = []
    for app_page in PAGES:
        at = app_test(timeout=120)
        at.session_state["city"] = config.DEFAULT_CITY
        run_checked(at)
        at.switch_page(app_page.file)
        run_checked(at)
        choices = [("rerun, nothing changed", None, []), ("city", "city", cities[1:] + cities[:1]),
                   *[(name, key, values) for name, key, values in interactions.get(app_page.file, []) if values]]
        for name, key, values in choices:
            wall, cpu_ms = time_interaction(at, cpu, key, values, runs)
            median, p95 = median_p95(wall)
            cpu_median, _ = median_p95(cpu_ms)
            rows.append(Row("reruns", f"{app_page.title}: {name}",
                            f"median {median:.0f} ms, p95 {p95:.0f} ms (CPU median {cpu_median:.0f} ms)",
                            "median < 150 ms", median < 150))
    return rows


def language_reruns(runs: int) -> list[Row]:
    """Each page's warm rerun in English and in Spanish, alternating (en, es, en, es ...) in one run so the
    ratio holds when the machine's speed drifts: script-thread CPU medians and their ratio (bar: Spanish no
    slower than English, within the noise of 10%)."""
    from harness.apptest import app_test
    cpu = ScriptCpu()
    rows = []
    for app_page in PAGES:
        sessions = {}
        for lang in ("en", "es"):
            with i18n.speaking(lang):  # AppTest reads a run's options back in the calling thread's language
                at = app_test(timeout=120)
                at.session_state["city"] = config.DEFAULT_CITY
                at.query_params["lang"] = lang
                run_checked(at)
                at.switch_page(app_page.file)
                run_checked(at)
                run_checked(at)
            sessions[lang] = at
        times: dict[str, list[float]] = {"en": [], "es": []}
        for _ in range(runs):
            for lang, at in sessions.items():
                with i18n.speaking(lang):
                    run_checked(at)
                times[lang].append(cpu.ms[-1])
        english, spanish = statistics.median(times["en"]), statistics.median(times["es"])
        ratio = spanish / english if english else float("nan")
        rows.append(Row("languages", f"{app_page.title}: warm rerun, English vs Spanish",
                        f"CPU median {english:.0f} ms vs {spanish:.0f} ms (x{ratio:.2f})", "Spanish <= x1.10",
                        ratio <= 1.10))
    return rows


# --------------------------------------------------------------------------------------------- browser
def peak_rss_mb(pid: int) -> tuple[float, float]:
    """(peak, current) resident memory of a process in MB, from /proc (VmHWM is the kernel's high-water mark)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024


def protocol_load(server: Server, sessions: int, duration: float) -> list[Row]:
    """The same room of visitors speaking Streamlit's protocol (bench/load.py): the server does exactly the
    work a browser asks of it, while drawing the pages costs this machine nothing. This is the bar's
    measure of the server; the browser run after it shows what 20 Chromium tabs on the same cores add."""
    import asyncio

    from bench import load
    arguments = load.parse_args(["--url", server.base_url, "--sessions", str(sessions),
                                 "--seconds", str(duration), "--pid", str(server.process.pid)])
    summary = asyncio.run(load.run(arguments))
    times = summary["time_to_render_all"]
    return [
        Row("load", f"{sessions} protocol sessions x {duration:.0f} s (bench/load.py), clicks",
            f"{summary['clicks']} clicks, {summary['server_cpu_ms_per_click']} ms server CPU per click"),
        Row("load", "protocol: time from click to the server's finished render",
            f"p50 {times['p50_ms'] / 1000:.2f} s, p95 {times['p95_ms'] / 1000:.2f} s", "p95 < 2 s",
            times["p95_ms"] < 2000),
        Row("load", "protocol: errors", f"{summary['errors']}" + (
            f" (first: {summary['first_errors'][0]})" if summary["first_errors"] else ""), "0", not summary["errors"]),
    ]


def machine_busy_seconds() -> float:
    """CPU seconds all cores have spent busy since boot (/proc/stat: everything but idle and iowait)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cold_start(browser, log_dir: Path, index: int) -> tuple[float, Server]:
    """Seconds from launching `streamlit run` to the home page rendered in the browser."""
    start = time.monotonic()
    server = start_server(log_path=log_dir / f"server-{index}.log")
    try:
        wait_for_health(server.base_url, server.process)
        tab = new_tab(browser)
        tab.goto(server.base_url + "/")
        # drawn = the run finished and all nine city cards are on screen, checked on every animation frame
        wait_for_app_drawn(tab, '[data-testid="stMetric"]', len(config.CITIES))
    except BaseException:  # never leave a server behind
        stop_server(server)
        raise
    elapsed = time.monotonic() - start
    tab.context.close()
    return elapsed, server


def browser_parts(cold_runs: int, sessions: int, duration: float, do_sweep: bool, do_load: bool) -> list[Row]:
    reason = chromium_missing_reason()
    if reason:
        return [Row("browser", "cold start, memory and load", f"skipped: {reason}")]
    from playwright.sync_api import sync_playwright
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows, starts, server = [], [], None
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for index in range(cold_runs):
            if server is not None:
                stop_server(server)
            seconds, server = cold_start(browser, RESULTS, index)
            starts.append(seconds)
        median = statistics.median(starts)
        rows.append(Row("browser", f"cold start to rendered home page ({cold_runs} fresh servers)",
                        f"median {median:.2f} s (" + ", ".join(f"{s:.2f}" for s in starts) + ")",
                        "< 3 s", median < 3))
        tab = new_tab(browser)
        visits = 0
        for city in config.CITIES if do_sweep else ():
            for app_page in PAGES:
                open_page(tab, server, app_page, city=city)
                visits += 1
        tab.context.close()
        browser.close()
    if do_sweep:
        peak, now = peak_rss_mb(server.process.pid)
        rows.append(Row("browser", f"server RSS after {visits} page visits (every page x every city)",
                        f"peak {peak:.0f} MB, now {now:.0f} MB", "< 400 MB", peak < 400))
    try:
        if do_load:
            rows += protocol_load(server, sessions, duration)
            from bench.browser_load import run_load
            from bench.load import cpu_seconds
            machine_before, server_before = machine_busy_seconds(), cpu_seconds([server.process.pid])
            result = run_load(server.base_url, sessions=sessions, duration_s=duration)
            machine_busy = machine_busy_seconds() - machine_before
            server_cpu = cpu_seconds([server.process.pid]) - server_before
            rows.append(Row("load", f"{sessions} browser sessions x {duration:.0f} s, clicks",
                            f"{len(result.render_s)} clicks ({len(result.render_s) / duration:.1f}/s)"))
            rows.append(Row("load", "browsers: time from click to drawn page (the tabs share these cores)",
                            f"p50 {result.percentile(0.5):.2f} s, p95 {result.percentile(0.95):.2f} s"))
            rows.append(Row("load", "where the machine's CPU went (sessions opening included)",
                            f"server {server_cpu:.0f} s, browsers and driver {machine_busy - server_cpu:.0f} s "
                            f"of {machine_busy:.0f} s busy ({server_cpu / max(machine_busy, 1e-9):.0%} server)"))
            rows.append(Row("load", "errors", f"{len(result.errors)}" + (f" (first: {result.errors[0]})"
                                                                         if result.errors else ""),
                            "0", not result.errors))
            peak, now = peak_rss_mb(server.process.pid)
            rows.append(Row("load", "server RSS after the load", f"peak {peak:.0f} MB, now {now:.0f} MB",
                            "< 400 MB", peak < 400))
    finally:
        stop_server(server)
    return rows


# ----------------------------------------------------------------------------------------------- report
def print_table(rows: list[Row]) -> None:
    width = max(len(r.measure) for r in rows)
    value_width = min(max(len(r.value) for r in rows), 70)
    print(f"{'part':8} {'measure':{width}}  {'value':{value_width}}  {'bar':16} ok")
    for row in rows:
        mark = "" if row.ok is None else ("yes" if row.ok else "NO")
        print(f"{row.part:8} {row.measure:{width}}  {row.value:{value_width}}  {row.bar:16} {mark}")


PARTS = ("data", "payload", "reruns", "languages", "browser", "load")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=PARTS, action="append", help="run only these parts (repeatable)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per rerun measure (at least 20)")
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    arguments = parser.parse_args()
    parts, runs = set(arguments.only or PARTS), max(arguments.runs, 20)
    rows: list[Row] = []
    RESULTS.mkdir(parents=True, exist_ok=True)

    def report(new_rows: list[Row]) -> None:  # each part as it finishes: a long run shows progress
        rows.extend(new_rows)
        for row in new_rows:
            print(f"  {row.part}: {row.measure}: {row.value}", flush=True)
        (RESULTS / "bench_app.json").write_text(json.dumps([asdict(r) for r in rows], indent=1))

    if "data" in parts:
        report(data_load())
    if "payload" in parts:
        report(payloads(runs))
    if "reruns" in parts:
        report(reruns(runs))
    if "languages" in parts:
        report(language_reruns(runs))
    if parts & {"browser", "load"}:
        report(browser_parts(arguments.cold_runs, arguments.sessions, arguments.duration,
                             "browser" in parts, "load" in parts))
    print()
    print_table(rows)


if __name__ == "__main__":
    main()
