"""Pure parts of the national pack: column names, tract ids, the within-tract gap and its interval."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from explorer import stats
from explorer.maps import deckgl, scales
from explorer.national import race_gaps, read, tract_views


@pytest.mark.parametrize("name, expected", [
    ("kfr_black_pooled_p25", ("kfr", "black", "pooled", "25", False)),
    ("kfr_black_pooled_p25_se", ("kfr", "black", "pooled", "25", True)),
    ("kfr_top20_white_female_p75", ("kfr_top20", "white", "female", "75", False)),
    ("jail_hisp_male_p25_se", ("jail", "hisp", "male", "25", True)),
    ("kfr_natam_pooled_p100", ("kfr", "natam", "pooled", "100", False)),
    ("black_pooled_count", None),
    ("kfr_26_pooled_pooled_p25", None),   # age-specific outcome in the full file: not offered
    ("kfr_black_pooled_mean", None),
    ("state", None),
])
def test_parse_outcome_column(name, expected):
    parts = read.parse_outcome_column(name)
    assert (None if parts is None else (parts["outcome"], parts["race"], parts["gender"], parts["pct"], parts["se"])) == expected


@pytest.mark.parametrize("columns, kept", [
    (["state", "kfr_black_pooled_p25", "kfr_black_pooled_p25_se", "kfr_black_pooled_p50"],
     ["kfr_black_pooled_p25", "kfr_black_pooled_p25_se"]),
    (["jail_white_male_p75", "white_male_count", "kfr_top20_pooled_pooled_p25"],
     ["jail_white_male_p75", "kfr_top20_pooled_pooled_p25"]),
    ([], []),
])
def test_wanted_columns_keep_p25_and_p75_outcomes(columns, kept):
    assert read.wanted_columns(columns) == kept


def test_choices_list_only_what_the_file_has_in_registry_order():
    columns = ["kfr_white_pooled_p25", "kfr_black_pooled_p25", "kfr_black_male_p75", "jail_black_pooled_p25_se"]
    assert read.choices(columns) == {"kfr": {"pct": ["25", "75"], "race": ["white", "black"],
                                                 "gender": ["pooled", "male"]}}


@pytest.mark.parametrize("state, county, tract, expected", [
    (22, 71, 100, "22071000100"),
    (1, 1, 20100, "01001020100"),
    (26, 163, 510100, "26163510100"),
    (56, 45, 951300, "56045951300"),
])
def test_tract_ids_are_zero_padded_to_11_digits(state, county, tract, expected):
    ids = read.tract_ids(pd.Series([state]), pd.Series([county]), pd.Series([tract]))
    assert ids.tolist() == [expected]


def _tracts(rows):
    frame = pd.DataFrame(rows, columns=["tract", "kfr_black_pooled_p25", "kfr_black_pooled_p25_se",
                                        "kfr_white_pooled_p25", "kfr_white_pooled_p25_se"])
    frame["county_fips"] = frame["tract"].str[:5]
    return frame


ROWS = [
    ("26163000100", 0.30, 0.01, 0.45, 0.01),
    ("26163000200", 0.40, 0.05, 0.42, 0.05),
    ("26163000300", np.nan, np.nan, 0.44, 0.02),
    ("26163000400", 0.47, 0.01, 0.40, 0.01),
    ("26163000500", 0.35, np.nan, 0.40, np.nan),
]


def test_race_gap_matches_the_scalar_gap_for_every_tract():
    gaps = race_gaps.race_gap(_tracts(ROWS), "kfr", "pooled", "25")
    assert gaps["tract"].tolist() == ["26163000100", "26163000200", "26163000400", "26163000500"]
    for row in gaps.itertuples():
        source = next(r for r in ROWS if r[0] == row.tract)
        expected = stats.gap(source[3], source[1], source[4], source[2])  # white minus Black
        for got, want in zip((row.gap, row.gap_low, row.gap_high), expected):
            assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want, abs=1e-12)


@pytest.mark.parametrize("tract, verdict", [
    ("26163000100", "clearly different"),      # white 15 points higher, interval 12.2 to 17.8
    ("26163000200", "not clearly different"),  # 2 points, interval includes 0
    ("26163000400", "clearly different"),      # Black 7 points higher
    ("26163000500", "no interval published"),  # estimates without standard errors
])
def test_gap_verdicts(tract, verdict):
    gaps = race_gaps.race_gap(_tracts(ROWS), "kfr", "pooled", "25").set_index("tract")
    assert race_gaps.gap_verdict(gaps.loc[tract, "clearly_different"]) == verdict


def test_race_gap_of_a_missing_group_is_empty():
    assert race_gaps.race_gap(_tracts(ROWS), "kfr", "male", "25").empty
    assert race_gaps.race_gap(pd.DataFrame(), "kfr", "pooled", "25").empty


@pytest.mark.parametrize("outcome, gap, clear, colour", [
    ("kfr", 0.15, True, "#b35806"),     # white 15 points higher: Black children much worse off, darkest orange
    ("kfr", 0.03, True, "#f1a340"),
    ("kfr", -0.01, True, "#d8daeb"),    # Black children slightly higher: lightest purple
    ("kfr", -0.07, True, "#542788"),
    ("kfr", 0.15, False, "#cdcdcd"),    # not clearly different: grey whatever the estimate
    ("jail", -0.08, True, "#b35806"),   # more Black children in prison (white minus Black < 0): worse, orange
    ("jail", 0.03, True, "#998ec3"),
])
def test_gap_colours(outcome, gap, clear, colour):
    gaps = pd.DataFrame({"gap": [gap], "clearly_different": pd.array([clear], dtype="boolean")})
    assert scales.rgb_to_hex(race_gaps.GAP_PALETTE[race_gaps.gap_classes(gaps, outcome)][0]) == colour


def test_gap_legend_counts_every_drawn_tract_once():
    gaps = race_gaps.race_gap(_tracts(ROWS), "kfr", "pooled", "25")
    legend = race_gaps.gap_legend(gaps, "kfr")
    assert legend["tracts"].sum() == len(gaps)
    assert legend.iloc[-1]["range"] == race_gaps.UNCLEAR_LABEL
    assert legend.iloc[-1]["tracts"] == 2  # one interval includes 0, one has no interval


def test_tooltips_escape_values_from_the_data():
    frame = _tracts([("<img src=x onerror=alert(1)>", 0.3, 0.01, 0.4, 0.01)])
    tip = race_gaps.gap_properties(race_gaps.race_gap(frame, "kfr", "pooled", "25"), "kfr")[0]
    assert tip["t"] == "Tract &lt;img src=x onerror=alert(1)&gt;"  # no bundled label: its id
    assert (tip["w"], tip["k"], tip["g"], tip["i"], tip["v"]) == ("40.0", "30.0", "+10.0", "+7.2 to +12.8",
                                                                  "clearly different")


def test_tract_gap_tooltips_title_tracts_as_every_other_map_does():
    """The pack has no labels of its own: titles come from the bundled Atlas labels of any US county."""
    from explorer.data import cache
    titles = cache.tract_titles("26163")
    assert titles["26163500100"] == "Regent Park, Detroit - tract 5001" and len(titles) > 600
    assert cache.tract_titles("40143")["40143000600"] == "Lacy Park, Tulsa - tract 6"
    frame = _tracts([("26163500100", 0.3, 0.01, 0.4, 0.01)])
    tip = race_gaps.gap_properties(race_gaps.race_gap(frame, "kfr", "pooled", "25"), "kfr", titles)[0]
    assert tip["t"] == "Regent Park, Detroit - tract 5001"
    values = pd.DataFrame({"tract": ["26163500100"], "value": [0.4], "low": [0.3], "high": [0.5]})
    assert tract_views.group_properties(values, "kfr", titles)[0]["t"] == "Regent Park, Detroit - tract 5001"
    assert race_gaps.gap_tooltip("kfr")["html"].startswith("<b>{t}</b>")


@pytest.mark.parametrize("outcome, words", [
    ("kfr", "Gap (white minus Black): <b>{g}</b> percentile points"),
    ("jail", "Gap (white minus Black): <b>{g}</b> percentage points"),
])
def test_gap_tooltip_template_has_our_words_and_the_escaped_fields(outcome, words):
    html = race_gaps.gap_tooltip(outcome)["html"]
    assert words in html and "{t}" in html and "{i}" in html and "{v}" in html


@pytest.mark.parametrize("outcome, value, shown", [
    ("kfr", 0.4567, "45.7"), ("jail", 0.0512, "5.1%"), ("kfr_top20", 0.25, "25.0%"), ("kfr", float("nan"), "no estimate"),
])
def test_outcome_format(outcome, value, shown):
    assert read.TRACT_OUTCOMES[outcome].format(value) == shown


@pytest.mark.parametrize("column, value, shown", [
    ("poor_share2010", 0.2345, "23.4%"), ("med_hhinc2016", 41250, "$41,250"),
    ("ann_avg_job_growth_2004_2013", -0.012, "-1.2%"), ("emp2000", float("nan"), "not published"),
])
def test_format_covariate(column, value, shown):
    assert read.format_covariate(column, value) == shown


def test_national_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(read.NATIONAL_DIR_ENV, str(tmp_path))
    assert read.national_dir() == tmp_path
    assert not read.has_pack()
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / read.MANIFEST).write_text("{}")
    assert read.has_pack()
    monkeypatch.delenv(read.NATIONAL_DIR_ENV)
    assert read.national_dir().name == "national"


@pytest.mark.parametrize("outcome, values, colours", [
    ("kfr", [0.1, 0.5, float("nan")], ["#d73027", "#4575b4", "#bebebe"]),
    ("jail", [0.1, 0.5, float("nan")], ["#4575b4", "#d73027", "#bebebe"]),  # more prison is worse: red
])
def test_group_colours_use_national_breaks(outcome, values, colours):
    """The one-group map colours and counts like the city map (explorer.maps.scales), over the pack's bins."""
    breaks = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45]
    scale = tract_views.group_scale(breaks, outcome)
    got = scales.colours(pd.Series(values), scale)
    assert [scales.rgb_to_hex(c) for c in got] == colours
    legend = scales.legend_table(pd.Series(values), scale)
    assert legend["tracts"].tolist() == [1, 0, 0, 0, 0, 0, 1, 1]
    assert legend["range"].iloc[0] == f"under {read.TRACT_OUTCOMES[outcome].format(0.2)}"
    assert legend["range"].iloc[-1] == scales.MISSING_LABEL


