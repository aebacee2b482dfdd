"""Helpers for the real-browser tests and the benchmark: start/stop the app server, open tabs, wait for renders.

Nothing here downloads a browser: the tests use the system Chromium at /usr/bin/chromium and skip
(visibly, with the install command) when it is missing. Every page in explorer.registry is covered
automatically, because the page list comes from explorer.registry, as app.py's does.
"""
from __future__ import annotations

import os
import re
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


ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SERVER_START_TIMEOUT_S = 60
RENDER_TIMEOUT_MS = 30_000  # a first render (cold caches, busy machine); the benchmark reports real speed
EXPECT_TIMEOUT_MS = 15_000

# A drawn map: the app's own map component (frontend/area_map, in a frame) or, with the street map on, pydeck's
MAP_ELEMENT = '[data-testid="stCustomComponentV1"], [data-testid="stDeckGlJsonChart"]'

# Console messages that are not our app's fault: pattern -> the reason it is safe to ignore. Keep it short;
# every entry must name a cause outside this repository.
BENIGN_CONSOLE: dict[str, str] = {
    r"404.*/[^/]+/_stcore/(health|host-config|allowed-message-origins)": (
        "opened directly at a sub-page URL (/gaps), Streamlit's frontend first probes /gaps/_stcore/health "
        "to find its base path, gets the expected 404, then uses the root (streamlit/streamlit issue 7074)"),
    r"fonts\.gstatic\.com/.*materialsymbols": (
        "a ':material/...:' page_icon makes Streamlit fetch the browser-tab icon (favicon) from Google's font "
        "host; without internet only the tab icon is missing, the page itself is unaffected"),
}


@dataclass(frozen=True)
class AppPage:
    """One page of explorer.registry as the browser sees it."""
    file: str
    title: str
    url_path: str
    default: bool = False  # the first page is the default one and Streamlit serves it at "/" only

    @property
    def path(self) -> str:
        """The page's address below the server root ('' for the default page)."""
        return "" if self.default else self.url_path


def registered_pages() -> list[AppPage]:
    """Every page of explorer.registry, as the browser reaches it, so new pages are tested at once."""
    from explorer import registry
    return [AppPage(p.file, p.title, p.url_path, default=(p == registry.DEFAULT)) for p in registry.PAGES]


PAGES = registered_pages()


def page_ids(pages: list[AppPage]) -> list[str]:
    return [page.url_path for page in pages]


def pages_with(marker: str) -> list[AppPage]:
    """Registered pages whose source contains `marker` (e.g. 'pydeck_chart'), so tests follow the code."""
    return [page for page in PAGES if marker in (ROOT / page.file).read_text(encoding="utf-8")]


def page_by_file(file: str) -> AppPage | None:
    """The registered page drawn by `file` (e.g. 'pages/maps.py'), or None while it is not registered."""
    return next((page for page in PAGES if page.file == file), None)


def chromium_missing_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM}: install it with apt-get install chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed: pip install -r requirements-dev.txt"
    return None


# ---------------------------------------------------------------------------------------------- server
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


# As `make run`, the Dockerfile and deploy/start_replicas.sh start it (see the Makefile's note on run).
SERVER_ENV = {"MALLOC_ARENA_MAX": "2"}


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


def start_nginx(app_dir: Path, upstream_port: int, run_dir: Path) -> int | None:
    """`app_dir`'s deploy/ nginx template in front of one app process; returns its port (None: no nginx)."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        return None
    port = free_port()
    (run_dir / "tmp").mkdir(parents=True, exist_ok=True)
    text = (app_dir / "deploy" / "nginx.conf.template").read_text()
    for name, value in {"@USER_DIRECTIVE@": "user root;" if os.geteuid() == 0 else "", "@RUN_DIR@": str(run_dir),
                        "@UPSTREAM_SERVERS@": f"        server 127.0.0.1:{upstream_port};",
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


# --------------------------------------------------------------------------------------------- tabs
class ConsoleLog:
    """Console errors and uncaught page errors of one tab, minus the known-benign ones (see BENIGN_CONSOLE)."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.add(
            f"{message.text} ({message.location.get('url', '')})"))
        page.on("pageerror", lambda error: self.add(f"uncaught: {error}"))

    def add(self, text: str) -> None:
        if not any(re.search(pattern, text) for pattern in BENIGN_CONSOLE):
            self.errors.append(text)


