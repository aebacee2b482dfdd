"""Nothing cut off or printed over: the city names on the county map, and the text of legends and tables, as
Chromium draws them at 1440x900, 390x844 and on a 1920x1080 projector."""
from __future__ import annotations

import pandas as pd
import pytest
from playwright.sync_api import expect

import ui
from explorer import config, profiles
from explorer.data import cache
from explorer.maps import scales
from harness.browser import new_tab, wait_for_app

pytestmark = pytest.mark.browser

LAPTOP, PHONE, PROJECTOR = {"width": 1440, "height": 900}, {"width": 390, "height": 844}, {"width": 1920, "height": 1080}


def drawn_names(tab) -> list[dict]:
    tab.wait_for_function("() => [...document.querySelectorAll('iframe')].some(f => f.contentWindow.areaMap"
                          " && f.contentWindow.areaMap.labels().length)")
    return tab.evaluate("() => [...document.querySelectorAll('iframe')].find(f => f.contentWindow.areaMap)"
                        ".contentWindow.areaMap.labels()")


def overlaps(names: list[dict]) -> list[tuple[str, str]]:
    return [(a["text"], b["text"]) for i, a in enumerate(names) for b in names[i + 1:]
            if a["box"][0] < b["box"][2] and b["box"][0] < a["box"][2] and a["box"][1] < b["box"][3]
            and b["box"][1] < a["box"][3]]


@pytest.mark.parametrize("viewport, path, every_name", [(LAPTOP, "us-counties", True), (PROJECTOR, "us-counties?present=1", True),
                                                        (PHONE, "us-counties", False)], ids=["1440", "1920-present", "390"])
def test_the_county_maps_city_names_never_print_over_each_other(browser, server, viewport, path, every_name):
    """A laptop and a projector show all nine names apart; a phone shows those that fit, and more as it zooms."""
    tab = new_tab(browser, viewport=viewport)
    tab.goto(f"{server.base_url}/{path}")
    names = drawn_names(tab)
    assert overlaps(names) == []
    if every_name:
        assert sorted(n["text"] for n in names) == sorted(city.name for city in config.CITIES.values())
    else:
        assert 3 <= len(names) < len(config.CITIES)
        frame = tab.locator("iframe").first
        frame.scroll_into_view_if_needed()
        box = frame.bounding_box()
        tab.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.35)  # over the Great Lakes
        for _ in range(4):
            tab.mouse.wheel(0, -300)
            tab.wait_for_timeout(300)
        tab.wait_for_timeout(800)
        closer = drawn_names(tab)
        assert overlaps(closer) == [] and len({n["text"] for n in closer} - {n["text"] for n in names}) >= 1
    tab.context.close()


def text_widths(tab, texts: list[str], weight: int) -> list[float]:
    """Pixel widths of texts in the data grid's type (14 px Source Sans, as the app's theme draws it)."""
    tab.evaluate("() => document.fonts.ready")
    return tab.evaluate("""([texts, weight]) => { const c = document.createElement('canvas').getContext('2d');
        c.font = `${weight} 14px "Source Sans Pro", "Source Sans 3", sans-serif`;
        return texts.map(t => c.measureText(t).width); }""", [texts, weight])


def fitted_columns() -> dict[str, tuple[pd.DataFrame, str]]:
    """Grid columns the app sizes to their text (ui.fitted_width), with the real texts they hold."""
    legend = scales.legend_table(cache.study_tracts("detroit")["household_income_p25"],
                                 cache.tract_scale("household_income_p25", "national", "detroit"))
    title = "Range"
    table = cache.tract_table("detroit", "household_income_p25")
    _, details = cache.tract_comparison("detroit", "household_income_p25", table["Tract ID"].iloc[0])
    return {"legend": (pd.DataFrame({title: legend["range"]}), title),
            "tract table": (table, "Tract"),
            "details": (details, "Median over")}


def test_grid_columns_fit_their_longest_text_in_the_browsers_own_type(browser, server):
    """ui.fitted_width's estimate of a column's width holds the longest cell and the (bold) header as Chromium
    measures them in the app's font, with the grid's padding: the legend's 'no estimate (fewer than 20
    children)', the tract titles, the details' 'Median over'."""
    tab = new_tab(browser, viewport=LAPTOP)
    tab.goto(f"{server.base_url}/")
    wait_for_app(tab)
    short = {}
    for name, (frame, column) in fitted_columns().items():
        cells = [str(v) for v in frame[column]]
        widest = max([*text_widths(tab, cells, 400), *text_widths(tab, [column], 600)], default=0)
        if widest + 2 * 8 > ui.fitted_width(frame, column):  # the grid pads a cell 8 px on each side
            short[name] = (round(widest), ui.fitted_width(frame, column))
    assert short == {}
    tab.context.close()


@pytest.mark.parametrize("viewport", [PROJECTOR, PHONE], ids=["1920", "390"])
def test_the_projectors_legend_shows_every_row_whole(browser, server, viewport):
    tab = new_tab(browser, viewport=viewport)
    tab.goto(f"{server.base_url}/neighborhoods?city=detroit&present=1")
    legend = tab.locator(".projector-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text(scales.MISSING_LABEL)
    cut = legend.evaluate("t => [...t.querySelectorAll('td, th')].filter(c => c.scrollWidth > c.clientWidth + 1)"
                          ".map(c => c.textContent)")
    assert cut == []
    box, page_width = legend.bounding_box(), viewport["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= page_width
    tab.context.close()


def test_the_compare_table_shows_all_ten_numbers_on_a_laptop(browser, server):
    """At 1440x900 every column of the nine cities' table is on the page, none scrolled out of sight and no
    header or cell cut (its headers wrap), with the nation's numbers in the last row."""
    tab = new_tab(browser, viewport=LAPTOP)
    tab.goto(f"{server.base_url}/compare-cities")
    table = tab.get_by_test_id("stTable")
    expect(table).to_contain_text(profiles.US_ROW)
    page_width = tab.get_by_test_id("stMainBlockContainer").bounding_box()
    headers = table.locator("thead th")
    columns = [profiles.column_label(key) for key in profiles.KEY_NUMBERS.values()]
    assert [h.strip() for h in headers.all_inner_texts()] == ["City", *columns]
    for header in headers.all():
        box = header.bounding_box()
        assert page_width["x"] <= box["x"] and box["x"] + box["width"] <= page_width["x"] + page_width["width"]
    cut = table.evaluate("t => [...t.querySelectorAll('td, th')].filter(c => c.scrollWidth > c.clientWidth + 1)"
                         ".map(c => c.textContent)")
    overflow = table.evaluate("t => [...t.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1"
                              " && getComputedStyle(e).overflowX !== 'visible')")
    assert cut == [] and not overflow
    tab.context.close()
