"""Load test: a room of visitors clicking through the app at once, against a server on this machine.

    python -m bench.load                                   # 20 visitors for 300 s on http://127.0.0.1:8501
    python -m bench.load --url http://127.0.0.1:8080 --server-ports 8601,8602 --sessions 20 --seconds 300

Each simulated visitor does what a person at the convening does: opens the link (GET /, which also
picks up the reverse proxy's sticky cookie), opens the app's live connection (the WebSocket at
/_stcore/stream), lands on the home page for a random city, opens three more pages in a random
order (--pages-per-visit), switches the city in the sidebar on one of them, clicks --map-clicks tracts
on the neighborhood map when it is among them (each a partial rerun of the map's part, as the browser
sends it: the component's new selection and the part's fragment id), waits 0.5-2 s between
clicks, then leaves; a new visitor takes its place until the time is up. The driver speaks Streamlit's own protocol (the protobuf
messages a browser sends), so the server does exactly the work it does for a browser while this
machine's two cores stay free for the server. `--driver browser` runs the benchmark's real
Chromium sessions instead (bench/browser_load.py, which also waits for the browser to draw), in
rounds of fresh sessions so that memory after 200 sessions can still be read.

Reported: clicks and errors (exceptions, st.error boxes, "page not found", timeouts, dropped
connections: must be 0), time to render per click (from sending the click to the server's "script
finished": p50/p95/max, all clicks and warm clicks after the first 20 visitors), the server's CPU
time per click (what the app costs, whatever else the machine is doing; per page with --sessions 1),
and the resident memory (RSS, read from /proc) of the server process(es) after 20 and after 200
finished visitors and at the end, plus optionally after an idle wait (`--settle`, longer than the
server's disconnectedSessionTTL of 120 s, to see per-session data released). Bounded: at most 200 visitors
at once and one hour; refuses any host but 127.0.0.1/localhost.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import statistics
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

from explorer import config

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
MAX_SESSIONS, MAX_SECONDS = 200, 3600
CLICK_TIMEOUT = 30.0          # a click with no "script finished" after this long counts as an error
RSS_MILESTONES = (20, 200)    # finished visitors at which server memory is recorded
CITY_SELECTBOX_KEY = "-city"  # the sidebar picker's widget id ends with its key


MAP_PAGE = "neighborhoods"    # the page whose map --map-clicks clicks
MAP_CLICK = f"{MAP_PAGE}: tract click"
AREA_MAP = "area_map"         # the app's own map component (its name ends the component's registered name)


@dataclass
class AreaMap:
    """The map component as the visitor last saw it: enough to send a tract click."""
    widget_id: str
    fragment_id: str
    key: str
    ids: list[str]


@dataclass
class Click:
    page: str
    seconds: float
    visitor: int


@dataclass
class Results:
    clicks: list[Click] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    visitors_started: int = 0
    visitors_finished: int = 0
    city_switches: int = 0
    cpu_by_page: dict[str, list[float]] = field(default_factory=dict)  # only with one visitor at a time
    rss_mb: dict[str, float] = field(default_factory=dict)
    rss_timeline: list[tuple[float, float]] = field(default_factory=list)


# --- the protocol driver -------------------------------------------------------------------------

class Visitor:
    """One browser tab: an HTTP visit for the page shell, then one WebSocket session."""

    def __init__(self, base_url: str, number: int, results: Results, pages_per_visit: int = 4,
                 cpu_pids: list[int] | None = None):
        self.base_url, self.number, self.results = base_url.rstrip("/"), number, results
        self.pages_per_visit = pages_per_visit
        self.cpu_pids = cpu_pids  # given only when this is the sole visitor: CPU per click is then its own
        self.pages: dict[str, str] = {}          # url path ("" for home) -> page script hash
        self.city_widget: tuple[str, list[str]] | None = None
        self.city_choice: tuple[str, str] | None = None  # (widget id, label) once this visitor switched city
        self.area_map: AreaMap | None = None
        self.fragment_id = ""                             # of the delta being read
        self.cookies = CookieJar()
        self.session_id = ""                              # the server's id for this visitor's session
        self.uploaders: list[str] = []                    # widget ids of the file uploaders seen
        self.sticky_states: list = []                     # widget states sent with every click (a file held)

    def _open_shell(self) -> None:
        """GET / as a browser does first; keeps cookies (the proxy's sticky cookie, Streamlit's XSRF)."""
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        with opener.open(self.base_url + "/", timeout=CLICK_TIMEOUT) as response:
            response.read()
            if response.status != 200:
                raise RuntimeError(f"GET / answered {response.status}")

    def _cookie_header(self) -> dict[str, str]:
        jar = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        return {"Cookie": jar} if jar else {}

    async def visit(self, think: tuple[float, float], map_clicks: int = 0) -> None:
        await asyncio.to_thread(self._open_shell)
        city = random.choice(list(config.CITIES))
        query = urlencode({"city": city})
        ws_url = "ws" + self.base_url[4:] + "/_stcore/stream"
        async with connect(ws_url, subprotocols=["streamlit"], max_size=None,
                           additional_headers=self._cookie_header(), open_timeout=CLICK_TIMEOUT) as socket:
            await self._click(socket, "home", query)
            pages = [path for path in self.pages if path]
            random.shuffle(pages)
            pages = pages[: self.pages_per_visit - 1]
            switch_at = random.randrange(len(pages)) if pages else -1
            for index, path in enumerate(pages):
                await asyncio.sleep(random.uniform(*think))
                widgets = self._switch_city(city) if index == switch_at else {}
                self.area_map = None
                await self._click(socket, path, query, self.pages[path], widgets)
                if path == MAP_PAGE:
                    await self._tract_clicks(socket, query, map_clicks, think)

    async def _tract_clicks(self, socket, query: str, count: int, think: tuple[float, float]) -> None:
        """Click `count` tracts, each a moment after the last: the component sends its new selection
        (the browser keeps the shapes), and the server reruns the fragment that holds the map."""
        selected: list[str] = []
        for _ in range(count):
            if self.area_map is None or not self.area_map.ids:
                return
            await asyncio.sleep(random.uniform(*think))
            selected = (selected + [random.choice(self.area_map.ids)])[-5:]
            value = json.dumps({"have": self.area_map.key, "selected": selected})
            await self._click(socket, MAP_PAGE, query, self.pages[MAP_PAGE], json_widgets={self.area_map.widget_id: value},
                              fragment_id=self.area_map.fragment_id, label=MAP_CLICK)

    def _switch_city(self, current: str) -> dict[str, str]:
        if not self.city_widget:
            return {}
        widget_id, labels = self.city_widget
        others = [label for label in labels if label != config.CITIES[current].label]
        self.results.city_switches += 1
        self.city_choice = (widget_id, random.choice(others))
        return dict([self.city_choice])

    async def _click(self, socket, page: str, query: str, page_hash: str = "",
                     widgets: dict[str, str] | None = None, json_widgets: dict[str, str] | None = None,
                     fragment_id: str = "", label: str = "") -> None:
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_script_hash = page_hash
        message.rerun_script.fragment_id = fragment_id
        if self.city_choice and not widgets:  # the browser sends every widget's value, the city's too
            widgets = dict([self.city_choice])
        for widget_id, value in (widgets or {}).items():
            state = message.rerun_script.widget_states.widgets.add()
            state.id, state.string_value = widget_id, value
        for widget_id, value in (json_widgets or {}).items():
            state = message.rerun_script.widget_states.widgets.add()
            state.id, state.json_value = widget_id, value
        message.rerun_script.widget_states.widgets.extend(self.sticky_states)
        page = label or page
        started, cpu = time.perf_counter(), cpu_seconds(self.cpu_pids) if self.cpu_pids else 0.0
        await socket.send(message.SerializeToString())
        try:
            problems = await asyncio.wait_for(self._until_finished(socket), CLICK_TIMEOUT)
        except TimeoutError:
            problems = [f"timeout after {CLICK_TIMEOUT:.0f} s"]
        self.results.clicks.append(Click(page or "home", time.perf_counter() - started, self.number))
        if self.cpu_pids:
            self.results.cpu_by_page.setdefault(page or "home", []).append(cpu_seconds(self.cpu_pids) - cpu)
        self.results.errors.extend(f"{page or 'home'}: {problem}" for problem in problems)

    async def _until_finished(self, socket) -> list[str]:
        problems = []
        while True:
            message = ForwardMsg()
            message.ParseFromString(await socket.recv())
            kind = message.WhichOneof("type")
            if kind == "new_session":
                self.session_id = message.new_session.initialize.session_id
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in message.navigation.app_pages}
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                self.fragment_id = message.delta.fragment_id
                problems.extend(self._element_problem(message.delta.new_element))
            elif kind == "page_not_found":
                problems.append("page not found")
            elif kind == "script_finished":
                if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    problems.append("script compile error")
                if message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    return problems

    def _element_problem(self, element) -> list[str]:
        kind = element.WhichOneof("type")
        if kind == "selectbox" and element.selectbox.id.endswith(CITY_SELECTBOX_KEY):
            self.city_widget = (element.selectbox.id, list(element.selectbox.options))
        if kind == "file_uploader" and element.file_uploader.id not in self.uploaders:
            self.uploaders.append(element.file_uploader.id)
        if kind == "component_instance" and element.component_instance.component_name.endswith(AREA_MAP):
            self._saw_area_map(element.component_instance)
        if kind == "exception":
            return [f"exception {element.exception.type}: {element.exception.message[:120]}"]
        if kind == "alert" and element.alert.format == Alert.ERROR:
            return [f"error box: {element.alert.body[:120]}"]
        return []


    def _saw_area_map(self, component) -> None:
        spec = json.loads(component.json_args).get("spec", {})
        shapes = spec.get("shapes") or {}
        ids = list(shapes.get("ids", [])) or (self.area_map.ids if self.area_map else [])
        self.area_map = AreaMap(component.id, self.fragment_id, spec.get("key", ""), ids)


# --- server memory -------------------------------------------------------------------------------

def pids_listening_on(ports: list[int]) -> list[int]:
    """The processes holding a listening TCP socket on any of `ports` (read from /proc, no tools)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            port, state, inode = int(fields[1].rsplit(":", 1)[1], 16), fields[3], fields[9]
            if state == "0A" and port in ports:  # 0A = LISTEN
                inodes.add(f"socket:[{inode}]")
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) in inodes for fd in (entry / "fd").iterdir()):
                pids.add(int(entry.name))
        except OSError:  # processes come and go; others' fds may be unreadable
            continue
    return sorted(pids)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the server processes have used (independent of other load on the machine)."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_mb(pids: list[int]) -> float:
    total_kb = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


