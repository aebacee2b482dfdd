"""One visitor's big file must not cost the room: heavy sessions upload a file of places to the
neighborhood map while other visitors click, then leave.

    python -m bench.heavy_upload                      # starts its own server; about 8 minutes
    python -m bench.heavy_upload --heavy 10 --points 20000 --others 10 --seconds 60 --settle 150
    python -m bench.heavy_upload --app-dir ../older-checkout --points 100000   # the same against another

It starts the app (as `make run` does), then:

1. quiet: after 20 s of warming up, `--others` protocol visitors (bench/load.py, tract clicks included) for `--seconds`; their p95;
2. the server's memory (RSS) once their sessions have expired (`--settle`, longer than Streamlit's 120 s
   disconnectedSessionTTL): the baseline;
3. busy: the same visitors for `--seconds` again, while `--heavy` sessions, one after another, each
   upload a CSV of `--points` places in Detroit the way the browser does (upload URL, HTTP PUT with the
   XSRF token, the uploader's new value), see it drawn (thinned, with the note), click three tracts with
   the file held, and leave; the others' p95 meanwhile, and the heavy sessions' own times;
4. memory again after the same settle: it should be within 10% of the baseline.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
import urllib.request
import uuid
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

from bench.load import CLICK_TIMEOUT, MAP_PAGE, Results, Visitor, percentiles, rss_mb
from explorer import upload
from explorer.maps import own_layer
from harness.server import start_server, stop_server, wait_for_health

ROOT = Path(__file__).resolve().parents[1]
OWN_DATA_WIDGET = "-map_own_data"   # the neighborhood map's uploader (its widget id ends with its key)
DETROIT_BOX = (42.26, 42.45, -83.28, -82.91)  # south, north, west, east: inside Wayne County's map


def places_csv(count: int, seed: int = 7) -> bytes:
    """`count` made-up places spread over Detroit: what a partner's list of sites looks like (a made-up
    file is fine here: it measures the server, it is never shown as data)."""
    rng = random.Random(seed)
    south, north, west, east = DETROIT_BOX
    rows = [f"{rng.uniform(south, north):.5f},{rng.uniform(west, east):.5f},{rng.randint(1, 40)}" for _ in range(count)]
    return ("latitude,longitude,visits\n" + "\n".join(rows) + "\n").encode()


class HeavyVisitor(Visitor):
    """A tab that opens the Detroit map, uploads a file of places, clicks three tracts and leaves."""

    async def visit_with_file(self, raw: bytes, think: tuple[float, float]) -> dict:
        await asyncio.to_thread(self._open_shell)
        query = "city=detroit"
        async with connect("ws" + self.base_url[4:] + "/_stcore/stream", subprotocols=["streamlit"], max_size=None,
                           additional_headers=self._cookie_header(), open_timeout=CLICK_TIMEOUT) as socket:
            await self._click(socket, "home", query)
            await self._click(socket, MAP_PAGE, query, self.pages[MAP_PAGE])
            uploader = next(i for i in self.uploaders if i.endswith(OWN_DATA_WIDGET))
            file_urls = await self._upload_urls(socket)
            await asyncio.to_thread(self._put, file_urls.upload_url, raw)
            state = WidgetState(id=uploader)
            info = state.file_uploader_state_value.uploaded_file_info.add()
            info.name, info.size, info.file_id = "places.csv", len(raw), file_urls.file_id
            info.file_urls.CopyFrom(file_urls)
            self.sticky_states = [state]  # the browser sends the file's entry with every later click
            started = time.perf_counter()
            await self._click(socket, MAP_PAGE, query, self.pages[MAP_PAGE], label="heavy: file drawn")
            drawn = time.perf_counter() - started
            await self._tract_clicks(socket, query, 3, think)
        return {"drawn_s": drawn, "thinned_note_seen": self.thinned_seen}

    thinned_seen = False

    def _element_problem(self, element) -> list[str]:
        if element.WhichOneof("type") == "markdown" and f"{own_layer.MAX_POINTS_DRAWN:,} of them are drawn" in element.markdown.body:
            self.thinned_seen = True
        return super()._element_problem(element)

    async def _upload_urls(self, socket):
        request = BackMsg()
        request.file_urls_request.request_id = uuid.uuid4().hex
        request.file_urls_request.file_names.append("places.csv")
        request.file_urls_request.session_id = self.session_id
        await socket.send(request.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(await asyncio.wait_for(socket.recv(), CLICK_TIMEOUT))
            if message.WhichOneof("type") == "file_urls_response":
                if message.file_urls_response.error_msg:
                    raise RuntimeError(message.file_urls_response.error_msg)
                return message.file_urls_response.file_urls[0]

    def _put(self, upload_url: str, raw: bytes) -> None:
        """PUT the file as the browser's uploader does: one multipart part, the XSRF cookie and its token."""
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        with opener.open(self.base_url + "/_stcore/health", timeout=CLICK_TIMEOUT) as response:
            response.read()  # as the browser's first request, it sets the XSRF cookie
        boundary = uuid.uuid4().hex
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="places.csv"\r\n'
                f"Content-Type: text/csv\r\n\r\n").encode() + raw + f"\r\n--{boundary}--\r\n".encode()
        token = next((c.value for c in self.cookies if c.name == "_streamlit_xsrf"), "")
        request = urllib.request.Request(self.base_url + upload_url, data=body, method="PUT", headers={
            **self._cookie_header(), "X-Xsrftoken": token, "Content-Type": f"multipart/form-data; boundary={boundary}"})
        with urllib.request.urlopen(request, timeout=CLICK_TIMEOUT) as response:
            if response.status not in (200, 204):
                raise RuntimeError(f"upload answered {response.status}")


