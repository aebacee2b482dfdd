"""Phones: every registered page at 390x844 (a common phone) scrolls only vertically and has readable controls."""
from __future__ import annotations

import pytest

from harness.browser import open_page
from harness.pages import PAGES

from .helpers import page_ids

pytestmark = pytest.mark.browser

MIN_CONTROL_FONT_PX = 12

# Controls a person reads or taps; hidden ones (collapsed sidebar, closed menus) do not count.
SMALL_CONTROLS_JS = """
minPx => [...document.querySelectorAll('button, input, select, textarea, [role=combobox], [role=switch], [role=tab], label')]
  .filter(el => el.offsetParent !== null && el.getBoundingClientRect().width > 0 && (el.innerText || el.value || '').trim())
  .map(el => ({text: (el.innerText || el.value || '').trim().slice(0, 40), px: parseFloat(getComputedStyle(el).fontSize)}))
  .filter(c => c.px < minPx)
"""


@pytest.mark.parametrize("app_page", PAGES, ids=page_ids(PAGES))
def test_page_fits_a_phone_screen(phone, server, app_page):
    """No horizontal scrolling of the page itself (wide tables and maps may scroll inside their own box)."""
    open_page(phone, server, app_page)
    widths = phone.evaluate("() => ({page: document.documentElement.scrollWidth, window: window.innerWidth})")
    assert widths["page"] <= widths["window"], f"page is {widths['page']} px wide in a {widths['window']} px window"


@pytest.mark.parametrize("app_page", PAGES, ids=page_ids(PAGES))
def test_phone_controls_are_readable(phone, server, app_page):
    """Buttons, inputs, toggles and labels use at least 12 px type on a phone."""
    open_page(phone, server, app_page)
    small = phone.evaluate(SMALL_CONTROLS_JS, MIN_CONTROL_FONT_PX)
    assert small == [], f"controls under {MIN_CONTROL_FONT_PX} px: {small}"
