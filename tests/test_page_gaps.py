"""The race and class gaps page through the router: every city, every outcome, real numbers."""
from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest

from explorer import config, gaps
from explorer.data import store
from tests import conftest

PAGE = "pages/gaps.py"
CHARTS = 10  # curves 1 + sons/daughters 2 + prison 2 + county gaps 2 + scatter 1 + mobility 2


def open_page(city: str = config.DEFAULT_CITY, **state):
    """The gaps page for `city`, with `state` in session."""
    return conftest.open_page(PAGE, city=city, state=state)


def specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def numbers(sentence: str) -> list[float]:
    return [float(n) for n in re.findall(r"\d+\.\d", sentence)]


def first_sentence(at, gender_word: str = "Children", group: str = "Black") -> str:
    return next(m.value for m in at.markdown if m.value.strip("*").startswith(gender_word)
                and f": {group} " in m.value)


def selected_labels(spec: dict) -> set[str]:
    """Labels of the county rows drawn solid (the selected city) in a county gap chart spec."""
    dots = next(layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "circle")
    return {row["label"] for row in dots["data"]["values"] if row["selected"]}


@pytest.fixture(scope="module")
def detroit():
    return open_page()


def test_page_renders_with_every_chart_its_caption_and_table(detroit):
    at = detroit
    assert not at.exception and not at.error
    assert len(at.get("vega_lite_chart")) == CHARTS
    captions = [c.value for c in at.caption]
    assert all(text in captions for text in gaps.HOW_TO_READ.values())
    assert {t.key for t in at.main.toggle} == {f"gap_{name}_table" for name in gaps.HOW_TO_READ}
    # every chart: a CSV of its table, plus PNG and SVG of the chart itself
    assert len(at.main.get("download_button")) == len(gaps.HOW_TO_READ) + 2 * CHARTS
    assert at.selectbox(key="gap_outcome").value == "kfr"
    assert at.radio(key="gap_gender").value == "pooled"
    assert at.slider(key="gap_pctile").value == 25


def test_gap_sentence_at_p25_matches_raw_file(detroit, raw_national):
    black = raw_national.loc[25, "kfr_black_pooled"] * 100
    white = raw_national.loc[25, "kfr_white_pooled"] * 100
    sentence = first_sentence(detroit)
    assert sentence == (f"**Children of parents at the 25th percentile: Black {black:.1f}, white {white:.1f}; "
                        f"a gap of {white - black:.1f} percentile points.**")
    assert gaps.ROUNDING_NOTE in [c.value for c in detroit.caption]
    sons, daughters = first_sentence(detroit, "Sons"), first_sentence(detroit, "Daughters")
    assert numbers(sons)[:2] == [round(raw_national.loc[25, f"kir_{r}_male"] * 100, 1) for r in ("black", "white")]
    assert numbers(daughters)[:2] == [round(raw_national.loc[25, f"kir_{r}_female"] * 100, 1)
                                      for r in ("black", "white")]


def test_jailed_sons_gap_is_rounded_from_the_unrounded_values(detroit, raw_national):
    black, white = (raw_national.loc[25, f"jail_{race}_male"] * 100 for race in ("black", "white"))
    sons = next(m.value for m in detroit.markdown if m.value.startswith("Sons") and "%" in m.value)
    assert f"a gap of {black - white:.1f} percentage points" in sons
    assert f"{black - white:.1f}" == "8.2"  # 11.07 - 2.823; the rounded values shown (11.1, 2.8) would say 8.3


def test_cities_chart_says_the_city_gap_against_the_us_gap(detroit, raw_counties, raw_national):
    raw = raw_counties.loc["26163"]
    county = round((raw["kfr_white_pooled_p25"] - raw["kfr_black_pooled_p25"]) * 100, 1)
    us = round((raw_national.loc[25, "kfr_white_pooled"] - raw_national.loc[25, "kfr_black_pooled"]) * 100, 1)
    shown = [m.value for m in detroit.markdown if m.value.startswith("Black-white gap at the 25th percentile")]
    assert len(shown) == 1
    assert f"{us:.1f} percentile points across the US; {county:.1f} in Wayne County (Detroit)," in shown[0]
    assert any(m.value.startswith("In the middle US county the rank-rank slope is") for m in detroit.markdown)


def test_every_city_renders_with_its_counties_highlighted():
    at = open_page()
    for city in config.CITIES.values():
        at.sidebar.selectbox(key="city").set_value(city.id).run()
        assert not at.exception and not at.error, city.id
        assert f"{city.name} and the other cities against the nation" in [h.value for h in at.header]
        county_charts = specs(at)[5:7]
        study = store.study_counties(city.id, config.PROCESSED_DIR)
        wanted = {f"{config.county_label(name, state)} ({city.name})"
                  for name, state in zip(study["county_name"], study["state_name"])}
        assert selected_labels(county_charts[0]) == selected_labels(county_charts[1]) == wanted, city.id


