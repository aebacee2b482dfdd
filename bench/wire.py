"""What a visitor downloads and waits for: bytes on the wire per view and interaction, time to the drawn map.

    python -m bench.wire                          # this checkout, directly and through the deploy/ nginx
    python -m bench.wire --baseline DIR           # and another checkout of the app (e.g. a git worktree of
                                                  # an older commit), measured side by side in one run
    python -m bench.wire --rounds 5 --no-nginx
    python -m bench.wire --mbps 10                # the maps' times also through a 10 Mbit/s link

A byte-counting proxy (bench/proxy.py) sits between Chromium and the server, so the counts are what
crosses the wire, compression included, with HTTP (pages, JavaScript, CSS) and the WebSocket (the app's
views) counted apart. Each browser context starts with an empty cache, as a first visit does.

- tour: a first visit of home -> Detroit neighborhood map -> US county map -> race and class gaps ->
  Tulsa profile, by clicking the sidebar as a person does; bytes per view and in all.
- interactions: tract click, outcome and scale switch on the Detroit map, group and gender switch on the
  county map: WebSocket bytes each.
- time to the drawn map: opening a map page's link in a fresh tab, and a county map switch, from the
  click to the first frame drawn on screen after the new map data reached the GPU; and when the page
  is ready for clicks (it answers at once again; switches are timed from there). The frame is found
  with a small hook on WebGL (init script): it records each large buffer upload and each draw call to the
  screen (not to the picking framebuffer); the drawn time is the first screen draw after the last large
  upload, once the page has been quiet for a moment.

With --baseline, both apps run at once on their own ports and every measure alternates between them
(A B A B ...), so the ratio of medians holds when the machine's speed drifts.
Results: bench/results/wire.json. Needs Debian's Chromium (and nginx for the nginx rows).
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from bench.proxy import Bytes, CountingProxy
from harness.browser import (MAP_ELEMENT, chromium_missing_reason, city_picker, expand_sidebar,
                             go_to_page_in_nav, launch, new_tab, wait_for_app)
from harness.pages import PAGES
from harness.server import Server, start_nginx, start_server, stop_nginx, stop_server, wait_for_health

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
QUIET_S = 1.5  # no large upload for this long after a screen draw: the map is drawn
BIG_UPLOAD = 16_000  # bytes: a buffer this large is map data (positions, colours), not a uniform or a cursor

GL_HOOK = """(() => {
  if (window.__glLog) return;
  const log = window.__glLog = {uploads: [], draws: []};
  const now = () => performance.timeOrigin + performance.now();
  const contexts = [window.WebGLRenderingContext, window.WebGL2RenderingContext].filter(Boolean);
  for (const proto of contexts.map(c => c.prototype)) {
    for (const [name, at] of [["bufferData", 1], ["bufferSubData", 2]]) {  // where the data argument is
      const original = proto[name];
      proto[name] = function (...args) {
        const data = args[at];
        if (data && typeof data === "object" && data.byteLength >= %d) log.uploads.push(now());
        return original.apply(this, args);
      };
    }
    for (const name of ["drawArrays", "drawElements", "drawArraysInstanced", "drawElementsInstanced"]) {
      const original = proto[name];
      if (!original) continue;
      proto[name] = function (...args) {
        if (this.getParameter(this.FRAMEBUFFER_BINDING) === null) log.draws.push(now());
        return original.apply(this, args);
      };
    }
  }
})();""" % BIG_UPLOAD


# ---------------------------------------------------------------------------------------------- servers
def start_app(app_dir: Path, log_name: str) -> Server:
    """The app in `app_dir`, started as `make run` starts it (its own .streamlit/config.toml), on loopback."""
    server = start_server(log_path=RESULTS / log_name, app_dir=app_dir)
    wait_for_health(server.base_url, server.process)
    return server


# ------------------------------------------------------------------------------------------------ pages
def fresh_tab(browser, viewport: dict | None = None):
    tab = new_tab(browser, viewport=viewport or {"width": 1440, "height": 900})
    tab.context.add_init_script(GL_HOOK)
    return tab


def gl_events(tab) -> tuple[list[float], list[float]]:
    """Every frame's large uploads and screen draws so far (epoch ms), merged."""
    uploads, draws = [], []
    for frame in tab.frames:
        try:
            log = frame.evaluate("() => window.__glLog || {uploads: [], draws: []}")
        except Exception:  # a frame that went away
            continue
        uploads += log["uploads"]
        draws += log["draws"]
    return sorted(uploads), sorted(draws)


