"""The "Race gap by tract" page through the router, with and without the national pack."""
from __future__ import annotations

import csv
import io
import json
import math

import pytest

from explorer import registry
from explorer.data import cache
from explorer.national import race_gaps, read
from tests import conftest

PAGE = "pages/race_gap_map.py"
Z95 = 1.959964


def expected_gaps(body: bytes, county: str, outcome: str, gender: str, pct: str) -> dict[str, tuple]:
    """White minus Black per tract and its 95% interval, straight from the fixture CSV (independent)."""
    out = {}
    for row in csv.DictReader(io.StringIO(body.decode())):
        tract = f"{int(row['state']):02d}{int(row['county']):03d}{int(row['tract']):06d}"
        black, white = (row[f"{outcome}_{race}_{gender}_p{pct}"] for race in ("black", "white"))
        if tract.startswith(county) and black and white:
            se = math.sqrt(float(row[f"{outcome}_black_{gender}_p{pct}_se"]) ** 2
                           + float(row[f"{outcome}_white_{gender}_p{pct}_se"]) ** 2)
            gap = float(white) - float(black)
            out[tract] = (gap * 100, (gap - Z95 * se) * 100, (gap + Z95 * se) * 100)
    return out


def open_page(monkeypatch, base, **state):
    """The page on the national folder `base`, with `state` in session (tests.conftest.open_page)."""
    monkeypatch.setenv(read.NATIONAL_DIR_ENV, str(base))
    return conftest.open_page(PAGE, state=state)


def test_without_the_pack_a_link_says_the_page_is_not_on_this_site_without_a_command(monkeypatch, tmp_path):
    at = open_page(monkeypatch, tmp_path, national_county="26163")
    assert not at.exception
    assert at.title[0].value == registry.BY_ID["tract-gaps"].title == "Race gap by tract"
    assert at.info[0].value.startswith("**This page is not available on this site.**")
    assert any("any US county" in element.value for element in at.main.markdown)  # what it would offer
    words = " ".join(element.value for element in [*at.main.info, *at.main.markdown, *at.main.caption])
    assert not at.main.code and "python" not in words and "explorer.national" not in words
    assert not at.get("deck_gl_json_chart") and not at.main.selectbox  # no controls, no map


def menu_visibility(monkeypatch, base) -> dict[str, str]:
    """Each page's menu visibility as app.py hands it to st.Page, on the national folder `base`."""
    import streamlit
    seen, page = {}, streamlit.Page

    def recording_page(file, **kwargs):
        seen[kwargs["url_path"]] = kwargs.get("visibility", "visible")
        return page(file, **kwargs)

    monkeypatch.setattr(streamlit, "Page", recording_page)
    monkeypatch.setenv(read.NATIONAL_DIR_ENV, str(base))
    assert not conftest.app_test().run().exception
    return seen


def test_the_menu_lists_the_page_only_with_the_pack(monkeypatch, tmp_path, national_pack):
    without = menu_visibility(monkeypatch, tmp_path)
    assert without.pop("tract-gaps") == "hidden" and set(without.values()) == {"visible"}
    assert len(without) == len(registry.PAGES) - 1
    assert set(menu_visibility(monkeypatch, national_pack).values()) == {"visible"}


def test_gap_table_equals_an_independent_computation(monkeypatch, national_pack, national_files):
    at = open_page(monkeypatch, national_pack, national_county="26163", national_gap_table=True)
    assert not at.exception
    table = at.dataframe[1].value  # legend, gap table (shown by its toggle), tract details
    expected = expected_gaps(national_files["/oi/tract_outcomes_simple.csv"], "26163", "kfr", "pooled", "25")
    assert sorted(table["tract"]) == sorted(expected) == ["26163510100", "26163510200", "26163510400"]
    for row in table.itertuples(index=False):
        gap, low, high = expected[row[0]]
        assert row[3] == pytest.approx(gap, abs=0.01)
        assert (row[4], row[5]) == (pytest.approx(low, abs=0.01), pytest.approx(high, abs=0.01))
    verdicts = dict(zip(table["tract"], table["verdict"]))
    assert verdicts == {"26163510100": "clearly different", "26163510200": "not clearly different",
                        "26163510400": "clearly different"}