async def others(url: str, sessions: int, seconds: float, think, results: Results) -> None:
    """`sessions` visitors at a time, as bench/load.py's, each visit followed by a new visitor."""
    deadline = time.monotonic() + seconds

    async def loop():
        while time.monotonic() < deadline:
            results.visitors_started += 1
            try:
                await Visitor(url, results.visitors_started, results).visit(think, map_clicks=3)
            except Exception as error:
                results.errors.append(f"visit failed: {type(error).__name__}: {str(error)[:120]}")
    await asyncio.gather(*(loop() for _ in range(sessions)))


async def heavy_sessions(url: str, count: int, raw: bytes, spacing: float, think, out: list, errors: list) -> None:
    for number in range(count):
        started = time.monotonic()
        visitor = HeavyVisitor(url, 10_000 + number, Results())
        try:
            out.append(await visitor.visit_with_file(raw, think))
            errors.extend(visitor.results.errors)
        except Exception as error:
            errors.append(f"heavy visit failed: {type(error).__name__}: {str(error)[:160]}")
        await asyncio.sleep(max(0.0, spacing - (time.monotonic() - started)))


async def run(args, pids: list[int]) -> dict:
    think = (0.5, 2.0)
    raw = places_csv(args.points)
    await others(args.url, args.others, 20, think, Results())  # warm the caches: a fresh server's first visits
    quiet = Results()
    await others(args.url, args.others, args.seconds, think, quiet)
    await asyncio.sleep(args.settle)
    baseline = rss_mb(pids)
    busy, heavy, heavy_errors = Results(), [], []
    peak = [baseline]

    async def watch():
        while len(heavy) + len(heavy_errors) < args.heavy:
            peak.append(rss_mb(pids))
            await asyncio.sleep(1)
    await asyncio.gather(others(args.url, args.others, args.seconds, think, busy),
                         heavy_sessions(args.url, args.heavy, raw, args.seconds / args.heavy, think, heavy, heavy_errors),
                         watch())
    at_end = rss_mb(pids)
    await asyncio.sleep(args.settle)
    after = rss_mb(pids)
    return {
        "file": {"places": args.points, "bytes": len(raw), "row_limit": upload.MAX_POINT_ROWS,
                 "drawn_at_most": own_layer.MAX_POINTS_DRAWN},
        "others": {"sessions": args.others, "quiet": percentiles([c.seconds for c in quiet.clicks]),
                   "with_heavy": percentiles([c.seconds for c in busy.clicks]),
                   "errors": len(quiet.errors) + len(busy.errors),
                   "first_errors": sorted(set(quiet.errors + busy.errors))[:5]},
        "heavy": {"sessions": len(heavy), "file_drawn_median_ms": round(1000 * statistics.median(
                      h["drawn_s"] for h in heavy)) if heavy else None,
                  "thinned_note_seen": sum(h["thinned_note_seen"] for h in heavy), "errors": heavy_errors[:5]},
        "rss_mb": {"baseline": round(baseline, 1), "peak": round(max(peak), 1), "heavy_done": round(at_end, 1),
                   f"after_{args.settle:.0f}s_settle": round(after, 1),
                   "change_pct": round(100 * (after / baseline - 1), 1)},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--heavy", type=int, default=10, help="sessions that upload the big file, one after another")
    parser.add_argument("--points", type=int, default=upload.MAX_POINT_ROWS, help="places in the file")
    parser.add_argument("--others", type=int, default=10, help="other visitors at once")
    parser.add_argument("--seconds", type=float, default=60, help="length of the quiet and the busy phase")
    parser.add_argument("--settle", type=float, default=150, help="idle seconds before each memory reading")
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="the checkout to serve (e.g. an older one)")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "heavy_upload.json")
    args = parser.parse_args(argv)
    if not (1 <= args.heavy <= 50 and 1 <= args.others <= 100 and 10 <= args.seconds <= 600
            and 0 <= args.settle <= 600 and 1 <= args.points <= 200_000):
        parser.error("--heavy 1-50, --others 1-100, --seconds 10-600, --settle 0-600, --points 1-200000")
    server = start_server(app_dir=args.app_dir)
    try:
        wait_for_health(server.base_url, server.process)
        args.url = server.base_url
        summary = asyncio.run(run(args, [server.process.pid]))
    finally:
        stop_server(server)
    print(json.dumps(summary, indent=1))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(summary, indent=1) + "\n")


if __name__ == "__main__":
    main()