def new_tab(browser, viewport: dict = DESKTOP, **context_args):
    context = browser.new_context(viewport=viewport, **context_args)
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    page = context.new_page()
    page.console_log = ConsoleLog(page)
    return page


def save_screenshot_on_failure(request, tab) -> None:
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    try:
        tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    except Exception as error:  # a crashed tab must not hide the test's own failure
        print(f"could not save screenshot: {error}", file=sys.stderr)


# --------------------------------------------------------------------------------------------- helpers
def wait_for_app(page) -> None:
    """Web-first wait for a finished render: connected, the script run over, nothing stale or running.

    Before the first run the script state already reads 'notRunning', so the sidebar city picker (drawn by
    app.py on every run) must be present too; after a click the state leaves 'notRunning' synchronously.
    """
    from playwright.sync_api import expect
    expect(page.get_by_test_id("stApp")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    expect(city_picker(page)).to_be_attached(timeout=RENDER_TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]')
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=RENDER_TIMEOUT_MS)
    expect(page.locator('[data-testid="stElementContainer"][data-stale="true"]')).to_have_count(
        0, timeout=RENDER_TIMEOUT_MS)


# The same conditions as wait_for_app, checked together inside the page on every animation frame: the
# benchmark uses it to time a render to the frame (Playwright's expect() retries at growing intervals,
# up to a second apart, which would add its own wait to a measured time).
APP_DRAWN_JS = """([selector, count]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.dataset.testConnectionState === "CONNECTED"
    && app.dataset.testScriptState === "notRunning"
    && !!document.querySelector('[data-testid="stSidebar"] input[role="combobox"][aria-label="City"]')
    && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
    && !document.querySelector('[data-testid="stElementContainer"][data-stale="true"]')
    && (!selector || document.querySelectorAll(selector).length >= count);
}"""


def wait_for_app_drawn(page, selector: str | None = None, count: int = 1) -> None:
    """Wait for a finished render, checked every animation frame (for timing; tests use wait_for_app).

    The script can report "finished" a frame or two before the browser has drawn the last elements, so a
    timing also names what the page must show: at least `count` elements matching `selector`.
    """
    page.wait_for_function(APP_DRAWN_JS, arg=[selector, count], polling="raf", timeout=RENDER_TIMEOUT_MS)


def open_page(page, server: Server, app_page: AppPage, city: str | None = None) -> None:
    """Load a page by its URL path (the default page is at '/'), optionally with ?city=, and wait for it."""
    query = f"?city={city}" if city else ""
    page.goto(f"{server.base_url}/{app_page.path}{query}")
    wait_for_app(page)


def choose_city(page, label: str) -> None:
    """Pick a city in the shared sidebar selectbox (what a person does), then wait for the rerun."""
    from playwright.sync_api import expect
    expand_sidebar(page)
    picker = city_picker(page)
    picker.click()
    page.get_by_role("option", name=label, exact=True).click()
    expect(picker).to_have_value(label)
    wait_for_app(page)


def city_picker(page):
    """The shared sidebar city selectbox (an ARIA combobox whose value is the city's label)."""
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name="City")


def expand_sidebar(page) -> None:
    """On narrow screens Streamlit collapses the sidebar; open it if it is not already visible."""
    from playwright.sync_api import expect
    sidebar = page.get_by_test_id("stSidebar")
    if sidebar.get_attribute("aria-expanded") == "false":
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(sidebar).to_have_attribute("aria-expanded", "true")


def server_root(page) -> str:
    match = re.match(r"^https?://[^/]+", page.url)
    return match.group(0)


def go_to_page_in_nav(page, app_page: AppPage) -> None:
    """Follow the sidebar navigation link (keeps the session, like a person clicking), then wait."""
    expand_sidebar(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=app_page.title, exact=True).click()
    page.wait_for_url(re.compile(rf"^{re.escape(server_root(page))}/{re.escape(app_page.path)}(\?|$)"))
    wait_for_app(page)
