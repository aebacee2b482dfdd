"""A throwaway redis-server for the tests and the benchmark: Debian's binary on a free loopback port, with
no persistence (nothing written to disk) and no protected-mode surprises, stopped when done."""
from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator

from harness.server import free_port


def redis_server_path() -> str | None:
    return shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)


def redis_missing_reason() -> str | None:
    """Why the Redis tests cannot run here (None: they can)."""
    if redis_server_path() is None:
        return "redis-server is not installed (Debian: apt-get install redis-server); .ci/run installs it"
    try:
        import redis  # noqa: F401
    except ImportError:
        return "the redis client is not installed: pip install -r requirements.txt"
    return None


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def running_redis() -> Iterator[str]:
    """A redis-server on 127.0.0.1 for as long as the block runs; yields its URL."""
    port = free_port()
    folder = tempfile.mkdtemp(prefix="redis-")
    process = subprocess.Popen([redis_server_path(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", folder, "--loglevel", "warning"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while not _answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {port}")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
