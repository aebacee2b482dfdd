"""Bring your own data, in a real browser: an uploaded CSV's hostile column name stays text, and a valid
file becomes the map's "Your data" layer with its legend and columns in the tract table's download."""
from __future__ import annotations

import pandas as pd
import pytest
from playwright.sync_api import expect

from explorer.maps import tract_details
from harness.browser import MAP_ELEMENT, go_to_page_in_nav, open_page, wait_for_app
from harness.pages import PAGES

from .helpers import page_by_file

pytestmark = pytest.mark.browser

MAPS = page_by_file("pages/maps.py")
INJECTION = "<img src=x onerror=alert(1)>"
PARTNER_FILE = (f'GEOID,"{INJECTION}"\n26163500100,12\n26163500200,30\n26163500300,7\n').encode()


def open_map(page, server) -> None:
    """Home first, then the map through the navigation, as a person arrives. (Opening /neighborhoods as the
    very first request of a fresh server can show Streamlit's "Page not found" notice over the page.)"""
    open_page(page, server, PAGES[0], city="detroit")
    go_to_page_in_nav(page, MAPS)


def upload(page, raw: bytes, name: str = "partner.csv") -> None:
    """Open the "Add your own data" panel and give its uploader a file held in memory (never on disk)."""
    panel = page.get_by_test_id("stExpander").filter(has_text="Add your own data")
    panel.get_by_text("Add your own data").first.click()
    panel.locator('input[type="file"]').set_input_files({"name": name, "mimeType": "text/csv", "buffer": raw})
    expect(panel.get_by_text(name)).to_be_visible()
    wait_for_app(page)


def test_a_hostile_column_name_shows_as_text_and_runs_nothing(page, server):
    """The name `<img src=x onerror=alert(1)>` is drawn literally in the legend and the column picker;
    no <img> element is created and no dialog opens."""
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_map(page, server)
    upload(page, PARTNER_FILE)
    legend = page.get_by_test_id("stMarkdown").filter(has_text="Your data:")
    expect(legend).to_contain_text(INJECTION)
    expect(page.get_by_role("combobox", name="Column to show on the map")).to_have_value(INJECTION)
    assert page.locator('img[src="x"]').count() == 0
    page.locator(MAP_ELEMENT).first.hover()  # the tooltip carries the name too, set as text
    assert page.locator('img[src="x"]').count() == 0
    assert page.frame_locator("iframe").first.locator('img[src="x"]').count() == 0
    assert dialogs == [], f"a dialog opened: {dialogs}"
    assert page.console_log.errors == []


def test_a_valid_tract_file_adds_its_legend_and_table_columns(page, server):
    """The new layer's legend and how-to-read appear, and the tract table's CSV holds the uploaded values."""
    open_map(page, server)
    upload(page, b"GEOID,enrolled\n26163500100,12\n26163500200,30\n26163500300,7\n99999999999,1\n")
    expect(page.get_by_text(tract_details.OWN_DATA_HOW_TO_READ)).to_be_visible()
    expect(page.get_by_test_id("stMarkdown").filter(has_text="Your data:")).to_contain_text("enrolled")
    expect(page.get_by_test_id("stAlertContentWarning")).to_contain_text("1 tract id(s) are not in this city")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV (all tracts)").click()
    table = pd.read_csv(download_info.value.path(), dtype={"Tract ID": str}).set_index("Tract ID")
    assert table.loc[["26163500100", "26163500200", "26163500300"], "Your data: enrolled"].tolist() == [12, 30, 7]
    assert table["Your data: enrolled"].notna().sum() == 3
