"""Shareable links in a real browser: a prepared link opens the prepared view; a facilitator steps through views."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from explorer import config, views
from harness.browser import city_picker, wait_for_app
from harness.pages import PAGES

pytestmark = pytest.mark.browser

GAPS = next(p for p in PAGES if p.file == "pages/gaps.py")


def wait_for_view(page, text: str) -> None:
    """Presentation mode hides the sidebar (so harness.browser.wait_for_app's city picker is not there to wait for):
    wait for the stepper's text, then for the run to finish."""
    expect(page.get_by_text(text)).to_be_visible()
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0)


def test_a_prepared_link_opens_the_prepared_view(page, server):
    """City, outcome, gender and percentile from the link are what the page shows, and the URL keeps them."""
    page.goto(f"{server.base_url}/{GAPS.path}?city=tulsa&outcome=kir&gender=male&pctile=40")
    wait_for_app(page)
    expect(city_picker(page)).to_have_value(config.CITIES["tulsa"].label)
    expect(page.get_by_role("combobox", name="Outcome")).to_have_value(config.NATIONAL_OUTCOMES["kir"].label)
    expect(page.get_by_role("slider", name="Parents' income percentile")).to_have_value("40")
    expect(page.get_by_text("Sons of parents at the 40th percentile").first).to_be_visible()
    for part in ("city=tulsa", "outcome=kir", "gender=male", "pctile=40"):
        assert part in page.url
    expect(page.get_by_text("Tulsa and the other cities against the nation")).to_be_visible()


def test_share_this_view_gives_the_link_to_this_view(page, server):
    """The sidebar's "Share this view" shows a link with the page's current choices."""
    page.goto(f"{server.base_url}/{GAPS.path}?city=racine&pctile=60")
    wait_for_app(page)
    page.get_by_test_id("stSidebar").get_by_role("button", name=re.compile("Share this view")).click()
    code = page.get_by_test_id("stCode").filter(has_text="pctile=60")
    expect(code).to_contain_text(f"/{GAPS.path}?city=racine&pctile=60")


def test_presentation_mode_steps_through_the_data_walk(page, server):
    """?present=1&view=n: no sidebar, big type, "View n of N"; Next opens the following view's page."""
    walk = views.load()
    first = walk.views[0]
    start = next(p for p in PAGES if p.url_path == first.page)
    query = "&".join(f"{k}={v}" for k, v in views.step_params(walk, 1, True).items())
    page.goto(f"{server.base_url}/{start.path}?{query}")
    wait_for_view(page, f"View 1 of {len(walk.views)}:")
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    font_size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert font_size == "20px"
    page.get_by_role("link", name="Next", exact=True).click()
    wait_for_view(page, f"View 2 of {len(walk.views)}:")
    second = next(p for p in PAGES if p.url_path == walk.views[1].page)
    assert f"/{second.url_path}" in page.url and "view=2" in page.url and "present=1" in page.url
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