def wait_map_drawn(tab, since_ms: float, timeout_s: float = 60) -> float:
    """Seconds from `since_ms` (epoch ms) to the first screen draw after the last large upload since then."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        time.sleep(0.2)
        uploads, draws = gl_events(tab)
        uploads = [u for u in uploads if u >= since_ms]
        if not uploads:
            continue
        after = [d for d in draws if d >= uploads[-1]]
        if after and time.time() * 1000 - max(uploads[-1], after[0]) > QUIET_S * 1000:
            return (after[0] - since_ms) / 1000
    raise TimeoutError("the map was not drawn")


def wait_idle(tab, since_ms: float, timeout_s: float = 60) -> float:
    """Seconds from `since_ms` until the page answers at once again (a round trip under 50 ms, twice).

    In software WebGL a new map's first frames keep the browser busy for seconds after it is drawn
    (compiling and linking shaders, with pydeck as with the app's own map); a click then waits. This is
    when a visitor can use the map, and where an interaction's timing starts.
    """
    deadline, quick = time.monotonic() + timeout_s, 0
    while time.monotonic() < deadline and quick < 10:  # 10 quick answers in a row: about a second idle
        start = time.monotonic()
        tab.evaluate("1")
        quick = quick + 1 if time.monotonic() - start < 0.05 else 0
        time.sleep(0.05)
    return (time.time() * 1000 - since_ms) / 1000


def settle(tab) -> None:
    wait_for_app(tab)
    time.sleep(0.5)  # the last WebSocket messages (forward messages, page info) after the run


def bytes_of(proxy: CountingProxy, action, tab) -> Bytes:
    """Bytes of every kind that `action` (a click, a navigation) and the page's answer to it move."""
    before = proxy.snapshot()
    action()
    settle(tab)
    return proxy.snapshot() - before


def with_map_drawn(tab, action):
    """`action`, then a wait until the map it brings is drawn (for a step whose bytes include the map's)."""
    def run() -> None:
        since = time.time() * 1000
        action()
        wait_map_drawn(tab, since)
    return run


def nav(tab, title: str) -> None:
    page = next(p for p in PAGES if p.title == title)
    go_to_page_in_nav(tab, page)


def map_canvas(tab):
    """The map on the page: the app's own map (a frame) or, with the street map on, pydeck's canvas."""
    return tab.locator(MAP_ELEMENT).first


# ------------------------------------------------------------------------------------------------ tour
def tour(browser, proxy: CountingProxy) -> dict[str, Bytes]:
    """The first visit, view by view: bytes of each step (all kinds), with an empty browser cache."""
    tab, steps = fresh_tab(browser), {}
    start = proxy.snapshot()
    steps["home"] = bytes_of(proxy, lambda: tab.goto(f"{proxy.base_url}/?city=detroit"), tab)
    for name, action in (("Detroit neighborhood map", with_map_drawn(tab, lambda: nav(tab, "Neighborhood map"))),
                         ("US county map", with_map_drawn(tab, lambda: nav(tab, "US county map"))),
                         ("race and class gaps", lambda: nav(tab, "Race and class gaps")),
                         ("Tulsa profile", lambda: (type_city(tab, "Tulsa"), nav(tab, "City pilot profile")))):
        steps[name] = bytes_of(proxy, action, tab)
    tab.context.close()
    steps["whole tour"] = proxy.snapshot() - start
    return steps


def interactions(browser, proxy: CountingProxy) -> dict[str, Bytes]:
    """WebSocket bytes of each main interaction of the two map pages (the view's own bytes first)."""
    tab, sizes = fresh_tab(browser), {}
    tab.goto(f"{proxy.base_url}/?city=detroit")
    wait_for_app(tab)
    sizes["Detroit map view"] = bytes_of(proxy, lambda: nav(tab, "Neighborhood map"), tab)
    wait_map_drawn(tab, 0)
    box = map_canvas(tab).bounding_box()
    for index, (dx, dy) in enumerate(((0.5, 0.5), (0.45, 0.55))):
        sizes[f"tract click {index + 1}"] = bytes_of(
            proxy, lambda dx=dx, dy=dy: tab.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy), tab)
    sizes["outcome switch"] = bytes_of(proxy, lambda: pick_option(tab, "Outcome", 1), tab)
    sizes["scale switch"] = bytes_of(proxy, lambda: tab.get_by_text("Within this area", exact=True).click(), tab)
    sizes["US county map view"] = bytes_of(proxy, lambda: nav(tab, "US county map"), tab)
    sizes["county group switch"] = bytes_of(proxy, lambda: pick_option(tab, "Children's group", 1), tab)
    sizes["county gender switch"] = bytes_of(proxy, lambda: tab.get_by_text("Women", exact=True).click(), tab)
    tab.context.close()
    return sizes


def type_city(tab, label: str) -> None:
    """Pick a city by typing into the sidebar picker (its long option list is drawn only in part)."""
    expand_sidebar(tab)
    city_picker(tab).click()
    tab.keyboard.type(label)
    tab.keyboard.press("Enter")
    wait_for_app(tab)


def pick_option(tab, label: str, index: int) -> None:
    tab.get_by_role("combobox", name=label).click()
    tab.get_by_role("option").nth(index).click()


