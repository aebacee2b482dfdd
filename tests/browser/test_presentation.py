"""Presentation mode on a 1920x1080 projector: a headline says in words what the view shows (the controls
that would say it are hidden), and chart text is large enough for the back of the room."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from explorer import charts, headline
from harness.browser import new_tab

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1920, "height": 1080}


def open_presented(browser, server, path: str):
    tab = new_tab(browser, viewport=PROJECTOR)
    tab.goto(f"{server.base_url}/{path}")
    expect(tab.locator(".st-key-present_headline")).to_be_visible()
    tab.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    expect(tab.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0)
    return tab


def test_the_county_map_view_names_group_gender_outcome_parents_and_scale(browser, server):
    tab = open_presented(browser, server, "us-counties?group=black&gender=male&present=1")
    text = tab.locator(".st-key-present_headline").inner_text()
    assert text == headline.view_headline("us-counties", {"group": "black", "gender": "male"})
    for words in ("Black children, men", "household income rank at about age 35", "25th percentile",
                  "colours compared with the US"):
        assert words in text
    legend = tab.locator(".projector-legend")  # the map's legend in the page's large type
    expect(legend).to_be_visible()
    assert legend.evaluate("t => parseFloat(getComputedStyle(t.querySelector('td + td')).fontSize)") >= 20
    box = legend.bounding_box()
    assert box["y"] + box["height"] <= PROJECTOR["height"], "the legend is below the fold"
    tab.context.close()


def test_the_gaps_view_names_the_city_outcome_and_percentile_and_its_chart_text_is_20px(browser, server):
    tab = open_presented(browser, server, "race-class-gaps?city=tulsa&outcome=kir&gender=male&pctile=40&present=1")
    text = tab.locator(".st-key-present_headline").inner_text()
    assert text.startswith("Tulsa, OK and the US - sons") and "individual income rank, parents at the 40th percentile" in text
    chart = tab.get_by_test_id("stVegaLiteChart").first
    expect(chart.locator("text").first).to_be_attached()
    sizes = chart.evaluate("c => [...c.querySelectorAll('text')].filter(t => t.textContent.trim())"
                           ".map(t => parseFloat(getComputedStyle(t).fontSize))")
    assert sizes and min(sizes) >= charts.PROJECTOR_SIZE, sorted(set(sizes))
    box = chart.bounding_box()
    assert box["y"] < PROJECTOR["height"], "the first chart starts below the fold"
    tab.context.close()


def test_a_walk_view_with_its_note_and_questions_keeps_the_map_and_legend_above_the_fold(browser, server):
    """The stepper's note and the room's questions fold side by side in one row above the map."""
    tab = open_presented(browser, server, "us-counties?group=black&view=5&present=1")
    expect(tab.locator(".st-key-view_stepper")).to_contain_text("View 5 of 11")
    main = tab.get_by_test_id("stMainBlockContainer")
    note, questions = (main.get_by_test_id("stExpander").filter(has_text=name)
                       for name in ("Facilitator's note", "Questions for the room"))
    expect(tab.locator(".projector-legend")).to_be_visible()  # the page drawn to its end, reruns done

    def same_row() -> bool:
        return note.bounding_box()["y"] == questions.bounding_box()["y"]
    for _ in range(20):  # a rerun (the address written once) may still be replacing the elements
        if same_row():
            break
        tab.wait_for_timeout(250)
    assert same_row(), (note.bounding_box(), questions.bounding_box())
    questions.get_by_text("Questions for the room").click()
    expect(questions).to_contain_text("Look at your county and the ones around it.")
    questions.get_by_text("Questions for the room").click()
    box = tab.locator(".projector-legend").bounding_box()
    assert box["y"] + box["height"] <= PROJECTOR["height"], "the legend is below the fold"
    tab.context.close()
