"""Text from outside the app stays plain text in the browser: no link, picture or markup is made from
what a link, an uploaded file or a views file says (Markdown's autolinks included)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from harness.browser import expand_sidebar, go_to_page_in_nav, open_page, wait_for_app
from harness.pages import PAGES

from .helpers import page_by_file
from .test_upload import upload

pytestmark = pytest.mark.browser

MAPS = page_by_file("pages/maps.py")
TITLE = "Open https://evil.example/login now"
NOTE = "Write to someone@example.org or see www.phish-example.com and [this](https://evil.example)"


def links_made(page) -> list[str]:
    """Every link on the page that points outside the app (ours are relative or on this server)."""
    return page.evaluate("""() => [...document.querySelectorAll('a[href]')].map((a) => a.href)
      .filter((href) => !href.startsWith(location.origin) && !href.startsWith('https://opportunityinsights.org')
        && !href.startsWith('https://www.census.gov'))""")


def test_a_link_parameter_that_looks_like_an_address_is_not_a_link(page, server):
    open_page(page, server, PAGES[0])
    page.goto(f"{server.base_url}/?www.phish-example.com=1&mail=a@phish-example.com")
    toast = page.get_by_test_id("stToast")
    expect(toast).to_contain_text("phish-example.com")
    assert toast.locator("a").count() == 0
    assert not [href for href in links_made(page) if "phish" in href]


def test_a_views_file_title_and_note_are_text_on_the_projector(page, server):
    views = (f'title = "Walk via www.phish-example.com"\n[[view]]\ntitle = "{TITLE}"\nnote = "{NOTE}"\n'
             'page = "neighborhoods"\n').encode()
    open_page(page, server, PAGES[0])
    expand_sidebar(page)
    panel = page.get_by_test_id("stSidebar").get_by_test_id("stExpander").filter(has_text="Facilitator's views")
    panel.get_by_text("Facilitator's views").first.click()
    panel.locator('input[type="file"]').set_input_files({"name": "walk.toml", "mimeType": "application/toml",
                                                          "buffer": views})
    wait_for_app(page)
    expect(panel.get_by_text("Walk via www")).to_contain_text("phish-example.com")
    panel.get_by_role("link", name="Present these views").click()
    stepper = page.locator(".st-key-view_stepper")
    expect(stepper).to_contain_text("evil.example/login now")
    page.get_by_text("Facilitator's note").click()
    expect(page.get_by_test_id("stExpander").filter(has_text="Facilitator's note")).to_contain_text("someone")
    assert links_made(page) == []


def test_an_uploaded_column_that_looks_like_an_address_is_text_in_the_legend(page, server):
    open_page(page, server, PAGES[0], city="detroit")
    go_to_page_in_nav(page, MAPS)
    upload(page, b'GEOID,www.phish-example.com\n26163500100,12\n26163500200,30\n')
    expect(page.get_by_test_id("stMarkdown").filter(has_text="Your data:")).to_contain_text("phish-example.com")
    assert links_made(page) == []