def time_to_drawn(browser, base_url: str) -> dict[str, float]:
    """Seconds to the drawn map: a map page's link opened in a fresh tab (first visit), and a county switch."""
    times = {}
    for name, path in (("Detroit map, link opened", "neighborhoods?city=detroit"),
                       ("US county map, link opened", "us-counties")):
        tab = fresh_tab(browser)
        since = time.time() * 1000
        tab.goto(f"{base_url}/{path}")
        times[name] = wait_map_drawn(tab, since)
        times[name.replace("link opened", "ready for clicks")] = wait_idle(tab, since)
        if name.startswith("US"):
            since = time.time() * 1000
            tab.get_by_text("Women", exact=True).click()
            times["US county map, gender switch"] = wait_map_drawn(tab, since)
            wait_idle(tab, since)
            since = time.time() * 1000
            pick_option(tab, "Children's group", 1)
            times["US county map, group switch"] = wait_map_drawn(tab, since)
        tab.context.close()
    return times


def warm(browser, base_url: str) -> None:
    """Every map page once, so the server's caches are warm (later visitors are timed, not the first)."""
    tab = fresh_tab(browser)
    for path in ("", "neighborhoods?city=detroit", "us-counties", "race-class-gaps", "pilot?city=tulsa"):
        tab.goto(f"{base_url}/{path}")
        wait_for_app(tab)
    tab.context.close()


# ----------------------------------------------------------------------------------------------- report
def kb(value: int) -> str:
    return f"{value / 1000:,.0f} KB"


def describe(sizes: dict[str, Bytes], ws_only: bool = False) -> dict[str, str]:
    if ws_only:
        return {name: kb(b.ws_down + b.ws_up) for name, b in sizes.items()}
    return {name: f"{kb(b.total)} (HTTP {kb(b.http_down + b.http_up)}, WebSocket {kb(b.ws_down + b.ws_up)})"
            for name, b in sizes.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="another checkout of the app to measure side by side")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of each time-to-drawn measure")
    parser.add_argument("--no-nginx", action="store_true", help="skip the rows through the deploy/ nginx")
    parser.add_argument("--times-only", action="store_true", help="skip the byte counts (tour, interactions)")
    parser.add_argument("--mbps", type=float, default=0,
                        help="also time the maps through a link of this speed (e.g. 10: a busy venue Wi-Fi)")
    arguments = parser.parse_args()
    reason = chromium_missing_reason()
    if reason:
        raise SystemExit(f"skipped: {reason}")
    from playwright.sync_api import sync_playwright
    RESULTS.mkdir(parents=True, exist_ok=True)
    apps = {"this checkout": ROOT, **({"baseline": arguments.baseline.resolve()} if arguments.baseline else {})}
    servers = {name: start_app(path, f"wire-{index}.log") for index, (name, path) in enumerate(apps.items())}
    run_dir = Path(tempfile.mkdtemp(prefix="wire-nginx-"))
    report: dict = {}
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for name, server in servers.items():
                warm(browser, server.base_url)
                if arguments.times_only:
                    continue
                port = int(server.base_url.rsplit(":", 1)[1])
                with CountingProxy("127.0.0.1", port) as proxy:
                    report[f"{name}: direct, first-visit tour"] = describe(tour(browser, proxy))
                    report[f"{name}: direct, WebSocket bytes"] = describe(interactions(browser, proxy), True)
                nginx_port = None if arguments.no_nginx else start_nginx(apps[name], port, run_dir / name.replace(" ", "-"))
                if nginx_port:
                    try:
                        with CountingProxy("127.0.0.1", nginx_port) as proxy:
                            report[f"{name}: through nginx, first-visit tour"] = describe(tour(browser, proxy))
                    finally:
                        stop_nginx(run_dir / name.replace(" ", "-"))
                print(json.dumps({k: v for k, v in report.items() if k.startswith(name)}, indent=1), flush=True)
            times: dict[str, dict[str, list[float]]] = {name: {} for name in servers}
            links = [0.0] + ([arguments.mbps] if arguments.mbps else [])
            for _ in range(arguments.rounds):
                for name, server in servers.items():
                    for mbps in links:
                        port = int(server.base_url.rsplit(":", 1)[1])
                        with CountingProxy("127.0.0.1", port, mbps=mbps) as proxy:
                            suffix = f" ({mbps:g} Mbit/s link)" if mbps else ""
                            for measure, seconds in time_to_drawn(browser, proxy.base_url).items():
                                times[name].setdefault(measure + suffix, []).append(seconds)
            browser.close()
    finally:
        for server in servers.values():
            stop_server(server)
    for name, measures in times.items():
        report[f"{name}: seconds to the drawn map (median of {arguments.rounds})"] = {
            measure: f"{statistics.median(v):.2f} s (" + ", ".join(f"{s:.2f}" for s in v) + ")"
            for measure, v in measures.items()}
    if len(servers) == 2:
        report["this checkout / baseline (ratio of medians)"] = {
            measure: f"{statistics.median(times['this checkout'][measure]) / statistics.median(v):.2f}"
            for measure, v in times["baseline"].items()}
    (RESULTS / "wire.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
