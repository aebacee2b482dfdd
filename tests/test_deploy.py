"""Scale-out files in deploy/ and the Dockerfile: what a proxy in front of Streamlit must do, checked."""
from __future__ import annotations

import gzip
import http.server
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from explorer import config

DEPLOY = config.ROOT / "deploy"
TEMPLATE = (DEPLOY / "nginx.conf.template").read_text()


def rendered(run_dir, ports=(8601, 8602), listen="127.0.0.1:8080") -> str:
    """The template filled in as deploy/start_replicas.sh does (workers as the current user)."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in ports)
    text = TEMPLATE
    for name, value in {"@UPSTREAM_SERVERS@": servers, "@USER_DIRECTIVE@": "", "@RUN_DIR@": str(run_dir),
                        "@LISTEN@": listen, "@COOKIE_SECURE@": ""}.items():
        text = text.replace(name, value)
    return text


def test_template_has_no_unfilled_placeholders_after_rendering(tmp_path):
    assert re.findall(r"@[A-Z_]+@", rendered(tmp_path)) == []


@pytest.mark.parametrize("directive", [
    "proxy_set_header Upgrade $http_upgrade;",       # WebSocket upgrade for /_stcore/stream
    "proxy_set_header Connection $connection_upgrade;",
    "location /_stcore/stream",
    "proxy_read_timeout 1h;",                        # idle WebSockets are not cut after 60 s
    "proxy_buffering off;",
    "hash $replica_key consistent;",                 # sticky by cookie
    "client_max_body_size 6m;",                      # the 5 MB upload limit plus multipart overhead
    "server_tokens off;",
])
def test_proxy_config_has(directive):
    assert directive in TEMPLATE


def test_proxy_does_not_route_by_client_address():
    """A room on one venue Wi-Fi shares one address: ip_hash would put everyone on one process."""
    assert not re.search(r"^\s*ip_hash", TEMPLATE, re.MULTILINE)


def test_each_proxied_location_sets_the_host_header():
    """nginx drops inherited proxy_set_header lines in a location that sets its own."""
    locations = re.findall(r"location [^{]+\{(.*?)\n        \}", TEMPLATE, re.DOTALL)
    assert len(locations) == 3  # the WebSocket, the map component's script, everything else
    assert all("proxy_set_header Host $host;" in body for body in locations)


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx not installed (Debian: apt-get install nginx)")
def test_rendered_config_passes_nginx_syntax_check(tmp_path):
    (tmp_path / "tmp").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(rendered(tmp_path))
    check = subprocess.run(["nginx", "-t", "-q", "-p", str(tmp_path), "-c", str(conf)],
                           capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@pytest.fixture
def nginx_in_front_of_assets(tmp_path):
    """A real nginx from the template in front of a small loopback server that answers as the app server
    does for a hashed asset (uncompressed JavaScript, a year-long immutable Cache-Control)."""
    if NGINX is None:
        pytest.skip("nginx not installed (Debian: apt-get install nginx)")
    body = ("function mobility(){return 'economic mobility explorer';}\n" * 2000).encode()

    class Asset(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "public, immutable, max-age=31536000")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Asset)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "tmp").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(rendered(tmp_path, ports=(upstream.server_address[1],), listen=f"127.0.0.1:{port}"))
    subprocess.run([NGINX, "-p", str(tmp_path), "-c", str(conf)], check=True, timeout=30)
    try:
        yield f"http://127.0.0.1:{port}", body
    finally:
        subprocess.run([NGINX, "-p", str(tmp_path), "-c", str(conf), "-s", "stop"], timeout=30)
        upstream.shutdown()


def fetch(url: str, encoding: str | None):
    for _ in range(50):  # nginx takes a moment to listen
        try:
            request = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.headers, response.read()
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nginx did not answer at {url}")


def test_nginx_compresses_javascript_and_keeps_the_long_cache(nginx_in_front_of_assets):
    url, body = nginx_in_front_of_assets
    headers, sent = fetch(f"{url}/static/js/index.abc123.js", "gzip")
    assert headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in headers["Vary"]
    assert gzip.decompress(sent) == body and len(sent) < len(body) / 10
    assert headers["Cache-Control"] == "public, immutable, max-age=31536000"
    headers, sent = fetch(f"{url}/static/js/index.abc123.js", None)  # a client that cannot unzip
    assert headers.get("Content-Encoding") is None and sent == body


def test_nginx_caches_the_map_component_s_hashed_script(nginx_in_front_of_assets):
    """The app server sends component files with a bare "public"; the script's name holds its hash, so
    nginx gives it the long cache the app's own assets have (and keeps the security headers)."""
    url, body = nginx_in_front_of_assets
    headers, sent = fetch(f"{url}/component/ui.area_map/area_map.VN3QEYHL.js", "gzip")
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(sent) == body
    assert headers["X-Content-Type-Options"] == "nosniff" and "frame-ancestors" in headers["Content-Security-Policy"]
    headers, _ = fetch(f"{url}/component/ui.area_map/index.html", "gzip")  # not hashed: the app's own header
    assert headers["Cache-Control"] == "public, immutable, max-age=31536000"