@pytest.mark.parametrize("gender", list(config.GENDERS))
def test_every_outcome_renders_with_sentence_from_raw(raw_national, gender):
    at = open_page(gap_gender=gender)
    for outcome, metric in config.NATIONAL_OUTCOMES.items():
        at.selectbox(key="gap_outcome").set_value(outcome).run()
        assert not at.exception and not at.error, outcome
        assert f"{metric.label}, by parents' income and race" in [h.value for h in at.header]
        sentence = first_sentence(at, gaps.CHILDREN[gender].capitalize())
        black = raw_national.loc[25, f"{outcome}_black_{gender}"] * 100
        white = raw_national.loc[25, f"{outcome}_white_{gender}"] * 100
        assert numbers(sentence) == [round(black, 1), round(white, 1), round(abs(white - black), 1)], sentence
        assert gaps.reading_of(metric).gap_words in sentence


def test_slider_moves_sentence_and_every_percentile_rule(raw_national):
    at = open_page()
    at.slider(key="gap_pctile").set_value(90).run()
    assert not at.exception
    sentence = first_sentence(at)
    assert "90th percentile" in sentence
    assert numbers(sentence)[:2] == [round(raw_national.loc[90, f"kfr_{r}_pooled"] * 100, 1)
                                     for r in ("black", "white")]
    moved = [s for s in specs(at) if any(p.get("name") == "selected_pctile" for p in s.get("params", []))]
    assert len(moved) == 5  # the five parent-percentile charts
    assert all(next(p["value"] for p in s["params"] if p["name"] == "selected_pctile") == 90 for s in moved)
    daughters = first_sentence(at, "Daughters")
    assert "no national estimate for Black daughters" in [s for s in (m.value for m in at.markdown)
                                                          if "Daughters" in s][-1]  # prison: suppressed at 90
    assert daughters.startswith("Daughters of parents at the 90th percentile: Black")


def test_county_gap_table_matches_raw_file(raw_counties):
    at = open_page()
    at.toggle(key="gap_counties_table").set_value(True).run()
    table = next(d.value for d in at.dataframe if "county_fips" in d.value.columns)
    wayne = table[(table["county_fips"] == "26163") & (table["comparison"] == "Black-white")].iloc[0]
    raw = raw_counties.loc["26163"]
    assert wayne["gap (white minus group, percentile points)"] == round(
        (raw["kfr_white_pooled_p25"] - raw["kfr_black_pooled_p25"]) * 100, 1)
    assert wayne["status"] == "estimate"
    assert len(table) == 2 * 13


@pytest.mark.parametrize("pctile", [500, 0, 25.5, "25", True])
def test_edited_link_values_fall_back_to_defaults(pctile):
    at = open_page(gap_outcome="<script>", gap_gender="nobody", gap_pctile=pctile)
    assert not at.exception and not at.error
    assert at.selectbox(key="gap_outcome").value == "kfr"
    assert at.radio(key="gap_gender").value == "pooled"
    assert at.slider(key="gap_pctile").value == 25


def test_suppressed_county_is_listed_not_dropped(tmp_path, monkeypatch):
    """With Osage County's Hispanic estimate blanked, the page names it instead of dropping it."""
    for name in ("national_percentiles", "study_counties"):
        shutil.copy(config.PROCESSED_DIR / config.PROCESSED_FILES[name], tmp_path)
    counties = pd.read_parquet(config.PROCESSED_DIR / config.PROCESSED_FILES["counties"])
    counties.loc[counties["county_fips"] == "40113", ["kfr_hisp_pooled_p25", "kfr_hisp_pooled_p25_se"]] = None
    counties.to_parquet(tmp_path / config.PROCESSED_FILES["counties"])
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(tmp_path))
    at = open_page("tulsa")
    assert not at.exception and not at.error
    assert ("Too few children to estimate: Osage County (Tulsa), Hispanic-white gap "
            "(too few Hispanic children to estimate).") in [i.value for i in at.info]
    hispanic = specs(at)[6]
    notes = next(layer for layer in hispanic["layer"] if layer.get("mark", {}).get("type") == "text"
                 and layer["encoding"]["text"]["field"] == "status")
    assert notes["data"]["values"] == [{"label": "Osage County (Tulsa)",
                                        "status": "too few Hispanic children to estimate"}]
