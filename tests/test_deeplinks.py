"""Shareable links through the router: a prepared query string opens exactly that view on every page.

Each test opens a page the way a shared link does (the page's file, then the link's query string), and
checks the widgets, a number computed independently from data/raw, and that the URL written back
carries the same view (so copying it again gives the same link).
"""
from __future__ import annotations

import pandas as pd
import pytest

from explorer import config, links, plain, profiles, views
from explorer.maps import tract_map
from tests.conftest import open_page

TULSA_COUNTY = "40143"


def open_link(page_file: str, params: dict[str, str]):
    """The page opened from a link (tests.conftest.open_page)."""
    return open_page(page_file, params=params)


def url(at) -> dict[str, str]:
    return {name: at.query_params[name] for name in at.query_params}


def numbers_of(at, prefix: str) -> list[str]:
    return [m.value for m in at.markdown if m.value.strip("*").startswith(prefix)]


def test_gaps_link_restores_outcome_gender_and_percentile(raw_national):
    params = {"city": "tulsa", "gender": "male", "outcome": "kir", "pctile": "40"}
    at = open_link("pages/gaps.py", params)
    assert not at.exception and not at.toast
    assert at.session_state["city"] == "tulsa"
    assert (at.selectbox(key="gap_outcome").value, at.radio(key="gap_gender").value,
            at.slider(key="gap_pctile").value) == ("kir", "male", 40)
    black, white = (round(raw_national.loc[40, f"kir_{race}_male"] * 100, 1) for race in ("black", "white"))
    assert numbers_of(at, "Sons of parents at the 40th percentile")[0].strip("*").startswith(
        f"Sons of parents at the 40th percentile: Black {black}, white {white}")
    assert url(at) == params


def test_maps_link_restores_metric_scale_and_the_selected_tracts(raw_tracts):
    tulsa = raw_tracts[raw_tracts.index.str.startswith(TULSA_COUNTY)].dropna()
    chosen = list(tulsa.index[:2])
    params = {"city": "tulsa", "metric": "top20_p25", "scale": "within", "tracts": ",".join(chosen)}
    at = open_link("pages/maps.py", params)
    assert not at.exception and not at.toast
    assert at.selectbox(key="map_metric").value == "top20_p25" and at.radio(key="map_scale").value == "within"
    titles = [m.value for m in at.markdown if " - tract " in m.value]
    numbers = tract_map.tract_number(pd.Series(chosen)).tolist()
    assert len(titles) == 2 and [t.rsplit(" - tract ", 1)[1].strip("*") for t in titles] == numbers
    assert url(at) == params


def test_maps_link_drops_tracts_outside_the_city():
    at = open_link("pages/maps.py", {"city": "tulsa", "tracts": "26163500100"})  # a Detroit tract
    assert not at.exception
    assert not [m.value for m in at.markdown if m.value.startswith("**Tract ")]
    assert "tracts" not in url(at)


def test_county_map_link_restores_group_gender_and_basemap():
    params = {"basemap": "1", "group": "black", "gender": "female"}
    at = open_link("pages/county_map.py", params)
    assert not at.exception
    assert (at.selectbox(key="county_group").value, at.radio(key="county_gender").value,
            at.toggle(key="county_basemap").value) == ("black", "female", True)
    assert url(at) == params


def test_compare_link_restores_the_compared_cities():
    params = {"cities": "tulsa,detroit,newark"}
    at = open_link("pages/compare.py", params)
    assert not at.exception
    assert at.multiselect(key="compare_cities").value == ["tulsa", "detroit", "newark"]
    shown = at.table[0].value
    assert set(shown["City"]) - {profiles.US_ROW} == {config.CITIES[c].label for c in ("tulsa", "detroit", "newark")}
    assert url(at)["cities"] == params["cities"]


@pytest.mark.parametrize("page_file", ["pages/home.py", "pages/profile.py"])
def test_city_link_opens_that_city_on_pages_without_own_settings(page_file):
    at = open_link(page_file, {"city": "newark"})
    assert not at.exception
    assert at.selectbox(key="city").value == "newark"
    assert url(at) == {"city": "newark"}


