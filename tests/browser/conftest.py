"""Real-browser fixtures: one headless Streamlit server per session, Debian's Chromium driven by Playwright.

Nothing here downloads a browser: the tests use the system Chromium at /usr/bin/chromium and skip
(visibly, with the install command) when it is missing.
"""
from __future__ import annotations

import signal
import sys

import pytest

try:
    import playwright.sync_api  # noqa: F401
except ImportError:  # `pytest -m "not browser"` (or a machine without the dev packages) collects the rest;
    collect_ignore_glob = ["test_*.py"]  # tests/conftest.py's report header says why these are left out

from harness.browser import PHONE, chromium_missing_reason, launch, new_tab
from harness.server import Server, start_server, stop_server, wait_for_health

from .helpers import EXPECT_TIMEOUT_MS, save_screenshot_on_failure

try:  # web-first assertions retry up to this long: a cold page on a busy 2-core machine needs more than 5 s
    from playwright.sync_api import expect
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
except ImportError:  # the tests skip with a message (see chromium_missing_reason)
    pass


@pytest.fixture(scope="session")
def browser_ready() -> None:
    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def server(browser_ready, browser) -> Server:
    """One app server for the whole browser session. Pages re-raise errors so a failure shows as stException.

    The home page is opened once before any test, so that the tests' timings start from warm caches
    (test_first_visitor.py is a fresh server's first visitor, on a server of its own).
    """
    running = start_server(env={"EXPLORER_RAISE": "1"})
    try:
        wait_for_health(running.base_url, running.process)
        warm = new_tab(browser)
        warm.goto(running.base_url + "/")
        warm.get_by_test_id("stMetric").first.wait_for(timeout=60_000)
        warm.context.close()
        yield running
    finally:
        stop_server(running)
        if running.process.returncode not in (0, -signal.SIGTERM, None):
            print(running.log_path.read_text(errors="replace")[-4000:], file=sys.stderr)


# --------------------------------------------------------------------------------------------- browser
@pytest.fixture(scope="session")
def browser(browser_ready):
    """Debian's Chromium, never a downloaded one; Playwright gives it a fresh temporary profile."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, server, request):
    """A fresh desktop tab (own cookies and session). Saves a screenshot to test-artifacts/ if the test fails."""
    tab = new_tab(browser, accept_downloads=True)
    yield tab
    save_screenshot_on_failure(request, tab)
    tab.context.close()


@pytest.fixture
def phone(browser, server, request):
    """A fresh phone-sized tab (390x844 CSS pixels, touch, mobile viewport) for layout checks."""
    tab = new_tab(browser, viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True)
    yield tab
    save_screenshot_on_failure(request, tab)
    tab.context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item so fixtures can tell in teardown whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