# --- the run -------------------------------------------------------------------------------------

async def visitor_loop(args, deadline: float, results: Results, pids: list[int], started: float) -> None:
    while time.monotonic() < deadline:
        results.visitors_started += 1
        visitor = Visitor(args.url, results.visitors_started, results, args.pages_per_visit,
                          pids if args.sessions == 1 else None)
        try:
            await visitor.visit((args.think_min, args.think_max), args.map_clicks)
        except Exception as error:  # a refused or dropped connection is a failed visit, counted
            results.errors.append(f"visit failed: {type(error).__name__}: {str(error)[:120]}")
        results.visitors_finished += 1
        for milestone in RSS_MILESTONES:
            if results.visitors_finished == milestone:
                results.rss_mb[f"after_{milestone}_sessions"] = rss_mb(pids)


async def browser_rounds(args, deadline: float, results: Results, pids: list[int]) -> None:
    """The benchmark's Chromium driver (bench/browser_load.py) in rounds of fresh sessions.

    Its sessions click for a whole round; a new round opens `--sessions` new browser contexts (new
    Streamlit sessions), so 10 rounds of 20 make the 200 sessions the memory check needs.
    """
    from bench import browser_load
    while time.monotonic() < deadline:
        seconds = min(args.round_seconds, max(1.0, deadline - time.monotonic()))
        results.visitors_started += args.sessions
        outcome = await browser_load.run_load_async(args.url, args.sessions, seconds)
        results.clicks.extend(Click("any", s, results.visitors_started) for s in outcome.render_s)
        results.errors.extend(outcome.errors)
        before, results.visitors_finished = results.visitors_finished, results.visitors_finished + args.sessions
        for milestone in RSS_MILESTONES:
            if before < milestone <= results.visitors_finished:
                results.rss_mb[f"after_{milestone}_sessions"] = rss_mb(pids)


