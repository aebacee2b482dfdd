"""Offline: with the street map off, no page asks any host but the app's own for anything.

A venue's Wi-Fi may be down or filtered. Every request the browser makes is routed through the test:
requests to the app's server go on, any other host is blocked and recorded. The test then asserts that
nothing was attempted (a blocked request that was needed would also show as a broken page).
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from harness.browser import wait_for_app
from harness.pages import PAGES

from .helpers import page_ids

pytestmark = pytest.mark.browser

OWN_HOSTS = {"127.0.0.1", "localhost"}


def block_other_hosts(page) -> list[str]:
    """Abort every request to a host that is not the app's; return the list they are recorded in."""
    attempted: list[str] = []

    def route(request_route) -> None:
        address = urlsplit(request_route.request.url)
        if address.scheme in ("data", "blob") or address.hostname in OWN_HOSTS:
            request_route.continue_()
        else:
            attempted.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    return attempted


@pytest.mark.parametrize("app_page", PAGES, ids=page_ids(PAGES))
def test_page_makes_no_request_to_another_host(page, server, app_page):
    """Each page, opened by its link with the street map off (?basemap=0), draws using the app's host only."""
    attempted = block_other_hosts(page)
    page.goto(f"{server.base_url}/{app_page.path}?basemap=0")
    wait_for_app(page)
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.wait_for_timeout(1000)  # late requests (map tiles, fonts, icons) start after the first render
    assert attempted == [], f"requests to other hosts: {attempted}"


def test_the_street_map_is_the_only_thing_that_needs_the_internet(page, server):
    """Turning the street map on is what reaches out (the control says it needs the internet); the map page
    keeps working when that request is blocked."""
    maps_page = next(p for p in PAGES if p.file == "pages/maps.py")
    attempted = block_other_hosts(page)
    page.goto(f"{server.base_url}/{maps_page.path}?basemap=1")
    wait_for_app(page)
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    for _ in range(20):
        if attempted:
            break
        page.wait_for_timeout(500)
    assert attempted, "the street map on should request map tiles from the map provider"
