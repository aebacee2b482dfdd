"""AppTest of the City pilot profile and Compare cities pages, through the router."""
from __future__ import annotations

import ast
import json

import pytest

from explorer import config, pilots, profiles, registry
from explorer.data import store
from tests import conftest

ALL = list(config.CITIES)


def open_page(page: str, city_id: str = config.DEFAULT_CITY):
    at = conftest.open_page(page, city=city_id)
    assert not at.exception
    return at


def markdown_text(at) -> str:
    return "\n".join(element.value for element in at.markdown)


@pytest.mark.parametrize("city_id", ALL)
def test_profile_renders_every_city_with_its_numbers(raw_counties, city_id):
    city = config.CITIES[city_id]
    at = open_page("pages/profile.py", city_id)
    assert at.title[0].value == city.label
    profile = pilots.load_pilots().profiles[city_id]
    assert at.subheader[0].value == profile.pilot
    table = at.dataframe[0].value.set_index("Key number")
    expected = raw_counties.loc[city.main_county, "kfr_pooled_pooled_p25"] * 100
    assert table.loc["Income rank at ~35: all children", "This city"] == f"{expected:.1f}"
    jail = raw_counties.loc[city.main_county, "jail_black_male_p25"]
    assert table.loc["In prison or jail in 2010: Black men", "This city"] == f"{jail:.1%}"
    text = markdown_text(at)
    assert profiles.reference_note() in [c.value for c in at.caption]  # under the table, said once
    assert profile.summary.sources[0] in text  # facts carry their source links
    if not profile.sections["results"]:
        assert "No public result was found" in text


def test_profile_marks_unconfirmed_facts_and_shows_the_takeaways():
    at = open_page("pages/profile.py", "newark")
    assert "(unconfirmed)" in markdown_text(at)
    notes = " ".join(info.value for info in at.info)
    for title in ("Bring the whole community in", "each other's best resources", "Data and evidence"):
        assert title in notes


@pytest.mark.parametrize(("city_id", "peer_labels", "absent"), [
    ("detroit", ["Lansing, MI", "Newark, NJ", "Rochester, NY"], "Tulsa, OK"),
    ("tulsa", ["New Orleans, LA", "Racine, WI"], "Detroit, MI"),
])
def test_profile_lists_peer_cities(city_id, peer_labels, absent):
    at = open_page("pages/profile.py", city_id)
    text = markdown_text(at)
    for label in peer_labels:
        assert f"**{label}**" in text
    assert f"**{absent}**" not in text
    assert sorted(button.key for button in at.main.button) == sorted(
        f"peer_{c}" for c, city in config.CITIES.items() if city.label in peer_labels)


def test_peer_button_opens_that_city_profile(raw_counties):
    at = open_page("pages/profile.py", "newark")
    at.button(key="peer_detroit").click().run()
    assert not at.exception
    assert at.title[0].value == "Detroit, MI" and at.session_state["city"] == "detroit"
    expected = raw_counties.loc["26163", "kfr_pooled_pooled_p25"] * 100
    assert at.dataframe[0].value.iloc[0]["This city"] == f"{expected:.1f}"


def test_profile_without_peers_says_so():
    assert "No other city in the group shared a theme" in markdown_text(open_page("pages/profile.py", "dayton"))


def test_compare_defaults_to_all_nine_with_the_nation(raw_counties, raw_national):
    at = open_page("pages/compare.py")
    assert at.multiselect(key="compare_cities").value == ALL
    table = at.table[0].value
    assert len(table) == 10 and table["City"].iloc[-1] == profiles.US_ROW
    column = "Income rank: all"
    ranks = table.set_index("City")[column]
    assert ranks["Newark, NJ"] == pytest.approx(raw_counties.loc["34013", "kfr_pooled_pooled_p25"] * 100)
    assert ranks[profiles.US_ROW] == pytest.approx(raw_national.loc[25, "kfr_pooled_pooled"] * 100)
    assert list(ranks.iloc[:-1]) == sorted(ranks.iloc[:-1], reverse=True)  # sorted, highest first
    assert len(at.get("vega_lite_chart")) == 1


def test_compare_two_cities_sorted_by_another_column(raw_counties):
    at = open_page("pages/compare.py")
    at.multiselect(key="compare_cities").set_value(["detroit", "racine"]).run()
    at.selectbox(key="compare_sort").set_value("Jail 2010: Black men (%)").run()
    at.toggle(key="compare_descending").set_value(False).run()
    assert not at.exception
    table = at.table[0].value
    assert list(table["City"]) == ["Detroit, MI", "Racine, WI", profiles.US_ROW]  # Wayne 9.6% < Racine 21.3%
    assert table["Jail 2010: Black men (%)"].iloc[1] == pytest.approx(
        raw_counties.loc["55101", "jail_black_male_p25"] * 100)
    assert at.selectbox(key="compare_chart").value == "Jail 2010: Black men (%)"


def test_compare_with_fewer_than_two_cities_explains():
    at = open_page("pages/compare.py")
    at.multiselect(key="compare_cities").set_value(["tulsa"]).run()
    assert not at.exception
    assert "at least two cities" in at.info[0].value
    assert len(at.table) == 0


@pytest.mark.parametrize("city_id", ["racine", "detroit"])
def test_profile_map_shows_the_city_tracts_without_pan_or_zoom(city_id):
    """The small map draws exactly the tracts behind the top-20% key number and cannot be dragged."""
    at = open_page("pages/profile.py", city_id)
    maps_drawn = at.get("component_instance")
    assert len(maps_drawn) == 1 and not at.get("deck_gl_json_chart")
    spec = json.loads(maps_drawn[0].proto.json_args)["spec"]
    assert spec["interactive"] is False and spec["selectable"] is False
    study = store.study_tracts(city_id, config.PROCESSED_DIR)
    with_shape = set(store.tract_geometries(city_id, config.PROCESSED_DIR))
    expected = study[study["in_city"] & study["tract"].isin(with_shape)]
    assert len(spec["bins"]) == len(expected) and set(spec["shapes"]["ids"]) == set(expected["tract"])


class _Unmark(ast.NodeTransformer):
    """N_("text") (a text marked for translation) -> "text": the English literal it returns."""

    def visit_Call(self, node):
        if getattr(node.func, "id", None) == "N_" and len(node.args) == 1:
            return node.args[0]
        return self.generic_visit(node)


def constant(file: str, name: str):
    """A literal module-level constant of a script (app.py, a page), read without running it (texts marked
    N_() read as their English)."""
    tree = ast.parse((config.ROOT / file).read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            return ast.literal_eval(_Unmark().visit(node.value))
    raise AssertionError(f"{file} has no {name}")


def test_profile_links_open_registered_pages_on_the_same_city():
    """Links go only to pages the router has, and carry the city so the page opens on it."""
    linked = constant("pages/profile.py", "LINKED_PAGES")
    assert set(linked) <= set(registry.BY_ID)
    links = [link for link in open_page("pages/profile.py", "lansing").main.get("page_link")
             if link.proto.page not in ("compare-cities", "what-works")]  # (not on the same city: see their tests)
    assert len(links) == len(linked)
    assert all(link.proto.query_string == "city=lansing" for link in links)
    assert [link.proto.label for link in links] == [label.format(city="Lansing") for label in linked.values()]
