"""What only the real-browser tests need, beside the shared harness (harness.server, harness.browser,
harness.pages, which the benchmark uses too): the test-only timeouts and paths, pytest ids, page lookups
by source, a screenshot of a failed test, and a city pick that checks the picker's new value.
"""
from __future__ import annotations

import re
import sys

from harness import ROOT
from harness.browser import city_picker, expand_sidebar, wait_for_app
from harness.pages import PAGES, AppPage

AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
EXPECT_TIMEOUT_MS = 15_000


def page_ids(pages: list[AppPage]) -> list[str]:
    return [page.url_path for page in pages]


def pages_with(marker: str) -> list[AppPage]:
    """Registered pages whose source contains `marker` (e.g. 'pydeck_chart'), so tests follow the code."""
    return [page for page in PAGES if marker in (ROOT / page.file).read_text(encoding="utf-8")]


def page_by_file(file: str) -> AppPage | None:
    """The registered page drawn by `file` (e.g. 'pages/maps.py'), or None while it is not registered."""
    return next((page for page in PAGES if page.file == file), None)


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


def choose_city(page, label: str) -> None:
    """Pick a city in the shared sidebar selectbox (what a person does), then wait for the rerun."""
    from playwright.sync_api import expect
    expand_sidebar(page)
    picker = city_picker(page)
    picker.click()
    page.get_by_role("option", name=label, exact=True).click()
    expect(picker).to_have_value(label)
    wait_for_app(page)
