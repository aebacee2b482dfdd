"""The app's own map in a real browser: every click on a tract counts, and the whole area fits the screen.

A room clicks quickly, on laptops and on phones; a click that does not register, a selection the details
do not show, or an area cropped at the edges of a phone's screen is what people notice first.
"""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from explorer import config
from explorer.maps import tract_details
from harness.browser import DESKTOP, new_tab, open_page, wait_for_app

from .helpers import page_by_file

pytestmark = pytest.mark.browser

MAPS = page_by_file("pages/maps.py")


def tract_points(page, count: int) -> list[tuple[float, float]]:
    """`count` points (frame pixels) over different tracts, spread across the map: the map itself says
    which tract lies under a point (the same picking a click uses), so no point falls in the river."""
    return page.evaluate("""(count) => {
      const map = document.querySelector('iframe').contentWindow.areaMap;
      const [width, height] = map.size(), points = [], seen = new Set();
      for (let row = 1; row < 8 && points.length < count; row++) {
        for (let column = 1; column < 8 && points.length < count; column++) {
          const x = width * column / 8, y = height * ((row + column) % 7 + 1) / 8;
          const id = map.pick(x, y);
          if (id && !seen.has(id)) { seen.add(id); points.push([x, y]); }
        }
      }
      return points;
    }""", count)


def open_detroit_map(page, server):
    open_page(page, server, MAPS, city="detroit")
    frame = page.frame_locator("iframe").first
    expect(frame.locator("canvas")).to_have_count(1)
    page.wait_for_function("() => { const f = document.querySelector('iframe');"
                           " return !!f && !!f.contentWindow.areaMap && !!f.contentWindow.areaMap.size(); }")
    return page.locator("iframe").first


def selected_in_frame(page) -> list[str]:
    return page.evaluate("() => document.querySelector('iframe').contentWindow.areaMap.selected()")


def test_five_quick_clicks_all_count_and_a_sixth_is_refused_in_words(page, server):
    """Five different tracts clicked 1.5 s apart: all five outlined, in the details and in the address."""
    frame = open_detroit_map(page, server)
    box = frame.bounding_box()
    points = tract_points(page, 6)
    for x, y in points[:5]:
        page.mouse.click(box["x"] + x, box["y"] + y)
        time.sleep(1.5)
    wait_for_app(page)
    picked = selected_in_frame(page)
    assert len(set(picked)) == 5
    expect(page.locator("strong").filter(has_text=re.compile(r" - tract [0-9.]+$"))).to_have_count(5)  # details
    tracts = re.search(r"tracts=([0-9%C,]+)", page.url).group(1).replace("%2C", ",").split(",")
    assert tracts == picked
    page.mouse.click(box["x"] + points[5][0], box["y"] + points[5][1])
    expect(page.frame_locator("iframe").first.get_by_role("status")).to_have_text(tract_details.too_many_tracts())
    assert selected_in_frame(page) == picked


@pytest.mark.parametrize("viewport", [DESKTOP, {"width": 1440, "height": 900}, {"width": 390, "height": 844}],
                         ids=["1280x900", "1440x900", "390x844"])
def test_the_whole_study_area_fits_the_map(browser, server, viewport):
    """The first view is fitted to the frame's real size: the area's corners land inside the canvas."""
    phone = viewport["width"] < 500
    tab = new_tab(browser, viewport=viewport, is_mobile=phone, has_touch=phone)
    try:
        frame = open_detroit_map(tab, server)
        frame.scroll_into_view_if_needed()
        corners, size = tab.evaluate("() => { const m = document.querySelector('iframe').contentWindow.areaMap;"
                                     " return [m.corners(), m.size()]; }")
        width, height = size
        assert width <= viewport["width"]
        for x, y in corners:
            assert 0 <= x <= width and 0 <= y <= height, (corners, size)
        (west_x, south_y), (east_x, north_y) = corners
        assert east_x - west_x > 0.8 * width or south_y - north_y > 0.8 * height  # fills the frame one way
    finally:
        tab.context.close()


class ScriptRuns:
    """How each of the server's runs for this tab ended, read from the app's WebSocket: a full run
    ("FINISHED_SUCCESSFULLY") or a rerun of one part of the page ("FINISHED_FRAGMENT_RUN_SUCCESSFULLY")."""

    def __init__(self, page):
        self.ends: list[str] = []
        page.on("websocket", lambda socket: socket.on("framereceived", self._read))

    def _read(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        if not isinstance(payload, (bytes, bytearray)):
            return
        message = ForwardMsg()
        message.ParseFromString(bytes(payload))
        if message.WhichOneof("type") == "script_finished":
            self.ends.append(ForwardMsg.ScriptFinishedStatus.Name(message.script_finished))


def share_link(page) -> str:
    """The link in the sidebar's "Share this view" popover."""
    page.get_by_test_id("stSidebar").get_by_text("Share this view").click()
    code = page.get_by_test_id("stPopoverBody").get_by_test_id("stCode")
    text = code.inner_text()
    page.keyboard.press("Escape")
    return text


def test_a_click_and_a_switch_rerun_only_the_map_part_and_the_link_follows(page, server):
    """A tract click or a colour-scale switch reruns a part of the page, not the page (the server's
    work per click), and the address and the share link name the new choice at once."""
    runs = ScriptRuns(page)
    frame = open_detroit_map(page, server)
    box = frame.bounding_box()
    (x, y), = tract_points(page, 1)
    runs.ends.clear()
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page.locator("strong").filter(has_text=re.compile(r" - tract [0-9.]+$"))).to_have_count(1)
    wait_for_app(page)
    (tract,) = selected_in_frame(page)
    assert runs.ends and set(runs.ends) == {"FINISHED_FRAGMENT_RUN_SUCCESSFULLY"}
    assert f"tracts={tract}" in page.url and f"tracts={tract}" in share_link(page)
    before = page.evaluate("() => document.querySelector('iframe').contentWindow.areaMap.styled()")
    runs.ends.clear()
    page.get_by_text("Within this area").click()
    page.wait_for_url(re.compile(r"scale=within"))
    wait_for_app(page)
    assert runs.ends and set(runs.ends) == {"FINISHED_FRAGMENT_RUN_SUCCESSFULLY"}
    assert "scale=within" in share_link(page)
    styled = page.evaluate("() => document.querySelector('iframe').contentWindow.areaMap.styled()")
    assert styled.startswith(f"{config.TRACT_METRICS[0]}|") and styled != before
    assert selected_in_frame(page) == [tract]  # the switch kept the selection
