"""After the server restarts under an open tab, the tab reconnects to a new, empty session: what lived
only in the old one (an uploaded file, a loaded views file, views added on screen) is gone. The page says
so where the file was, and no click is replayed into the new session (a view is never added twice)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

import ui
from explorer import views
from harness.browser import city_picker, expand_sidebar, go_to_page_in_nav, open_page, wait_for_app
from harness.pages import PAGES
from harness.server import free_port, start_server, stop_server, wait_for_health

from .helpers import page_by_file
from .test_upload import upload

pytestmark = pytest.mark.browser

MAPS = page_by_file("pages/maps.py")
RECONNECT_TIMEOUT_MS = 60_000  # Streamlit's frontend retries with backoff capped at 4 s; a busy machine adds more
WALK = b'title = "Our walk"\n[[view]]\ntitle = "Wayne"\npage = "neighborhoods"\n[view.link]\ncity = "detroit"\n'


@pytest.fixture
def own_server(browser_ready):
    """A server of this test's own, since the test restarts it (on the same port, as a redeploy does)."""
    port = free_port()
    running = {"server": start_server(port, env={"EXPLORER_RAISE": "1"})}
    wait_for_health(running["server"].base_url, running["server"].process)

    def restart(tab):
        stop_server(running["server"])
        tab.wait_for_selector('[data-testid="stApp"]:not([data-test-connection-state="CONNECTED"])')
        running["server"] = start_server(port, env={"EXPLORER_RAISE": "1"})
        wait_for_health(running["server"].base_url, running["server"].process)

    running["restart"] = restart
    yield running
    stop_server(running["server"])


def open_list(dropdown, option, tries: int = 5) -> None:
    """Click `dropdown` until it shows `option`: the first click after a reconnect may only focus it."""
    for _ in range(tries):
        dropdown.click()
        try:
            option.wait_for(timeout=2_000)
            return
        except PlaywrightTimeoutError:
            pass
    raise AssertionError(f"the list never opened after {tries} clicks")


def views_count(panel) -> int:
    return int(re.search(r"(\d+) views", panel.get_by_text(re.compile(r"\d+ views")).first.inner_text())[1])


def test_a_restart_says_the_files_are_gone_and_replays_no_click(page, own_server):
    server = own_server["server"]
    open_page(page, server, PAGES[0], city="detroit")
    go_to_page_in_nav(page, MAPS)
    upload(page, b"GEOID,enrolled\n26163500100,12\n26163500200,30\n")
    expect(page.get_by_test_id("stMarkdown").filter(has_text="Your data:")).to_contain_text("enrolled")

    expand_sidebar(page)
    panel = page.get_by_test_id("stSidebar").get_by_test_id("stExpander").filter(has_text="Facilitator's views")
    panel.get_by_text("Facilitator's views").first.click()
    panel.locator('input[type="file"]').set_input_files({"name": "walk.toml", "mimeType": "application/toml",
                                                          "buffer": WALK})
    expect(panel.get_by_text("Our walk")).to_be_visible()
    panel.get_by_label("Title for the view on screen").fill("Added on screen")
    panel.get_by_label("Title for the view on screen").press("Enter")
    wait_for_app(page)
    panel.get_by_role("button", name="Add this view").click()
    expect(panel.get_by_text(re.compile(r"Our walk.*2 views"))).to_be_visible()

    own_server["restart"](page)
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]',
                           timeout=RECONNECT_TIMEOUT_MS)
    # The reconnected tab keeps showing the old page until its next click, which carries the tab's
    # widget values (the files' names among them) into the new session
    tulsa = page.get_by_role("option", name="Tulsa, OK")
    open_list(city_picker(page), tulsa)
    tulsa.click()
    wait_for_app(page)
    expect(page.get_by_text(ui.OWN_DATA_LOST)).to_be_visible()
    expect(page.get_by_text(ui.VIEWS_FILE_LOST)).to_be_visible()
    expect(page.get_by_test_id("stMarkdown").filter(has_text="Your data:")).to_have_count(0)
    assert views_count(panel) == len(views.load().views), "the old session's add was replayed"
