"""The language in a real browser: the sidebar's switch reruns the page in Spanish and keeps its state
and address; a browser that asks for Spanish gets it on a first visit; a Spanish link stays Spanish."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from harness.browser import city_picker, new_tab, wait_for_app

pytestmark = pytest.mark.browser


def menu(tab):
    return tab.get_by_test_id("stSidebarNav")


def test_switching_to_spanish_keeps_the_page_the_city_and_the_address(browser, server):
    tab = new_tab(browser, viewport={"width": 1440, "height": 900})
    tab.goto(f"{server.base_url}/us-counties?city=tulsa&group=black")
    wait_for_app(tab)
    expect(menu(tab).get_by_role("link", name="US county map", exact=True)).to_be_visible()
    tab.get_by_test_id("stSidebar").get_by_text("Español", exact=True).click(no_wait_after=True)
    expect(menu(tab).get_by_role("link", name="Mapa de condados de EE. UU.", exact=True)).to_be_visible()
    wait_for_app(tab)
    assert re.search(r"/us-counties\?", tab.url) and "lang=es" in tab.url
    assert "city=tulsa" in tab.url and "group=black" in tab.url
    expect(city_picker(tab)).to_have_value("Tulsa, OK")
    expect(tab.get_by_test_id("stSidebar").get_by_text("Ciudad", exact=True)).to_be_visible()
    tab.get_by_test_id("stSidebar").get_by_text("English", exact=True).click(no_wait_after=True)
    expect(menu(tab).get_by_role("link", name="US county map", exact=True)).to_be_visible()
    wait_for_app(tab)
    assert "lang=" not in tab.url and "group=black" in tab.url
    assert tab.console_log.errors == []
    tab.context.close()


def test_a_browser_that_reads_spanish_first_gets_spanish_and_a_link_keeps_it(browser, server):
    tab = new_tab(browser, viewport={"width": 390, "height": 844}, locale="es-MX")
    tab.goto(f"{server.base_url}/")
    wait_for_app(tab)
    expect(tab.get_by_role("heading", name="Explorador de Movilidad Económica")).to_be_visible()
    english = new_tab(browser, viewport={"width": 390, "height": 844}, locale="es-MX")
    english.goto(f"{server.base_url}/?lang=en")  # a link's language wins over the browser's
    wait_for_app(english)
    expect(english.get_by_role("heading", name="Economic Mobility Explorer")).to_be_visible()
    tab.context.close()
    english.context.close()