async def sample_rss(results: Results, pids: list[int], started: float, deadline: float) -> None:
    while time.monotonic() < deadline:
        results.rss_timeline.append((round(time.monotonic() - started, 1), round(rss_mb(pids), 1)))
        await asyncio.sleep(10)


async def run(args) -> dict:
    pids = pids_listening_on(args.server_ports) if not args.pid else args.pid
    if not pids:
        raise SystemExit(f"No process listens on port(s) {args.server_ports}; start the app first.")
    results = Results()
    results.rss_mb["start"] = rss_mb(pids)
    load_before, cpu_before = os.getloadavg()[0], cpu_seconds(pids)
    started = time.monotonic()
    deadline = started + args.seconds
    if args.driver == "browser":
        tasks = [browser_rounds(args, deadline, results, pids)]
    else:
        tasks = [visitor_loop(args, deadline, results, pids, started) for _ in range(args.sessions)]
    await asyncio.gather(sample_rss(results, pids, started, deadline), *tasks)
    results.rss_mb["end"] = rss_mb(pids)
    server_cpu = cpu_seconds(pids) - cpu_before
    if args.settle:
        await asyncio.sleep(args.settle)
        results.rss_mb[f"after_{args.settle:.0f}s_idle"] = rss_mb(pids)
    summary = report(args, results, pids, time.monotonic() - started)
    summary["server_cpu_ms_per_click"] = round(1000 * server_cpu / max(1, len(results.clicks)))
    if results.cpu_by_page:
        summary["server_cpu_ms_by_page_median"] = {page: round(1000 * statistics.median(values))
                                                   for page, values in sorted(results.cpu_by_page.items())}
    summary["machine_load_1min"] = {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2),
                                    "cores": os.cpu_count()}
    return summary