def manifest() -> dict[str, dict]:
    """deploy/kubernetes.yaml's documents by kind, the app's own (named mobility-explorer) where a kind repeats."""
    documents: dict[str, dict] = {}
    for document in yaml.safe_load_all((DEPLOY / "kubernetes.yaml").read_text()):
        name = document["metadata"]["name"]
        documents[document["kind"] if name == "mobility-explorer" else f"{document['kind']}/{name}"] = document
    return documents


def test_kubernetes_manifest_matches_the_dockerfile_and_the_nginx_template():
    documents = manifest()
    assert {"Deployment", "Service", "Ingress", "Secret"} <= set(documents)
    dockerfile = (config.ROOT / "Dockerfile").read_text()
    port = int(re.search(r"^EXPOSE (\d+)", dockerfile, re.MULTILINE).group(1))
    container = documents["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    assert container["ports"][0]["containerPort"] == port
    env = {e["name"]: e for e in container["env"]}
    assert env["PORT"]["value"] == str(port) and env["MALLOC_ARENA_MAX"]["value"] == "2"
    assert "secretKeyRef" in env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]  # one secret for every replica
    health = re.search(r"(/_stcore/health)", dockerfile).group(1)
    assert container["readinessProbe"]["httpGet"]["path"] == container["livenessProbe"]["httpGet"]["path"] == health
    assert documents["Service"]["spec"]["selector"] == documents["Deployment"]["spec"]["selector"]["matchLabels"]
    annotations = documents["Ingress"]["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert annotations[prefix + "affinity"] == "cookie"  # sticky by cookie, never by client address
    assert annotations[prefix + "session-cookie-name"] in TEMPLATE  # the same cookie as the nginx template
    hour = int(re.search(r"proxy_read_timeout (\d+)h;", TEMPLATE).group(1)) * 3600
    assert int(annotations[prefix + "proxy-read-timeout"]) == int(annotations[prefix + "proxy-send-timeout"]) == hour
    body_limit = re.search(r"client_max_body_size (\w+);", TEMPLATE).group(1)
    assert annotations[prefix + "proxy-body-size"] == body_limit


def test_kubernetes_gives_every_replica_the_one_redis_of_the_rooms():
    documents = manifest()
    redis, service = documents["Deployment/mobility-explorer-redis"], documents["Service/mobility-explorer-redis"]
    assert redis["spec"]["replicas"] == 1
    assert service["spec"]["selector"] == redis["spec"]["selector"]["matchLabels"]
    args = redis["spec"]["template"]["spec"]["containers"][0]["args"]
    assert args[:4] == ["--save", "", "--appendonly", "no"] and "--requirepass" in args  # nothing on disk, a password
    env = {e["name"]: e for e in documents["Deployment"]["spec"]["template"]["spec"]["containers"][0]["env"]}
    names = [e["name"] for e in documents["Deployment"]["spec"]["template"]["spec"]["containers"][0]["env"]]
    assert names.index("REDIS_PASSWORD") < names.index("REDIS_URL")  # $(REDIS_PASSWORD) is filled in only if first
    url = env["REDIS_URL"]["value"]
    assert url.startswith("redis://:$(REDIS_PASSWORD)@" + service["metadata"]["name"] + ":")
    assert url.split(":")[-1].split("/")[0] == str(service["spec"]["ports"][0]["port"])
    assert env["REDIS_PASSWORD"]["valueFrom"]["secretKeyRef"]["key"] in documents["Secret"]["stringData"]


def test_start_script_is_valid_bash_and_has_a_stop_path():
    script = DEPLOY / "start_replicas.sh"
    assert subprocess.run(["bash", "-n", str(script)], timeout=30).returncode == 0
    text = script.read_text()
    assert "stop)" in text and "--server.address 127.0.0.1" in text
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in text  # one secret for all replicas, not on the command line
    assert 'REDIS_URL="$REDIS_URL"' in text and '--save ""' in text and "--bind 127.0.0.1" in text  # rooms shared


def test_dockerfile_mirrors_the_readme_setup():
    dockerfile = (config.ROOT / "Dockerfile").read_text()
    assert dockerfile.count("FROM ") == 1 and "FROM python:3.11-slim" in dockerfile
    assert "pip install -r requirements.txt" in dockerfile and "exec python serve.py" in dockerfile
    assert re.search(r"^USER (?!root)", dockerfile, re.MULTILINE)
    ignored = (config.ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "data/national"} <= set(ignored) and "data" not in ignored


def test_every_way_to_start_the_server_shares_two_malloc_arenas():
    """MALLOC_ARENA_MAX=2 is read once, when the process starts: each launcher must set it (measured with
    bench/load.py under 20 visitors: about 360 MB instead of 430-450 MB)."""
    from harness.server import SERVER_ENV
    makefile = (config.ROOT / "Makefile").read_text()
    run_recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "MALLOC_ARENA_MAX=2 $(BIN)/python serve.py" in run_recipe
    assert re.search(r"^\s+MALLOC_ARENA_MAX=2 \\$", (config.ROOT / "Dockerfile").read_text(), re.MULTILINE)
    script = (config.ROOT / "deploy" / "start_replicas.sh").read_text()
    assert 'MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" exec "$PYTHON" serve.py' in script
    assert SERVER_ENV["MALLOC_ARENA_MAX"] == "2"


# --- bench/load.py: the parts that decide what is measured ----------------------------------------

@pytest.mark.parametrize("argv", [
    ["--url", "http://example.org:8501"],       # never a remote server
    ["--url", "https://127.0.0.1:8501"],
    ["--sessions", "500"],                      # bounded
    ["--seconds", "7200"],
    ["--think-min", "3", "--think-max", "1"],
])
def test_load_script_refuses_unbounded_or_remote_runs(argv):
    from bench import load
    with pytest.raises(SystemExit):
        load.parse_args(argv)


def test_load_script_defaults_are_the_issue_s_room():
    from bench import load
    args = load.parse_args([])
    assert (args.url, args.sessions, args.seconds, args.server_ports) == ("http://127.0.0.1:8501", 20, 300, [8501])
    assert load.parse_args(["--url", "http://localhost:8080", "--server-ports", "8601,8602"]).server_ports == [8601, 8602]


@pytest.mark.parametrize("seconds, expected", [
    ([0.1], {"count": 1, "p50_ms": 100, "p95_ms": 100, "max_ms": 100}),
    ([i / 100 for i in range(1, 101)], {"count": 100, "p50_ms": 505, "p95_ms": 950, "max_ms": 1000}),
    ([], {}),
])
def test_load_percentiles_use_the_nearest_rank(seconds, expected):
    from bench import load
    assert load.percentiles(seconds) == expected


def test_load_script_finds_the_process_listening_on_a_port():
    import os
    import socket
    from bench import load
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert load.pids_listening_on([port]) == [os.getpid()]
        assert load.rss_mb([os.getpid()]) > 10 and load.cpu_seconds([os.getpid()]) > 0


class _Trap(http.server.BaseHTTPRequestHandler):
    """An HTTP proxy that answers nothing and writes down every request sent through it."""
    seen: list[str] = []

    def _note(self):
        _Trap.seen.append(f"{self.command} {self.path}")
        self.send_response(502)
        self.end_headers()

    do_GET = do_POST = do_CONNECT = do_HEAD = _note

    def log_message(self, *args):
        pass


def _listening_addresses(pid: int) -> set[str]:
    """The local addresses (ip:port) the process listens on, read from /proc."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # LISTEN
                address, port = fields[1].split(":")
                ip = ".".join(str(int(address[i:i + 2], 16)) for i in (6, 4, 2, 0)) if len(address) == 8 else address
                found.add(f"{ip}:{int(port, 16)}")
    return found


def _start(args: list[str], proxy_port: int, port: int) -> subprocess.Popen:
    env = {**os.environ, "http_proxy": f"http://127.0.0.1:{proxy_port}", "https_proxy": f"http://127.0.0.1:{proxy_port}",
           "HTTP_PROXY": f"http://127.0.0.1:{proxy_port}", "HTTPS_PROXY": f"http://127.0.0.1:{proxy_port}",
           "NO_PROXY": "", "no_proxy": ""}
    return subprocess.Popen([sys.executable, "serve.py", "--server.port", str(port), *args],
                            cwd=config.ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)


@pytest.mark.parametrize("how", ["make run", "Dockerfile"])
def test_the_server_binds_as_told_and_asks_no_outside_host_at_start(how):
    """`make run` listens on 127.0.0.1 only (config.toml); the container on 0.0.0.0, as its CMD says.
    Neither sends a request anywhere while starting (Streamlit looks up a public address to print
    for a wildcard address unless told not to): every HTTP(S) request would go through the trap."""
    if how == "make run":
        run = re.search(r"^run:.*\n\t(.+)$", (config.ROOT / "Makefile").read_text(), re.M).group(1)
        args = run.split("serve.py", 1)[1].replace("--server.port $(PORT)", "").split()
        expected = "127.0.0.1"
    else:
        command = re.search(r'^CMD \["sh", "-c", "exec (.+)"\]$', (config.ROOT / "Dockerfile").read_text(), re.M).group(1)
        args = [a for a in command.split("serve.py", 1)[1].split() if not a.startswith("--server.port")]
        expected = "0.0.0.0"
    _Trap.seen = []
    trap = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trap)
    threading.Thread(target=trap.serve_forever, daemon=True).start()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = _start(args, trap.server_address[1], port)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
                        f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        time.sleep(2)  # the start-up banner (and any lookup for it) comes just after the server is up
        assert _listening_addresses(process.pid) == {f"{expected}:{port}"}
        assert _Trap.seen == []
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
        trap.shutdown()