def test_gap_map_draws_only_tracts_with_both_estimates(monkeypatch, national_pack):
    at = open_page(monkeypatch, national_pack, national_county="26163")
    assert not at.exception
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    tracts = next(layer for layer in spec["layers"] if layer["id"] == "tracts")
    ids = ["26163510100", "26163510200", "26163510400"]
    titles = cache.tract_titles("26163")  # the bundled Atlas labels, where they name a tract
    assert [f["t"] for f in tracts["data"]] == [race_gaps.title_of(t, titles) for t in ids]
    assert tracts["data"][-1]["t"].endswith(" - tract 5104")
    first = tracts["data"][0]
    assert (first["w"], first["k"], first["g"], first["i"]) == ("45.0", "30.0", "+15.0", "+12.2 to +17.8")
    tooltip = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)["html"]
    assert "Gap (white minus Black): <b>{g}</b> percentile points<br/>95% interval {i}" in tooltip
    lines = [f["v"] for f in tracts["data"]]
    assert lines == ["clearly different", "not clearly different", "clearly different"]


@pytest.mark.parametrize("state", [
    {"national_county": "22071", "national_view": "group", "national_race": "white"},
    {"national_county": "26065", "national_outcome": "jail", "national_gender": "male"},
    {"national_county": "26163", "national_outcome": "kfr", "national_pct": 75, "national_gender": "female"},
    {"national_county": "22071", "national_outcome": "kfr_top20", "national_view": "group"},
    {"national_county": "26163", "national_basemap": True},
])
def test_other_choices_render(monkeypatch, national_pack, state):
    at = open_page(monkeypatch, national_pack, **state)
    assert not at.exception
    assert at.selectbox(key="national_county").value == state["national_county"]


def test_tract_details_show_covariates_from_the_source(monkeypatch, national_pack, national_files):
    at = open_page(monkeypatch, national_pack, national_county="22071", national_tract="22071000200")
    details = at.dataframe[-1].value.set_index("item")["value"]
    row = next(r for r in csv.DictReader(io.StringIO(national_files["/oi/tract_covariates.csv"].decode()))
               if r["county"] == "71" and r["tract"] == "200")
    assert details["Median household income (2016)"] == f"${int(row['med_hhinc2016']):,}"
    assert details["Share in poverty (2010)"] == f"{float(row['poor_share2010']):.1%}"


def test_default_county_is_the_current_citys(monkeypatch, national_pack):
    at = open_page(monkeypatch, national_pack, city="detroit")
    assert at.selectbox(key="national_county").value == "26163"


def test_a_state_without_boundaries_says_so_instead_of_a_map(monkeypatch, national_pack, tmp_path):
    import shutil
    copy = tmp_path / "national"
    shutil.copytree(national_pack, copy)
    shutil.rmtree(read.pack_dir(copy) / "tract_shapes" / "state=22")
    at = open_page(monkeypatch, copy, national_county="22071")
    assert not at.exception
    assert not at.get("deck_gl_json_chart")
    assert "tract boundaries for Orleans Parish, Louisiana are missing from this site's national data" in at.info[0].value
    assert "python" not in at.info[0].value
    assert at.selectbox(key="national_tract").value == "22071000100"  # details still there


def test_a_link_opens_the_same_county_outcome_and_group_and_the_address_follows(monkeypatch, national_pack, national_files):
    """?county=...&outcome=...&show=group&race=white restores every control, the map shows that group's
    values straight from the fixture CSV, and the address written back is the same link."""
    monkeypatch.setenv(read.NATIONAL_DIR_ENV, str(national_pack))
    params = {"city": "tulsa", "gender": "female", "pctile": "75", "county": "22071", "show": "group",
              "race": "white"}  # outcome: the default, kfr (the one with p75 columns in the fixture)
    at = conftest.open_page(PAGE, state={"national_group_table": True}, params=params)  # table shown
    assert not at.exception and not at.toast
    assert (at.selectbox(key="national_county").value, at.selectbox(key="national_outcome").value,
            at.radio(key="national_pct").value, at.radio(key="national_gender").value,
            at.radio(key="national_race").value) == ("22071", "kfr", 75, "female", "white")
    column = "kfr_white_female_p75"
    expected = {f"{int(r['state']):02d}{int(r['county']):03d}{int(r['tract']):06d}": float(r[column])
                for r in csv.DictReader(io.StringIO(national_files["/oi/tract_outcomes_simple.csv"].decode()))
                if r["state"] == "22" and int(r["county"]) == 71 and r[column]}
    table = next(d.value for d in at.dataframe if "value" in d.value.columns).set_index("tract")
    assert expected and {t: round(v, 6) for t, v in table["value"].items() if v == v} == {
        t: round(v, 6) for t, v in expected.items()}
    assert {name: at.query_params[name] for name in at.query_params} == params


def test_a_link_with_a_county_the_pack_lacks_falls_back_to_the_citys(monkeypatch, national_pack):
    monkeypatch.setenv(read.NATIONAL_DIR_ENV, str(national_pack))
    at = conftest.open_page(PAGE, params={"city": "detroit", "county": "99999"})
    assert not at.exception
    assert at.selectbox(key="national_county").value == "26163"
