"""Accessibility: axe-core (pinned in package.json, injected by Playwright) on every registered page.

Fails on critical or serious violations, except those listed in KNOWN_VIOLATIONS with the reason they
remain (each one is also explained in the README's accessibility section).
"""
from __future__ import annotations

import pytest

from harness.browser import open_page
from harness.pages import PAGES

from .helpers import AXE_SCRIPT, page_ids

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = ("critical", "serious")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# axe rule id -> why it remains. Only violations that come from Streamlit's own widgets (not our code)
# and that we cannot change from the app belong here.
KNOWN_VIOLATIONS: dict[str, str] = {}


@pytest.fixture(autouse=True)
def needs_axe():
    if not AXE_SCRIPT.exists():
        pytest.skip(f"axe-core not found at {AXE_SCRIPT.relative_to(AXE_SCRIPT.parents[2])}: run npm ci")


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return result["violations"]


def describe(violation: dict) -> str:
    targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
    return f"{violation['id']} ({violation['impact']}): {violation['help']} -- e.g. {targets}"


@pytest.mark.parametrize("app_page", PAGES, ids=page_ids(PAGES))
def test_page_has_no_serious_accessibility_violations(page, server, app_page):
    """WCAG 2.1 A/AA rules: no critical or serious violation on the page as first drawn."""
    open_page(page, server, app_page)
    blocking = [v for v in run_axe(page)
                if v["impact"] in BLOCKING_IMPACTS and v["id"] not in KNOWN_VIOLATIONS]
    assert not blocking, "\n".join(describe(v) for v in blocking)
