"""Maps draw, tables open, CSV downloads hold the real numbers: checked in the browser a person uses.

Map and table pages are found from the code (pages that call st.pydeck_chart, ui.area_map or
ui.table_with_download),
so a new map or chart page is covered without editing this file.
"""
from __future__ import annotations

import io

import pandas as pd
import pytest
from playwright.sync_api import expect
from PIL import Image

from explorer import config
from harness.browser import MAP_ELEMENT, RENDER_TIMEOUT_MS, open_page, wait_for_app
from harness.pages import PAGES

from .helpers import page_by_file, page_ids, pages_with

pytestmark = pytest.mark.browser

MAP_PAGES = sorted({*pages_with("pydeck_chart"), *pages_with("area_map(")}, key=PAGES.index)
TABLE_PAGES = pages_with("table_with_download")
MIN_DRAWN_SHARE = 0.10  # a drawn map covers far more than this; a blank or failed WebGL canvas covers ~0
DETROIT = config.CITIES["detroit"]  # lies entirely in Wayne County, MI (26163), the largest study county
WAYNE = "26163"
# Pages that legitimately draw no map or chart table out of the box, with the reason.
NEEDS_OPTIONAL_DATA = {"pages/race_gap_map.py": "its maps and tables need the optional national data pack"}


def drawn_share(png: bytes) -> float:
    """Share of pixels that differ clearly from the most common colour (the empty map background)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    counts = sorted(image.getcolors(image.width * image.height), reverse=True)
    background = counts[0][1]
    drawn = sum(n for n, colour in counts if max(abs(a - b) for a, b in zip(colour, background)) > 16)
    return drawn / (image.width * image.height)


def wait_for_drawn_map(map_element, timeout_ms: int = RENDER_TIMEOUT_MS) -> float:
    """deck.gl paints after the element appears and gives no 'done' signal: re-screenshot until it is drawn."""
    map_element.page.wait_for_function(
        "el => { const frame = el.tagName === 'IFRAME' ? el : el.querySelector('iframe');"
        " const doc = frame ? frame.contentDocument : el;"
        " const canvas = doc && doc.querySelector('canvas'); return !!canvas && canvas.width > 0; }",
        arg=map_element.element_handle(), timeout=timeout_ms)
    share = 0.0
    for _attempt in range(20):  # each screenshot takes a frame or more: this polls, it does not sleep
        share = drawn_share(map_element.screenshot())
        if share >= MIN_DRAWN_SHARE:
            break
    return share


def flip(page, label: str) -> None:
    """Click the first switch named `label` as a person does: on its visible label (it covers the input).

    On a busy machine a click that lands while the page is still settling can be lost, as a person's
    would; like a person, click again once the page is idle (never more than three times).
    """
    toggle = page.get_by_test_id("stCheckbox").filter(has=page.get_by_role("switch", name=label, exact=True)).first
    switch = toggle.get_by_role("switch", name=label, exact=True)
    for _ in range(3):
        toggle.get_by_text(label, exact=True).click()
        try:
            expect(switch).to_be_checked(timeout=5_000)
            return
        except AssertionError:
            wait_for_app(page)


def download_csv(page, button) -> pd.DataFrame:
    with page.expect_download() as download_info:
        button.click()
    download = download_info.value
    return pd.read_csv(download.path(), dtype={"Tract ID": str, "County FIPS": str})


@pytest.mark.parametrize("app_page", MAP_PAGES, ids=page_ids(MAP_PAGES))
def test_map_canvas_draws_without_basemap(page, server, app_page):
    """With the street map off (no internet needed), the map's WebGL canvas shows our own layers."""
    open_page(page, server, app_page)
    for switch in page.get_by_role("switch", name="Street map").all():
        expect(switch).not_to_be_checked()
    maps = page.locator(MAP_ELEMENT)
    if app_page.file in NEEDS_OPTIONAL_DATA and maps.count() == 0:
        pytest.skip(f"{app_page.file} shows no map here: {NEEDS_OPTIONAL_DATA[app_page.file]}")
    map_element = maps.first
    map_element.scroll_into_view_if_needed()
    expect(map_element).to_be_visible()
    share = wait_for_drawn_map(map_element)
    assert share >= MIN_DRAWN_SHARE, f"only {share:.1%} of the map area is drawn"


def test_tract_table_and_csv_hold_the_raw_numbers(page, server, raw_tracts):
    """Detroit's tract table lists every Wayne County tract; its CSV carries the raw file's incomes exactly."""
    maps_page = page_by_file("pages/maps.py")
    if maps_page is None:
        pytest.skip("pages/maps.py is not in explorer.registry yet")
    open_page(page, server, maps_page, city=DETROIT.id)
    table = page.get_by_test_id("stDataFrame").last
    expect(table).to_be_visible()
    button = page.get_by_test_id("stDownloadButton").filter(has_text="Download CSV (all tracts)")
    csv = download_csv(page, button)
    wayne = raw_tracts[raw_tracts.index.str.startswith(WAYNE)]
    income = config.METRICS["household_income_p25"]
    shown = csv.set_index("Tract ID")[income.label]
    assert set(wayne.index) <= set(shown.index), "a Wayne County tract of the raw file is missing from the table"
    assert shown.drop(wayne.index).isna().all(), "tracts without a row in the raw file must read 'no estimate'"
    expected = wayne[income.source_column()]
    pd.testing.assert_series_equal(shown.loc[wayne.index], expected, check_names=False, rtol=1e-9)


@pytest.mark.parametrize("app_page", TABLE_PAGES, ids=page_ids(TABLE_PAGES))
def test_show_as_table_toggle_shows_the_chart_data(page, server, app_page):
    """The first chart's "Show as table" switch opens a data table; its CSV download has rows."""
    open_page(page, server, app_page)
    switch = page.get_by_role("switch", name="Show as table").first
    if app_page.file in NEEDS_OPTIONAL_DATA and switch.count() == 0:
        pytest.skip(f"{app_page.file} shows no chart table here: {NEEDS_OPTIONAL_DATA[app_page.file]}")
    tables = page.get_by_test_id("stDataFrame")
    before = tables.count()
    flip(page, "Show as table")
    expect(switch).to_be_checked()
    wait_for_app(page)
    # At least one more table (a legend drawn late on a busy machine may add to the count as well).
    expect(tables).not_to_have_count(before)
    assert tables.count() > before
    expect(tables.last).to_be_visible()
    csv = download_csv(page, page.get_by_test_id("stDownloadButton").filter(has_text="Download CSV").first)
    assert len(csv) > 0 and len(csv.columns) > 1


def test_county_table_csv_holds_the_raw_numbers(page, server, raw_counties):
    """The national county map's table: every county, Wayne's rank exactly as in county_outcomes_simple.csv."""
    county_page = page_by_file("pages/county_map.py")
    if county_page is None:
        pytest.skip("pages/county_map.py is not in explorer.registry yet")
    open_page(page, server, county_page)
    flip(page, "Show as table")
    wait_for_app(page)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    csv = download_csv(page, page.get_by_test_id("stDownloadButton").filter(has_text="Download CSV").first)
    assert len(csv) == len(raw_counties)
    rank = config.METRICS["income_rank_p25"]
    wayne = csv.set_index("County FIPS").loc[WAYNE, rank.label]
    assert wayne == pytest.approx(raw_counties.loc[WAYNE, rank.source_column()] * rank.scale, rel=1e-9)
