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


def test_the_address_keeps_step_with_the_walk_forward_back_and_on_reload(server, browser):
    """From "Present these views" on, `view=N` in the address is the "View N" on screen, also when Next stays
    on the same page (the browser keeps a page link's old address unless the app writes it), so a reload or a
    shared address opens the view the room is looking at."""
    from harness.browser import new_tab
    walk = views.load()
    count = len(walk.views)
    tab = new_tab(browser, viewport={"width": 1920, "height": 1080})
    tab.goto(f"{server.base_url}/?city=detroit")
    wait_for_app(tab)
    tab.get_by_text("Facilitator's views").first.click()
    tab.get_by_role("link", name="Present these views").click()

    def on_view(number: int) -> None:
        wait_for_view(tab, f"View {number} of {count}:")
        view = walk.views[number - 1]
        expect(tab).to_have_url(re.compile(rf"/{'' if view.page == 'start' else view.page}\?(.*&)?view={number}(&|$)"))
        for name, value in views.step_params(walk, number, True).items():
            assert f"{name}={value}" in tab.url, (number, name, tab.url)

    on_view(1)
    stepper = tab.locator(".st-key-view_stepper")
    for number in (2, 3, 4):  # 2 -> 3 -> 4 stay on the race and class gaps page
        stepper.get_by_role("link", name="Next", exact=True).click()
        on_view(number)
    stepper.get_by_role("link", name="Previous", exact=True).click()
    on_view(3)
    tab.reload()
    on_view(3)
    expect(tab.get_by_text("Sons of parents at the 25th percentile").first).to_be_visible()  # view 3: men
    tab.context.close()
