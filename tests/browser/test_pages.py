"""Every registered page, in a real browser, as a new visitor opens it.

The page list comes from explorer.registry (see harness.pages.registered_pages), so a page added to the router is
tested here without editing this file.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from explorer import config
from harness.browser import city_picker, go_to_page_in_nav, open_page, wait_for_app
from harness.pages import PAGES

from .helpers import choose_city, page_ids

pytestmark = pytest.mark.browser

OTHER_CITY = config.CITIES["tulsa"]  # not the default city, and it spans three counties
assert OTHER_CITY.id != config.DEFAULT_CITY


def assert_rendered_cleanly(page) -> None:
    """No exception box, no friendly error, no 'page not found' dialog, no console errors."""
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Something went wrong while drawing this page")).to_have_count(0)
    expect(page.get_by_role("dialog").filter(has_text="Page not found")).to_have_count(0)
    assert page.console_log.errors == [], f"console errors: {page.console_log.errors}"


@pytest.mark.parametrize("app_page", PAGES, ids=page_ids(PAGES))
def test_page_loads_without_errors(page, server, app_page):
    """A first visit by URL draws the page title and no error of any kind."""
    open_page(page, server, app_page)
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    assert_rendered_cleanly(page)


@pytest.mark.parametrize("app_page", PAGES, ids=page_ids(PAGES))
def test_page_survives_every_city(page, server, app_page):
    """Switching through all nine cities in the sidebar never breaks the page (the convening clicks everything)."""
    open_page(page, server, app_page)
    for city in config.CITIES.values():
        if city.id != config.DEFAULT_CITY:
            choose_city(page, city.label)
            assert_rendered_cleanly(page)


def test_city_in_the_link_opens_that_city(page, server):
    """A facilitator's link with ?city= opens with that city picked."""
    open_page(page, server, PAGES[0], city=OTHER_CITY.id)
    expect(city_picker(page)).to_have_value(OTHER_CITY.label)
    assert_rendered_cleanly(page)


def test_city_carries_over_to_every_page(page, server):
    """A city picked on one page stays picked on every other page: in the picker, the URL and the content.

    A page that named the default city before the switch must name the new city after it.
    """
    default_name = config.CITIES[config.DEFAULT_CITY].name
    names_city = {}
    for app_page in PAGES:
        open_page(page, server, app_page)
        names_city[app_page] = default_name in page.get_by_test_id("stMain").inner_text()
    open_page(page, server, PAGES[0])
    choose_city(page, OTHER_CITY.label)
    in_menu = [app_page for app_page in PAGES if app_page.in_menu]
    for app_page in in_menu[1:] + in_menu[:1]:  # every other page by the sidebar links, then back to the first
        if len(in_menu) > 1:
            go_to_page_in_nav(page, app_page)
        else:  # a single-page app has no navigation: a reload must keep the city through the URL
            page.reload()
            wait_for_app(page)
        expect(city_picker(page)).to_have_value(OTHER_CITY.label)
        assert f"city={OTHER_CITY.id}" in page.url
        if names_city[app_page]:
            expect(page.get_by_test_id("stMain")).to_contain_text(OTHER_CITY.name)
        assert_rendered_cleanly(page)


def test_home_shows_the_county_number_from_the_raw_file(page, server, raw_counties):
    """The home card for Detroit shows Wayne County's income rank at p25 exactly as in county_outcomes_simple.csv."""
    home = PAGES[0]
    rank = config.METRICS["income_rank_p25"]
    expected = rank.format(raw_counties.loc["26163", "kfr_pooled_pooled_p25"])
    open_page(page, server, home)
    detroit = page.get_by_role("heading", name="Detroit, MI", exact=True)
    card = page.get_by_test_id("stVerticalBlock").filter(has=detroit).last  # the innermost block: the card
    expect(card).to_contain_text("Wayne County")
    expect(card.get_by_test_id("stMetricValue")).to_have_text(expected)
