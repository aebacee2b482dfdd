"""A byte-counting TCP proxy for the wire-weight benchmark: what a visitor's browser really downloads.

Put it between Chromium and the server (or the deploy/ nginx) and it relays every connection unchanged
while counting the bytes in each direction. A connection whose first request asks for
`/_stcore/stream` is Streamlit's WebSocket; every other one is plain HTTP (pages, JavaScript, CSS,
fonts, health checks). The counts are of the bytes on the wire, so compression (gzip from nginx,
permessage-deflate on the WebSocket) shows up as it would on a venue's Wi-Fi.

    with CountingProxy("127.0.0.1", 8501) as proxy:
        # point the browser at proxy.base_url
        before = proxy.snapshot()
        ...
        print(proxy.snapshot() - before)

Loopback only: it listens on 127.0.0.1 and relays to the address it is given.
"""
from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass

from harness.server import free_port

CHUNK = 65536


@dataclass(frozen=True)
class Bytes:
    """Bytes counted so far: down = server to browser, up = browser to server."""
    http_down: int = 0
    http_up: int = 0
    ws_down: int = 0
    ws_up: int = 0

    def __sub__(self, other: "Bytes") -> "Bytes":
        return Bytes(self.http_down - other.http_down, self.http_up - other.http_up,
                     self.ws_down - other.ws_down, self.ws_up - other.ws_up)

    @property
    def total(self) -> int:
        return self.http_down + self.http_up + self.ws_down + self.ws_up


class CountingProxy:
    """Relays 127.0.0.1:<port> to upstream host:port in a background thread, counting bytes."""

    def __init__(self, upstream_host: str, upstream_port: int, port: int | None = None, mbps: float = 0):
        """`mbps` > 0: the link's speed in megabits per second, shared by all connections in each
        direction (a visitor on a busy venue Wi-Fi), so bytes cost the time they cost there."""
        self.upstream = (upstream_host, upstream_port)
        self.bytes_per_s = mbps * 1e6 / 8
        self._free_at = {"down": 0.0, "up": 0.0}
        self.port = port or free_port()
        self.counts = {"http_down": 0, "http_up": 0, "ws_down": 0, "ws_up": 0}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._ready = threading.Event()
        self._server = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def snapshot(self) -> Bytes:
        return Bytes(**self.counts)

    def __enter__(self) -> "CountingProxy":
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the counting proxy did not start")
        return self

    def __exit__(self, *exc) -> None:
        asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def _close(self) -> None:
        self._server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._relay, "127.0.0.1", self.port))
        self._ready.set()
        self._loop.run_forever()

    async def _throttle(self, size: int, direction: str) -> None:
        if not self.bytes_per_s:
            return
        now = self._loop.time()
        self._free_at[direction] = max(now, self._free_at[direction]) + size / self.bytes_per_s
        await asyncio.sleep(self._free_at[direction] - now)

    async def _relay(self, client_reader, client_writer) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_writer.close()
            return
        first = await client_reader.read(CHUNK)
        kind = "ws" if b"/_stcore/stream" in first.split(b"\r\n", 1)[0] else "http"
        self.counts[f"{kind}_up"] += len(first)
        upstream_writer.write(first)

        async def pipe(reader, writer, field: str) -> None:
            try:
                while chunk := await reader.read(CHUNK):
                    self.counts[field] += len(chunk)
                    await self._throttle(len(chunk), field.rsplit("_", 1)[1])
                    writer.write(chunk)
                    await writer.drain()
            except (ConnectionError, OSError, asyncio.CancelledError):
                pass
            finally:
                try:
                    writer.close()
                except OSError:
                    pass

        try:
            await asyncio.gather(pipe(client_reader, upstream_writer, f"{kind}_up"),
                                 pipe(upstream_reader, client_writer, f"{kind}_down"))
        except asyncio.CancelledError:  # the proxy is closing
            pass