def nearest_rank(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 = p95): the smallest value with `share` of them at or
    below it. Every bench script reports p95 with this one definition."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)]


def percentiles(seconds: list[float]) -> dict[str, float]:
    if not seconds:
        return {}
    ordered = sorted(seconds)
    return {"count": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000),
            "p95_ms": round(nearest_rank(ordered, 0.95) * 1000),
            "max_ms": round(ordered[-1] * 1000)}


def report(args, results: Results, pids: list[int], elapsed: float) -> dict:
    warm = [c.seconds for c in results.clicks if c.visitor > RSS_MILESTONES[0]]
    by_page = {}
    for click in results.clicks:
        by_page.setdefault(click.page, []).append(click.seconds)
    rss = {k: round(v, 1) for k, v in results.rss_mb.items()}
    growth = None
    if "after_20_sessions" in rss and "after_200_sessions" in rss:
        growth = round(100 * (rss["after_200_sessions"] / rss["after_20_sessions"] - 1), 1)
    return {
        "url": args.url, "server_pids": pids, "concurrent_sessions": args.sessions,
        "seconds": round(elapsed), "think_seconds": [args.think_min, args.think_max],
        "sessions_finished": results.visitors_finished, "clicks": len(results.clicks),
        "city_switches": results.city_switches,
        "errors": len(results.errors), "first_errors": sorted(set(results.errors))[:10],
        "time_to_render_all": percentiles([c.seconds for c in results.clicks]),
        "time_to_render_warm": percentiles(warm),
        "time_to_render_by_page": {page: percentiles(s) for page, s in sorted(by_page.items())},
        "rss_mb": rss, "rss_mb_by_pid_at_end": {pid: round(rss_mb([pid]), 1) for pid in pids},
        "rss_growth_20_to_200_sessions_pct": growth,
        "rss_timeline_mb": results.rss_timeline,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8501", help="the app (or the proxy) on this machine")
    parser.add_argument("--sessions", type=int, default=20, help="visitors at once (max %(const)s)")
    parser.add_argument("--seconds", type=float, default=300, help="how long to keep visitors coming")
    parser.add_argument("--think-min", type=float, default=0.5, help="shortest pause between clicks (s)")
    parser.add_argument("--think-max", type=float, default=2.0, help="longest pause between clicks (s)")
    parser.add_argument("--pages-per-visit", type=int, default=4,
                        help="pages one visitor opens: home, then others in random order (one with a city switch)")
    parser.add_argument("--map-clicks", type=int, default=3,
                        help="tracts clicked on the neighborhood map when a visit opens it (0-20)")
    parser.add_argument("--server-ports", default=None,
                        help="comma-separated ports of the app process(es) whose memory to read "
                             "(default: the URL's port; behind nginx: the replicas' ports)")
    parser.add_argument("--pid", type=int, action="append", help="server pid(s) to read instead of ports")
    parser.add_argument("--settle", type=float, default=0, help="idle seconds before a last memory reading")
    parser.add_argument("--driver", choices=("protocol", "browser"), default="protocol",
                        help="protocol: this script's WebSocket visitors; browser: real Chromium sessions "
                             "(bench/browser_load.py), in rounds of fresh sessions")
    parser.add_argument("--round-seconds", type=float, default=30,
                        help="browser driver: how long each round of sessions clicks")
    parser.add_argument("--json", type=Path, help="also write the report here (e.g. bench/results/load.json)")
    args = parser.parse_args(argv)
    url = urlsplit(args.url)
    if url.scheme != "http" or url.hostname not in LOCAL_HOSTS:
        parser.error("only http://127.0.0.1 or http://localhost: this script never loads a remote server")
    if not 1 <= args.sessions <= MAX_SESSIONS or not 1 <= args.seconds <= MAX_SECONDS:
        parser.error(f"--sessions must be 1-{MAX_SESSIONS} and --seconds 1-{MAX_SECONDS}")
    if not 1 <= args.pages_per_visit <= 50 or not 5 <= args.round_seconds <= 600 or not 0 <= args.map_clicks <= 20:
        parser.error("--pages-per-visit must be 1-50, --round-seconds 5-600 and --map-clicks 0-20")
    if not 0 <= args.think_min <= args.think_max <= 60 or not 0 <= args.settle <= 600:
        parser.error("think times must be 0-60 s (min <= max) and --settle 0-600 s")
    args.server_ports = [int(p) for p in args.server_ports.split(",")] if args.server_ports else [url.port or 80]
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    summary = asyncio.run(run(args))
    timeline = summary.pop("rss_timeline_mb")
    print(json.dumps(summary, indent=1))
    print("rss timeline (s, MB):", timeline)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({**summary, "rss_timeline_mb": timeline}, indent=1) + "\n")


if __name__ == "__main__":
    main()
