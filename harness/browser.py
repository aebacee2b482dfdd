"""Debian's Chromium driven by Playwright: launching it, opening tabs, waiting for a finished render, and
moving around the app as a person does (page links, the sidebar's city picker).

Nothing here downloads a browser: it is the system Chromium at /usr/bin/chromium, and
chromium_missing_reason() says how to install what is missing. Playwright is imported only when used,
so a machine without it can still import this module.
"""
from __future__ import annotations

import re
from pathlib import Path

from harness.pages import AppPage
from harness.server import Server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
RENDER_TIMEOUT_MS = 30_000  # a first render (cold caches, busy machine); the benchmark reports real speed

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


def chromium_missing_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM}: install it with apt-get install chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed: pip install -r requirements-dev.txt"
    return None


def launch(playwright):
    """Debian's Chromium, never a downloaded one; Playwright gives it a fresh temporary profile. Works with
    the sync and the async Playwright (await the result of the async one)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


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


# --------------------------------------------------------------------------------------------- renders
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
    && !!document.querySelector('[data-testid="stSidebar"] .st-key-city input[role="combobox"]')
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


# --------------------------------------------------------------------------------------------- moving around
def open_page(page, server: Server, app_page: AppPage, city: str | None = None) -> None:
    """Load a page by its URL path (the default page is at '/'), optionally with ?city=, and wait for it."""
    query = f"?city={city}" if city else ""
    page.goto(f"{server.base_url}/{app_page.path}{query}")
    wait_for_app(page)


def city_picker(page):
    """The shared sidebar city selectbox (an ARIA combobox whose value is the city's label), found by its
    key: its label is "City" or "Ciudad"."""
    return page.get_by_test_id("stSidebar").locator(".st-key-city").get_by_role("combobox")


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
