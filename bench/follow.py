"""The presenter's room under a crowd: one facilitator, 50 followers, and the other visitors beside them.

    python -m bench.follow                                   # a fresh server on this machine, 3 x 60 s
    python -m bench.follow --followers 50 --others 10 --seconds 60 --change-every 8 --browsers 2
    python -m bench.follow --replicas 2                       # two processes behind nginx, rooms in Redis

Four phases, one after the other on the same warm server:
0. idle room: the facilitator does not move; the followers only look (what following costs at rest);
1. others: `--others` visitors click through the app as in bench/load.py (the room's neighbours, alone);
2. room: a facilitator starts a room and opens another view (page and city) every `--change-every` seconds,
   while `--followers` participants follow it;
3. both: the room and the others at once.

Everyone speaks Streamlit's own protocol (bench/load.py's visitors; the followers here): a follower sends
the look at the room its page's fragment asks for every `rooms.POLL_S` seconds (the browser's auto-rerun,
`is_auto_rerun`), and when the facilitator has moved it receives the new page's whole run, as a browser
XX

Reported: the server's CPU in each phase (phase 2's is what following costs), each follower's time from
the facilitator's click to its own finished view of it (p50, p95, max; also from the moment the
facilitator's run had published it), every follower caught up on every change, and the others' p50/p95
in phases 1 and 3 (the room's effect on them). Refuses any host but 127.0.0.1/localhost.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import re
import secrets
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

from bench import load
from explorer import config, rooms

CODE = re.compile(r"MOB-[0-9A-Z]{4}-[0-9A-Z]{4}")
START_KEY = "room_start"                           # the facilitator's "Start a room" button's key
VIEWS = ("race-class-gaps", "pilot", "compare-cities", "", "race-class-gaps", "us-counties")  # pages the facilitator opens
TIMEOUT = 30.0


class Session:
    """One browser tab's live connection, as bench.load's visitors speak it: the page shell over HTTP (for
    the proxy's sticky cookie), then Streamlit's WebSocket, read by one task that keeps what a tab keeps."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.cookies = CookieJar()
        self.pages: dict[str, str] = {}       # url path -> page script hash
        self.page_hash = ""                   # the page on screen
        self.query = ""                       # the address's query, as the server last wrote it
        self.fragment = ""                    # the auto-rerun fragment on screen (a follower's look at the room)
        self.running = False
        self.finished = asyncio.Event()
        self.texts: list[str] = []
        self.widgets: dict[str, str] = {}     # key -> widget id
        self.errors: list[str] = []
        self.cached: set[str] = set()         # hashes of the elements this tab keeps, as a browser's message cache
        self.socket = None

    async def open(self) -> None:
        def shell():
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
            opener.open(self.base_url + "/", timeout=TIMEOUT).read()
        await asyncio.to_thread(shell)
        jar = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        self.socket = await connect("ws" + self.base_url[4:] + "/_stcore/stream", subprotocols=["streamlit"],
                                    max_size=None, additional_headers={"Cookie": jar} if jar else {},
                                    open_timeout=TIMEOUT)

    async def send(self, query: str | None = None, page: str | None = None, fragment: str = "",
                   triggers: tuple[str, ...] = (), auto: bool = False) -> None:
        message = BackMsg()
        rerun = message.rerun_script
        rerun.query_string = self.query if query is None else query
        rerun.page_script_hash = self.page_hash if page is None else self.pages.get(page, "")
        rerun.fragment_id, rerun.is_auto_rerun = fragment, auto
        rerun.cached_message_hashes.extend(self.cached)  # the server sends a reference, not the element again
        for widget_id in triggers:
            state = rerun.widget_states.widgets.add()
            state.id, state.trigger_value = widget_id, True
        self.running = True
        self.finished.clear()
        await self.socket.send(message.SerializeToString())

    async def read(self, on_finished=None) -> None:
        """Every message the server sends, until the connection ends."""
        async for raw in self.socket:
            message = ForwardMsg()
            message.ParseFromString(raw)
            kind = message.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in message.navigation.app_pages}
                self.page_hash = message.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = message.page_info_changed.query_string
            elif kind == "auto_rerun":
                self.fragment = message.auto_rerun.fragment_id
            elif kind == "stop_auto_rerun":
                self.fragment = ""
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                if message.metadata.cacheable:
                    self.cached.add(message.hash)
                self._element(message.delta.new_element)
            elif kind == "script_finished" and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self.running = False
                self.finished.set()
                if on_finished:
                    on_finished(self)

    def _element(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind == "markdown":
            self.texts.append(element.markdown.body)
        elif kind == "button":
            self.widgets[element.button.id.rsplit("-", 1)[-1]] = element.button.id
        elif kind == "exception":
            self.errors.append(f"exception {element.exception.type}: {element.exception.message[:120]}")

    def view(self) -> tuple[str, str | None]:
        """(page path, city) on screen."""
        path = next((p for p, h in self.pages.items() if h == self.page_hash), "")
        return path, parse_qs(self.query).get("city", [None])[0]

    async def run(self, **send) -> None:
        await self.send(**send)
        await asyncio.wait_for(self.finished.wait(), TIMEOUT)


@dataclass
class Change:
    view: tuple[str, str]
    clicked: float
    published: float = 0.0
    caught_up: dict[int, float] = field(default_factory=dict)   # follower -> when its run of the view finished


async def facilitator(base_url: str, code_ready: asyncio.Future, changes: list[Change], deadline: float,
                      every: float, go: asyncio.Event) -> None:
    session = Session(base_url)
    await session.open()
    reader = asyncio.create_task(session.read())
    await session.run(query="city=detroit", page="")
    session.texts.clear()
    await session.run(triggers=(session.widgets[START_KEY],))
    code = next((m.group(0) for t in session.texts if (m := CODE.search(t))), None)
    if code is None:
        raise RuntimeError("the facilitator's room did not start")
    code_ready.set_result(code)
    await go.wait()
    views = itertools.cycle(zip(VIEWS * 2, [c for c in config.CITIES if c != "detroit"]))
    while time.monotonic() < deadline - every:
        await asyncio.sleep(every)
        page, city = next(views)
        change = Change((page, city), time.monotonic())
        changes.append(change)
        await session.run(query=f"city={city}", page=page)
        change.published = time.monotonic()
    reader.cancel()
    await session.socket.close()


async def follower(number: int, base_url: str, code: str, changes: list[Change], deadline: float,
                   errors: list[str]) -> None:
    session = Session(base_url)

    def finished(tab: Session) -> None:
        if changes and tab.view() == changes[-1].view and number not in changes[-1].caught_up:
            changes[-1].caught_up[number] = time.monotonic()

    await session.open()
    reader = asyncio.create_task(session.read(finished))
    try:
        await session.run(query=f"room={code}", page="")
        while time.monotonic() < deadline:
            await asyncio.sleep(rooms.POLL_S)
            if session.fragment and not session.running:  # the page's timer, as the browser keeps it
                await session.send(fragment=session.fragment, auto=True)
    except Exception as error:  # a dropped connection or a timeout is a failed follower, counted
        errors.append(f"follower {number}: {type(error).__name__}: {str(error)[:120]}")
    errors.extend(session.errors)
    reader.cancel()
    await session.socket.close()


async def browser_followers(count: int, base_url: str, code: str, changes: list[Change], deadline: float,
                            drawn: list[float]) -> None:
    """Real Chromium followers, timed from the facilitator's click to their drawn page of the new view."""
    from playwright.async_api import async_playwright
    from harness.browser import APP_DRAWN_JS, launch
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        tabs = []
        for _ in range(count):
            tab = await (await browser.new_context(viewport={"width": 1280, "height": 800})).new_page()
            await tab.goto(f"{base_url}/?room={code}")
            tabs.append(tab)

        async def drawn_view(tab, change: Change) -> None:
            await tab.wait_for_function(
                "([path, city]) => location.pathname === '/' + path && location.search.includes('city=' + city)",
                arg=list(change.view), timeout=TIMEOUT * 1000, polling=50)
            await tab.wait_for_function(APP_DRAWN_JS, arg=[None, 1], polling="raf", timeout=TIMEOUT * 1000)
            drawn.append(time.monotonic() - change.clicked)

        seen = len(changes)
        while time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            if len(changes) > seen:
                seen = len(changes)
                await asyncio.gather(*(drawn_view(tab, changes[-1]) for tab in tabs), return_exceptions=True)
        await browser.close()


def phase_others(args, deadline: float, results: load.Results, pids: list[int]):
    other_args = load.parse_args(["--url", args.url, "--sessions", str(max(1, args.others)),
                                  "--seconds", str(args.seconds)])
    return [load.visitor_loop(other_args, deadline, results, pids, time.monotonic()) for _ in range(args.others)]


async def run_phase(args, pids: list[int], room: bool, others: bool, moves: bool = True) -> dict:
    """One phase: the room (whose facilitator moves every --change-every s, or never: `moves`) and/or the others."""
    cpu_before, started = load.cpu_seconds(pids), time.monotonic()
    deadline = started + args.seconds
    every = args.change_every if moves else args.seconds + 1
    results, changes, errors, drawn = load.Results(), [], [], []
    tasks = phase_others(args, deadline, results, pids) if others else []
    if room:
        code_ready, go = asyncio.get_running_loop().create_future(), asyncio.Event()
        lead = asyncio.create_task(facilitator(args.url, code_ready, changes, deadline, every, go))
        code = await code_ready
        crowd = [follower(n, args.url, code, changes, deadline, errors) for n in range(args.followers)]
        if args.browsers:
            crowd.append(browser_followers(args.browsers, args.url, code, changes, deadline, drawn))
        go.set()
        tasks += [lead, *crowd]
    await asyncio.gather(*tasks)
    seconds = time.monotonic() - started
    report = {"seconds": round(seconds), "server_cpu_share_of_a_core": round((load.cpu_seconds(pids) - cpu_before) / seconds, 3)}
    if others:
        report["others"] = {"clicks": len(results.clicks), "errors": len(results.errors),
                            **load.percentiles([c.seconds for c in results.clicks])}
    if room:
        waits = [t - c.clicked for c in changes for t in c.caught_up.values()]
        after_publish = [t - c.published for c in changes for t in c.caught_up.values()]
        missed = sum(args.followers - len(c.caught_up) for c in changes[:-1])  # the last may end with the run
        cpu_s = load.cpu_seconds(pids) - cpu_before
        by_page: dict[str, list[float]] = {}
        for change in changes:
            by_page.setdefault(change.view[0] or "home", []).extend(t - change.clicked for t in change.caught_up.values())
        report["room"] = {"followers": args.followers, "changes": len(changes), "missed_changes": missed,
                          "errors": len(errors), "first_errors": errors[:5],
                          "click_to_follower_view": load.percentiles(waits),
                          "click_to_follower_view_p95_ms_by_page": {page: load.percentiles(w)["p95_ms"]
                                                                   for page, w in sorted(by_page.items()) if w},
                          "published_to_follower_view": load.percentiles(after_publish),
                          "polls_per_second": round(args.followers / rooms.POLL_S, 1)}
        if not moves:  # all the server did was answer the followers' looks at the room
            report["room"]["server_cpu_ms_per_look"] = round(1000 * cpu_s / (seconds * args.followers / rooms.POLL_S), 2)
        if args.browsers:
            report["room"]["chromium_click_to_drawn_view"] = load.percentiles(drawn)
    return report


@contextlib.contextmanager
def hosted(args):
    """The app as the run asks: the given URL; one fresh process (rooms in its memory); or `--replicas` fresh
    processes behind the deploy/ nginx template with their rooms in a fresh redis-server. Yields the URL and
    the ports of the app processes (whose CPU is read)."""
    from harness import ROOT
    from harness.redis_server import running_redis
    from harness.server import start_nginx, start_server, stop_nginx, stop_server, wait_for_health
    if not args.start_server:
        yield args.url, [urlsplit(args.url).port]
        return
    with contextlib.ExitStack() as stack:
        env = {}
        if args.replicas > 1:
            env = {"REDIS_URL": stack.enter_context(running_redis()), "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(16)}
        servers = [start_server(env=env) for _ in range(args.replicas)]
        stack.callback(lambda: [stop_server(server) for server in servers])
        for server in servers:
            wait_for_health(server.base_url, server.process)
        ports = [urlsplit(server.base_url).port for server in servers]
        if args.replicas == 1:
            yield servers[0].base_url, ports
            return
        run_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="follow-nginx-")))
        proxy = start_nginx(ROOT, ports, run_dir)
        if proxy is None:
            raise SystemExit("--replicas needs nginx (Debian: apt-get install nginx)")
        stack.callback(stop_nginx, run_dir)
        yield f"http://127.0.0.1:{proxy}", ports