@pytest.mark.parametrize("basemap, provider", [(False, None), (True, "carto")])
def test_tract_deck_draws_only_tracts_with_a_shape(basemap, provider):
    square = {"type": "Polygon", "coordinates": [[[-83.1, 42.3], [-83.0, 42.3], [-83.0, 42.4], [-83.1, 42.3]]]}
    deck = tract_views.tract_deck(["a", "b"], [2, 6], race_gaps.GAP_PALETTE, [{"t": "A"}, {"t": "B"}],
                                  race_gaps.gap_tooltip("kfr"), deckgl.quantize_shapes({"a": square}), square,
                                  basemap=basemap)
    text = deck.to_json()
    spec = json.loads(text)
    tracts = next(layer for layer in spec["layers"] if layer["id"] == "tracts")
    assert [{k: v for k, v in f.items() if k != "geometry"} for f in tracts["data"]] == [{"b": 2, "t": "A"}]
    assert tracts["getFillColor"] == "@@=" + deckgl.palette_accessor(race_gaps.GAP_PALETTE)  # as the city map
    (x0, y0), (x1, y1) = tracts["data"][0]["geometry"]["coordinates"][0][:2]
    assert (x0, x1 - x0, y1 - y0) == (0, 1000, 0) and y0 in (0, 1)  # integer offsets of 1e-4 degree
    assert spec.get("mapProvider") == provider  # no basemap: nothing fetched from the internet
    assert "\n" not in text  # compact JSON: the payload every rerun sends
    assert spec["initialViewState"]["longitude"] == pytest.approx(-83.05)