def test_profile_offers_the_city_brief():
    at = open_link("pages/profile.py", {"city": "racine"})
    assert not at.exception
    assert at.title[0].value == config.CITIES["racine"].label
    labels = [button.proto.label for button in at.get("download_button")]
    assert f"One-page brief for {config.CITIES['racine'].name} (PDF)" in labels


def test_present_link_turns_on_presentation_mode():
    at = open_link("pages/gaps.py", {"present": "1"})
    assert not at.exception
    assert at.toggle(key="present").value is True
    assert at.button(key="present_exit").label == "Exit presentation"
    assert url(at)["present"] == "1"


def test_bad_values_are_ignored_with_one_notice_naming_them():
    at = open_link("pages/gaps.py", {"outcome": "salary", "pctile": "400", "colour": "red", "city": "atlantis"})
    assert not at.exception
    assert len(at.toast) == 1
    notice = plain.as_read(at.toast[0].value)  # shown as plain text: escaped Markdown
    for name in ("outcome=salary", "pctile=400", "colour", "city=atlantis"):
        assert name in notice
    assert at.session_state["city"] == config.DEFAULT_CITY
    assert (at.selectbox(key="gap_outcome").value, at.slider(key="gap_pctile").value) == ("kfr", 25)


def test_a_view_of_the_data_walk_opens_with_its_stepper():
    walk = views.load()
    number, view = next((n, v) for n, v in enumerate(walk.views, start=1) if v.page == "race-class-gaps"
                        and "outcome" in v.link)
    at = open_link("pages/gaps.py", views.step_params(walk, number, True))
    assert not at.exception
    assert at.selectbox(key="gap_outcome").value == view.link["outcome"]
    assert any(m.value.startswith(f"**View {number} of {len(walk.views)}:**") for m in at.markdown)
    assert url(at)["view"] == str(number) and url(at)["present"] == "1"


def test_stepping_to_a_view_for_another_city_changes_the_city():
    """The city picker seeds from ?city= only once; a newly opened link must still switch the city."""
    at = open_link("pages/gaps.py", {"city": "detroit"})
    for name in list(at.query_params):
        del at.query_params[name]
    at.query_params.update({"city": "lansing", "view": "2"})
    at.run()
    assert not at.exception
    assert at.session_state["city"] == "lansing"
    assert at.selectbox(key="city").value == "lansing"


def test_widget_values_round_trip_through_the_url_for_every_page():
    """What a page's widgets hold, written to the URL and read back, gives the same widget values."""
    state = {"city": "tulsa", "metric": "top20_p25", "scale": "within", "basemap": True, "group": "hisp",
             "gender": "female", "outcome": "jail", "pctile": 10, "cities": ("tulsa", "racine"), "present": True}
    for page in ("neighborhoods", "us-counties", "race-class-gaps", "compare-cities", "tract-gaps", "start", "pilot"):
        values = links.widget_values(links.page_state(state, page), page)
        decoded, notices = links.decode_given(links.encode(links.from_widgets(values, page)))
        assert notices == [] and links.widget_values(decoded, page) == values


PAGE_FILES = ("pages/home.py", "pages/maps.py", "pages/county_map.py", "pages/gaps.py", "pages/race_gap_map.py",
              "pages/profile.py", "pages/compare.py")


@pytest.mark.parametrize("page_file", PAGE_FILES)
def test_an_unknown_city_is_named_on_every_page(page_file):
    """?city=gotham: the page opens on the default city and one notice names the refused value."""
    at = open_link(page_file, {"city": "gotham"})
    assert not at.exception
    assert at.session_state["city"] == config.DEFAULT_CITY
    assert [plain.as_read(t.value) for t in at.toast] == [
        f"Ignored city=gotham (must be one of: {', '.join(config.CITIES)})."]


@pytest.mark.parametrize("typed", ["new_orleans", "New Orleans", "NEW-ORLEANS"])
def test_a_city_typed_by_hand_opens_its_profile(typed):
    at = open_link("pages/profile.py", {"city": typed})
    assert not at.exception and not at.toast
    assert at.session_state["city"] == "new-orleans"
    assert at.title[0].value == config.CITIES["new-orleans"].label
    assert url(at)["city"] == "new-orleans"  # the address is written back with the city's id