async def main_async(args) -> dict:
    with hosted(args) as (url, ports):
        args.url = url
        pids = load.pids_listening_on(ports)
        await run_phase(args, pids, room=True, others=True) if args.warm else None  # caches warm for every phase
        out = {"url": args.url, "processes": len(pids), "followers": args.followers, "others": args.others,
               "poll_s": rooms.POLL_S, "change_every_s": args.change_every}
        out["0_room_idle"] = await run_phase(args, pids, room=True, others=False, moves=False)
        out["1_others_alone"] = await run_phase(args, pids, room=False, others=True)
        out["2_room_alone"] = await run_phase(args, pids, room=True, others=False)
        out["3_room_and_others"] = await run_phase(args, pids, room=True, others=True)
        alone, beside = out["1_others_alone"]["others"], out["3_room_and_others"]["others"]
        out["others_p95_ratio_with_the_room"] = round(beside["p95_ms"] / alone["p95_ms"], 2) if alone.get("p95_ms") else None
        return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=None, help="a running app (or proxy) on this machine; default: start one")
    parser.add_argument("--replicas", type=int, default=1,
                        help="start this many app processes behind the deploy/ nginx, rooms in a fresh Redis (1-4)")
    parser.add_argument("--followers", type=int, default=50)
    parser.add_argument("--others", type=int, default=10, help="other visitors clicking beside the room")
    parser.add_argument("--seconds", type=float, default=60, help="length of each phase")
    parser.add_argument("--change-every", type=float, default=8, help="seconds between the facilitator's moves")
    parser.add_argument("--browsers", type=int, default=0, help="real Chromium followers in phases 2 and 3 (0-5)")
    parser.add_argument("--no-warm", dest="warm", action="store_false", help="skip the warm-up phase")
    parser.add_argument("--json", type=Path, help="also write the report here (e.g. bench/results/follow.json)")
    args = parser.parse_args(argv)
    args.start_server = args.url is None
    if args.url and (urlsplit(args.url).scheme != "http" or urlsplit(args.url).hostname not in load.LOCAL_HOSTS):
        parser.error("only http://127.0.0.1 or http://localhost: this script never loads a remote server")
    if not (1 <= args.followers <= 200 and 0 <= args.others <= 100 and 5 <= args.seconds <= 600
            and 2 <= args.change_every <= 60 and 0 <= args.browsers <= 5 and 1 <= args.replicas <= 4):
        parser.error("--followers 1-200, --others 0-100, --seconds 5-600, --change-every 2-60, --browsers 0-5, "
                     "--replicas 1-4")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    report = asyncio.run(main_async(args))
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
