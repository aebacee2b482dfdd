"""The first visitor of a freshly started server is a visitor like any other.

A fresh Streamlit process that finds a `pages/` folder starts in its old multipage mode until a session
has run app.py: the first person to open a link to a page saw "Page not found" over it, and their first
click on the map was lost. serve.py (how `make run`, the Dockerfile and deploy/ start the app) sets the
mode before the server starts. Each test starts its own server and is its first visitor.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from explorer import config
from harness.browser import MAP_ELEMENT, new_tab, wait_for_app
from harness.server import start_server, stop_server, wait_for_health

from .helpers import page_by_file
from .test_map_clicks import selected_in_frame, tract_points

pytestmark = pytest.mark.browser

PROFILE, MAPS = page_by_file("pages/profile.py"), page_by_file("pages/maps.py")


@pytest.fixture
def fresh_server(browser_ready):
    running = start_server(env={"EXPLORER_RAISE": "1"})
    try:
        wait_for_health(running.base_url, running.process)
        yield running
    finally:
        stop_server(running)


@pytest.fixture
def first_tab(browser):
    tab = new_tab(browser)
    yield tab
    tab.context.close()


def test_the_first_visitor_of_a_link_to_a_page_gets_the_page_and_no_notice(first_tab, fresh_server):
    first_tab.goto(f"{fresh_server.base_url}/{PROFILE.url_path}?city=tulsa")
    wait_for_app(first_tab)
    expect(first_tab.get_by_role("heading", level=1)).to_contain_text(config.CITIES["tulsa"].name)
    expect(first_tab.get_by_role("dialog")).to_have_count(0)
    expect(first_tab.get_by_text("Page not found")).to_have_count(0)


def test_the_first_visitors_first_map_click_counts(first_tab, fresh_server):
    first_tab.goto(f"{fresh_server.base_url}/{MAPS.url_path}?city=detroit")
    wait_for_app(first_tab)
    expect(first_tab.locator(MAP_ELEMENT).first).to_be_visible()
    first_tab.wait_for_function("() => { const f = document.querySelector('iframe');"
                                " return !!f && !!f.contentWindow.areaMap && !!f.contentWindow.areaMap.size(); }")
    box = first_tab.locator("iframe").first.bounding_box()
    (x, y), = tract_points(first_tab, 1)
    first_tab.mouse.click(box["x"] + x, box["y"] + y)
    wait_for_app(first_tab)
    expect(first_tab.locator("strong").filter(has_text=re.compile(r" - tract [0-9.]+$"))).to_have_count(1)
    assert len(selected_in_frame(first_tab)) == 1
    expect(first_tab.get_by_role("dialog")).to_have_count(0)
