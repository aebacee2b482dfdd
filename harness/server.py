"""The app server, started and stopped from outside: `python serve.py` headless on 127.0.0.1 in its own
process group, its health endpoint polled until it answers, and the deploy/ nginx template in front of it.

start_server also serves another checkout (`app_dir`, e.g. an older commit measured beside this one); a
checkout that predates serve.py is started with `python -m streamlit run app.py`.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from harness import ROOT

SERVER_START_TIMEOUT_S = 60

# As `make run`, the Dockerfile and deploy/start_replicas.sh start it (see the Makefile's note on run).
SERVER_ENV = {"MALLOC_ARENA_MAX": "2"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_health(base_url: str, process: subprocess.Popen, timeout_s: float = SERVER_START_TIMEOUT_S) -> None:
    """Poll Streamlit's health endpoint until it answers 'ok' (the server has no push signal for readiness)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"streamlit was not healthy at {base_url} within {timeout_s} s")


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen
    log_path: Path


def start_server(port: int | None = None, log_path: Path | None = None, env: dict | None = None,
                 app_dir: Path = ROOT) -> Server:
    """`python serve.py` (`streamlit run app.py` with its start-up settings) headless on 127.0.0.1, in its
    own process group (so stop_server ends all of it).

    `app_dir`: the checkout to serve (the benchmark runs an older one beside this one, which may predate
    serve.py)."""
    port = port or free_port()
    log_path = log_path or Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
    launcher = ["serve.py"] if (app_dir / "serve.py").exists() else ["-m", "streamlit", "run", "app.py"]
    command = [sys.executable, *launcher, "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port),
               "--browser.gatherUsageStats", "false"]  # the other server settings: .streamlit/config.toml
    server_env = {**os.environ, **SERVER_ENV, **(env or {})}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=app_dir, stdout=log, stderr=subprocess.STDOUT, env=server_env,
                                   start_new_session=True)
    return Server(f"http://127.0.0.1:{port}", process, log_path)


def stop_server(server: Server) -> None:
    if server.process.poll() is not None:
        return
    os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)


def start_nginx(app_dir: Path, upstream_port: int | list[int], run_dir: Path) -> int | None:
    """`app_dir`'s deploy/ nginx template in front of one app process (or several: a list of ports, sticky by
    the template's cookie); returns its port (None: no nginx)."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        return None
    port = free_port()
    ports = upstream_port if isinstance(upstream_port, list) else [upstream_port]
    (run_dir / "tmp").mkdir(parents=True, exist_ok=True)
    text = (app_dir / "deploy" / "nginx.conf.template").read_text()
    for name, value in {"@USER_DIRECTIVE@": "user root;" if os.geteuid() == 0 else "", "@RUN_DIR@": str(run_dir),
                        "@UPSTREAM_SERVERS@": "\n".join(f"        server 127.0.0.1:{port};" for port in ports),
                        "@LISTEN@": f"127.0.0.1:{port}", "@COOKIE_SECURE@": ""}.items():
        text = text.replace(name, value)
    (run_dir / "nginx.conf").write_text(text)
    subprocess.run([nginx, "-c", str(run_dir / "nginx.conf"), "-p", str(run_dir)], check=True)
    for _ in range(100):  # nginx daemonizes: poll the app's health through it
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).close()
            return port
        except OSError:
            time.sleep(0.1)
    raise TimeoutError("nginx did not answer within 10 s")


def stop_nginx(run_dir: Path) -> None:
    pid_file = run_dir / "nginx.pid"
    if pid_file.exists():
        subprocess.run(["kill", pid_file.read_text().strip()], check=False)
