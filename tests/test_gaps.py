"""Gap tables and sentences: parametrized pure cases, then real numbers checked against data/raw."""
from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from explorer import config, gaps, stats
from explorer.data import store

NAN = math.nan
KFR, KIR, JAIL, TOP20 = (config.NATIONAL_OUTCOMES[o] for o in ("kfr", "kir", "jail", "kfr_top20"))


def national(**columns: list[float]) -> pd.DataFrame:
    """A small national table: parent percentiles 24, 25, 26 and the given columns."""
    return pd.DataFrame({"par_pctile": [24, 25, 26], **columns})


@pytest.fixture(scope="module")
def study() -> pd.DataFrame:
    frames = {c: store.study_counties(c, config.PROCESSED_DIR) for c in config.CITIES}
    return gaps.stack_study_counties(frames, "detroit")


# ---------------------------------------------------------------- small pure functions

@pytest.mark.parametrize("number, expected", [
    (1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
    (21, "21st"), (22, "22nd"), (25, "25th"), (100, "100th"), (101, "101st"), (111, "111th"),
])
def test_ordinal(number, expected):
    assert gaps.ordinal(number) == expected


@pytest.mark.parametrize("words, expected", [
    (["Black"], "Black"), (["Black", "white"], "Black and white"),
    (["Hispanic", "Asian", "Native American"], "Hispanic, Asian and Native American"),
])
def test_and(words, expected):
    assert gaps._and(words) == expected


@pytest.mark.parametrize("outcome, words", [
    ("kfr", "percentile points"), ("kir", "percentile points"), ("jail", "percentage points"),
    ("kfr_top20", "percentage points"), ("working", "percentage points"), ("married", "percentage points"),
])
def test_every_national_outcome_has_gap_words(outcome, words):
    assert gaps.reading_of(config.NATIONAL_OUTCOMES[outcome]).gap_words == words


def test_unknown_unit_is_a_registry_error():
    odd = config.Metric("x", "X", "x", "dollars", "{}", True, "national", "f.csv", "x_{race}_{gender}")
    with pytest.raises(ValueError, match="dollars"):
        gaps.reading_of(odd)


@pytest.mark.parametrize("frame, column, pctile, expected", [
    (national(kfr_black_pooled=[0.3, 0.32, 0.34]), "kfr_black_pooled", 25, 0.32),
    (national(kfr_black_pooled=[0.3, NAN, 0.34]), "kfr_black_pooled", 25, NAN),   # suppressed
    (national(kfr_black_pooled=[0.3, 0.32, 0.34]), "kfr_asian_pooled", 25, NAN),  # column absent
    (national(kfr_black_pooled=[0.3, 0.32, 0.34]), "kfr_black_pooled", 99, NAN),  # no such percentile
])
def test_value_at(frame, column, pctile, expected):
    value = gaps.value_at(frame, column, pctile)
    assert (math.isnan(value) and math.isnan(expected)) or value == expected


# ---------------------------------------------------------------- the gap sentence

@pytest.mark.parametrize("metric, gender, columns, expected", [
    (KFR, "pooled", {"kfr_black_pooled": 0.3263, "kfr_white_pooled": 0.4519},
     "Children of parents at the 25th percentile: Black 32.6, white 45.2; a gap of 12.6 percentile points."),
    # the gap is worked out before rounding: 41.31 - 39.95 = 1.36 reads 1.4 (not 41.3 - 40.0 = 1.3)
    (KIR, "female", {"kir_black_female": 0.4131, "kir_white_female": 0.3995},
     "Daughters of parents at the 25th percentile: Black 41.3, white 40.0; a gap of 1.4 percentile points, "
     "higher for Black daughters."),
    # 11.07 - 2.823 = 8.247 reads 8.2 (not 11.1 - 2.8 = 8.3)
    (JAIL, "male", {"jail_black_male": 0.1107, "jail_white_male": 0.02823},
     "Sons of parents at the 25th percentile: Black 11.1%, white 2.8%; a gap of 8.2 percentage points, "
     "higher for Black sons."),
    (JAIL, "male", {"jail_black_male": 0.01, "jail_white_male": 0.03},  # higher is worse: direction said
     "Sons of parents at the 25th percentile: Black 1.0%, white 3.0%; a gap of 2.0 percentage points, "
     "higher for white sons."),
    (TOP20, "pooled", {"kfr_top20_black_pooled": 0.036, "kfr_top20_white_pooled": 0.132},
     "Children of parents at the 25th percentile: Black 3.6%, white 13.2%; a gap of 9.6 percentage points."),
    (KFR, "pooled", {"kfr_black_pooled": 0.40001, "kfr_white_pooled": 0.40004},
     "Children of parents at the 25th percentile: Black 40.0, white 40.0; no gap to one decimal place."),
    (KFR, "pooled", {"kfr_black_pooled": NAN, "kfr_white_pooled": 0.45},  # missing estimate: named
     "Children of parents at the 25th percentile: no national estimate for Black children."),
    (KFR, "male", {"kfr_white_male": 0.45},                              # missing column: named
     "Sons of parents at the 25th percentile: no national estimate for Black sons."),
    (JAIL, "female", {},
     "Daughters of parents at the 25th percentile: no national estimate for Black and white daughters."),
])
def test_gap_sentence(metric, gender, columns, expected):
    frame = national(**{name: [NAN, value, NAN] for name, value in columns.items()})
    assert gaps.gap_sentence(frame, metric, gender, 25) == expected


def test_gap_sentence_other_groups():
    frame = national(kfr_hisp_pooled=[0, 0.434, 0], kfr_white_pooled=[0, 0.452, 0])
    assert gaps.gap_sentence(frame, KFR, "pooled", 25, "hisp") == (
        "Children of parents at the 25th percentile: Hispanic 43.4, white 45.2; a gap of 1.8 percentile points.")


def numbers(sentence: str) -> list[float]:
    return [float(n) for n in re.findall(r"\d+\.\d", sentence)]


@pytest.mark.parametrize("outcome, gender, pctile", [
    ("kfr", "pooled", 25), ("kir", "male", 25), ("kir", "female", 25), ("jail", "male", 10),
    ("kfr_top20", "female", 50), ("working", "pooled", 1), ("married", "male", 100),
])
def test_gap_sentence_numbers_come_from_raw_file(processed_national, raw_national, outcome, gender, pctile):
    metric = config.NATIONAL_OUTCOMES[outcome]
    black = raw_national.loc[pctile, f"{outcome}_black_{gender}"] * 100
    white = raw_national.loc[pctile, f"{outcome}_white_{gender}"] * 100
    sentence = gaps.gap_sentence(processed_national, metric, gender, pctile)
    assert f"{gaps.ordinal(pctile)} percentile" in sentence
    assert numbers(sentence) == [round(black, 1), round(white, 1), round(abs(white - black), 1)]


@pytest.mark.parametrize("outcome, gender, before, after", [
    ("jail", "male", "8.3", "8.2"),   # 11.07% - 2.823% = 8.247 points; the rounded values would give 8.3
    ("kir", "female", "1.3", "1.4"),  # 41.31 - 39.95 = 1.36; the rounded values would give 1.3
])
def test_gap_sentence_rounds_the_unrounded_gap(processed_national, raw_national, outcome, gender, before, after):
    """The real cases where subtracting the rounded values would misstate the gap."""
    black, white = (raw_national.loc[25, f"{outcome}_{race}_{gender}"] * 100 for race in ("black", "white"))
    assert f"{abs(round(white, 1) - round(black, 1)):.1f}" == before
    assert f"{abs(white - black):.1f}" == after
    sentence = gaps.gap_sentence(processed_national, config.NATIONAL_OUTCOMES[outcome], gender, 25)
    assert f"a gap of {after} " in sentence


def test_gap_sentence_names_a_real_suppressed_estimate(processed_national, raw_national):
    """Black women's incarceration has no estimate above the 75th percentile in the raw file."""
    assert np.isnan(raw_national.loc[90, "jail_black_female"])
    assert gaps.gap_sentence(processed_national, JAIL, "female", 90) == (
        "Daughters of parents at the 90th percentile: no national estimate for Black daughters.")


# ---------------------------------------------------------------- curves, missing groups, tables

def test_gradient_table_drops_missing_values_and_absent_columns():
    frame = national(kfr_black_pooled=[0.3, NAN, 0.34], kfr_white_pooled=[0.4, 0.45, 0.5])
    table = gaps.gradient_table(frame, KFR, "pooled", ("black", "white", "asian"))
    assert list(table.columns) == ["par_pctile", "race", "group", "value"]
    assert table.to_dict("records") == [
        {"par_pctile": 24, "race": "black", "group": "Black", "value": 30.0},
        {"par_pctile": 26, "race": "black", "group": "Black", "value": 34.0},
        {"par_pctile": 24, "race": "white", "group": "White", "value": 40.0},
        {"par_pctile": 25, "race": "white", "group": "White", "value": 45.0},
        {"par_pctile": 26, "race": "white", "group": "White", "value": 50.0},
    ]


@pytest.mark.parametrize("columns, expected_absent, expected_partial, note", [
    ({"kfr_black_pooled": [0.3, 0.3, 0.3], "kfr_white_pooled": [0.4, 0.4, 0.4]}, [], [], None),
    ({"kfr_black_pooled": [0.3, NAN, 0.3], "kfr_white_pooled": [0.4, 0.4, 0.4]}, [], ["black"],
     "No estimate at some parent percentiles for Black children (too few children); those lines stop short."),
    ({"kfr_black_pooled": [NAN, NAN, NAN], "kfr_white_pooled": [0.4, 0.4, 0.4]}, ["black"], [],
     "No national estimate for Black children."),
    ({"kfr_white_pooled": [0.4, 0.4, 0.4]}, ["black"], [], "No national estimate for Black children."),
])
def test_missing_races(columns, expected_absent, expected_partial, note):
    frame = national(**columns)
    assert gaps.missing_races(frame, KFR, "pooled", ("black", "white")) == (expected_absent, expected_partial)
    assert gaps.missing_note(frame, KFR, "pooled", ("black", "white")) == note


def test_missing_note_on_real_data(processed_national, raw_national):
    """The raw file has no incarceration estimate at all for Asian women."""
    assert raw_national["jail_asian_female"].isna().all()
    absent, partial = gaps.missing_races(processed_national, JAIL, "female")
    assert absent == ["asian"] and "black" in partial
    assert gaps.missing_note(processed_national, KFR, "pooled") is None


def test_gradient_table_on_real_data(processed_national, raw_national):
    table = gaps.gradient_table(processed_national, KFR, "pooled")
    assert len(table) == 600 and set(table["race"]) == set(config.RACES)
    black_25 = table[(table["race"] == "black") & (table["par_pctile"] == 25)]["value"].item()
    assert black_25 == pytest.approx(raw_national.loc[25, "kfr_black_pooled"] * 100, abs=0.005)
    jail = gaps.gradient_table(processed_national, JAIL, "female", ("black",))
    assert len(jail) == raw_national["jail_black_female"].notna().sum() < 100


def test_wide_table_orders_groups_like_the_registry():
    frame = national(kfr_white_pooled=[0.4, 0.45, 0.5], kfr_black_pooled=[0.3, 0.32, 0.34])
    wide = gaps.wide_table(gaps.gradient_table(frame, KFR, "pooled", ("white", "black")))
    assert list(wide.columns) == ["Parents' income percentile", "White", "Black"]
    assert wide.iloc[1].tolist() == [25, 45.0, 32.0]


def test_national_gap_matches_raw(processed_national, raw_national):
    expected = (raw_national.loc[25, "kfr_white_pooled"] - raw_national.loc[25, "kfr_black_pooled"]) * 100
    assert gaps.national_gap(processed_national, "black") == pytest.approx(expected)
    assert gaps.national_gap(national(), "black") != gaps.national_gap(national(), "black")  # NaN when absent


# ---------------------------------------------------------------- county gaps

def county_frame(**values) -> pd.DataFrame:
    """One county (FIPS 99001) with the given kfr p25 estimates and standard errors."""
    return pd.DataFrame([{"county_fips": "99001", **values}])


def one_study(fips: str = "99001") -> pd.DataFrame:
    return pd.DataFrame([{"city": "Testville", "county": "Test County", "label": "Test County (Testville)",
                          "county_fips": fips, "selected": True}])


@pytest.mark.parametrize("values, comparison, expected_gap, expected_low, status", [
    ({"kfr_white_pooled_p25": 0.45, "kfr_white_pooled_p25_se": 0.0,
      "kfr_black_pooled_p25": 0.33, "kfr_black_pooled_p25_se": 0.0}, "Black-white", 12.0, 12.0, "estimate"),
    ({"kfr_white_pooled_p25": 0.45, "kfr_white_pooled_p25_se": 0.03,
      "kfr_black_pooled_p25": 0.33, "kfr_black_pooled_p25_se": 0.04}, "Black-white", 12.0,
     12.0 - stats.Z95 * 5, "estimate"),
    ({"kfr_white_pooled_p25": 0.45, "kfr_white_pooled_p25_se": 0.01,
      "kfr_black_pooled_p25": NAN, "kfr_black_pooled_p25_se": NAN}, "Black-white", NAN, NAN,
     "too few Black children to estimate"),
    ({"kfr_white_pooled_p25": NAN, "kfr_white_pooled_p25_se": NAN}, "Hispanic-white", NAN, NAN,
     "too few Hispanic and white children to estimate"),
    ({"kfr_white_pooled_p25": 0.45, "kfr_hisp_pooled_p25": 0.40}, "Hispanic-white", 5.0, NAN, "estimate"),
])
def test_county_gaps(values, comparison, expected_gap, expected_low, status):
    table = gaps.county_gaps(county_frame(**values), one_study())
    assert len(table) == 2  # both comparisons kept, estimable or not
    row = table[table["comparison"] == comparison].iloc[0]
    for got, want in ((row["gap"], expected_gap), (row["low"], expected_low)):
        assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want)
    assert row["status"] == status


def test_county_missing_from_outcomes_is_listed_not_dropped():
    table = gaps.county_gaps(county_frame(), one_study("99999"))
    assert list(table["status"]) == ["too few Black and white children to estimate",
                                     "too few Hispanic and white children to estimate"]
    assert gaps.too_few_note(table).startswith("Too few children to estimate: Test County (Testville), Black-white")


def test_too_few_note_is_none_when_all_estimated(processed_counties, study):
    assert gaps.too_few_note(gaps.county_gaps(processed_counties, study)) is None


def test_wayne_county_gap_equals_raw(processed_counties, study, raw_counties):
    table = gaps.county_gaps(processed_counties, study)
    wayne = table[(table["county_fips"] == "26163") & (table["comparison"] == "Black-white")].iloc[0]
    raw = raw_counties.loc["26163"]
    expected = (raw["kfr_white_pooled_p25"] - raw["kfr_black_pooled_p25"]) * 100
    half = 1.959964 * math.hypot(raw["kfr_white_pooled_p25_se"], raw["kfr_black_pooled_p25_se"]) * 100
    assert wayne["gap"] == pytest.approx(expected)
    assert (wayne["low"], wayne["high"]) == pytest.approx((expected - half, expected + half))
    assert wayne["label"] == "Wayne County (Detroit)" and wayne["selected"]
    shown = gaps.county_gap_table(table)
    assert shown.loc[shown["county_fips"] == "26163", "gap (white minus group, percentile points)"].iloc[0] == \
        round(expected, 1)


def test_wayne_county_sentence_against_the_us_gap(processed_counties, processed_national, study, raw_counties,
                                                  raw_national):
    raw = raw_counties.loc["26163"]
    county = round((raw["kfr_white_pooled_p25"] - raw["kfr_black_pooled_p25"]) * 100, 1)
    us = round((raw_national.loc[25, "kfr_white_pooled"] - raw_national.loc[25, "kfr_black_pooled"]) * 100, 1)
    assert (county, us) == (11.5, 12.6)  # the real numbers, so a change in the data shows up here
    sentence = gaps.county_gap_sentence(gaps.county_gaps(processed_counties, study), "black",
                                        gaps.national_gap(processed_national, "black"))
    assert sentence == ("Black-white gap at the 25th percentile (white minus Black children's income rank): "
                        "12.6 percentile points across the US; 11.5 in Wayne County (Detroit), "
                        "1.1 points narrower than the US gap.")
    assert round(us - county, 1) == 1.1


def gap_rows(*rows: tuple) -> pd.DataFrame:
    """county_gaps rows of the selected city: (label, gap, low, high, status), Black-white."""
    return pd.DataFrame([{"comparison": "Black-white", "selected": True, "label": label, "gap": gap, "low": low,
                          "high": high, "status": status} for label, gap, low, high, status in rows]
                        + [{"comparison": "Black-white", "selected": False, "label": "Elsewhere", "gap": 40.0,
                            "low": NAN, "high": NAN, "status": "estimate"}])


@pytest.mark.parametrize("rows, us, expected", [
    ([("A (X)", 14.04, 13.0, 15.0, "estimate")], 12.0, "12.0 percentile points across the US; 14.0 in A (X), "
     "2.0 points wider than the US gap."),
    ([("A (X)", 12.5, 10.0, 15.0, "estimate")], 12.0, "12.0 percentile points across the US; 12.5 in A (X), 0.5 "
     "points wider than the US gap (the US gap is inside this county's 95% interval, so this may be chance)."),
    ([("A (X)", 12.04, NAN, NAN, "estimate")], 11.96, "12.0 percentile points across the US; 12.0 in A (X), "
     "0.1 points wider than the US gap."),  # from the unrounded gaps (0.08), as the page's rounding note says
    ([("A (X)", 12.02, NAN, NAN, "estimate")], 11.98, "12.0 percentile points across the US; 12.0 in A (X), "
     "the same as the US gap."),
    ([("A (X)", -2.0, -3.0, -1.0, "estimate")], 1.0, "1.0 percentile points across the US; -2.0 in A (X) "
     "(Black children ranked higher), 3.0 points below the US gap."),
    ([("A (X)", NAN, NAN, NAN, "too few Black children to estimate"), ("B (X)", 10.0, 9.0, 11.0, "estimate")],
     12.0, "12.0 percentile points across the US; too few Black children to estimate in A (X); 10.0 in B (X), "
     "2.0 points narrower than the US gap."),
])
def test_county_gap_sentence_cases(rows, us, expected):
    opening = "Black-white gap at the 25th percentile (white minus Black children's income rank): "
    assert gaps.county_gap_sentence(gap_rows(*rows), "black", us) == opening + expected


def test_slope_sentence_uses_the_middle_us_county(processed_counties):
    raw = pd.read_csv(Path(config.RAW_FILES["mobility_2014"]))
    median = raw["relative"].median()
    assert round(median, 3) == 0.334
    sentence = gaps.slope_sentence(processed_counties)
    assert sentence.startswith("In the middle US county the rank-rank slope is 0.334: children whose parents stood "
                               "10 percentiles higher on the income ladder ended up about 3.3 percentiles higher")
    assert sentence.endswith(gaps.SLOPE_MEANING) and "higher rank-rank slope means" in gaps.SLOPE_MEANING


def test_study_counties_of_all_cities(study):
    assert len(study) == 13 and study["county_fips"].is_unique
    assert list(study.loc[study["selected"], "county_fips"]) == ["26163"]
    assert study.iloc[0]["county_fips"] == "26163"  # the selected city first
    assert "Orleans Parish (New Orleans)" in set(study["label"])
    assert set(study.loc[study["city_id"] == "tulsa", "county_fips"]) == {"40113", "40143", "40145"}


# ---------------------------------------------------------------- all counties, 2014 mobility

def test_scatter_table_has_every_county_with_both_estimates(processed_counties, study, raw_counties):
    scatter = gaps.county_scatter_table(processed_counties, study)
    both = raw_counties[["kfr_black_pooled_p25", "kfr_white_pooled_p25"]].dropna()
    assert len(scatter) == len(both)
    assert set(scatter.columns) == {"county_fips", "county", "black", "white", "city", "label", "group"}
    wayne = scatter.set_index("county_fips").loc["26163"]
    assert wayne["county"] == "Wayne County, Michigan" and wayne["group"] == "Selected city"
    assert wayne["black"] == round(raw_counties.loc["26163", "kfr_black_pooled_p25"] * 100, 1)
    assert (scatter["group"] == "Other eight cities").sum() == 12
    assert scatter["group"].iloc[-1] == "Selected city"  # drawn last, on top
    below = int((both["kfr_black_pooled_p25"] < both["kfr_white_pooled_p25"]).sum())
    assert f"In {below:,} of the {len(both):,} counties" in gaps.scatter_summary(processed_counties)


def test_scatter_summary_counts_unrounded_values(processed_counties, raw_counties):
    """1,873 counties have Black children below white ones; counting the rounded values would give 1,872
    (one county's two ranks differ by less than the rounding)."""
    both = raw_counties[["kfr_black_pooled_p25", "kfr_white_pooled_p25"]].dropna()
    rounded = (both * 100).round(1)
    assert (rounded["kfr_black_pooled_p25"] < rounded["kfr_white_pooled_p25"]).sum() == 1872
    summary = gaps.scatter_summary(processed_counties)
    assert summary.startswith("In 1,873 of the 1,915 counties with both estimates")


@pytest.mark.parametrize("black, white, expected", [
    ([0.3001, 0.41], [0.3004, 0.40], "In 1 of the 2 counties"),  # 30.01 < 30.04: below, though both read 30.0
    ([0.3004, NAN], [0.3001, 0.40], "In 0 of the 1 counties"),    # a county missing one estimate is not counted
])
def test_scatter_summary_small_tables(black, white, expected):
    frame = pd.DataFrame({"kfr_black_pooled_p25": black, "kfr_white_pooled_p25": white})
    assert gaps.scatter_summary(frame).startswith(expected)


@pytest.mark.parametrize("metric_id, column", [("relative_mobility_2014", "relative"),
                                               ("absolute_mobility_2014", "absolute")])
def test_mobility_positions_against_all_counties(processed_counties, study, metric_id, column):
    raw = pd.read_csv(Path(config.RAW_FILES["mobility_2014"]))
    raw_wayne = raw.loc[raw["id"] == 26163, column].item()
    positions = gaps.mobility_positions(processed_counties, study, metric_id)
    assert len(positions) == 13
    wayne = positions[positions["label"] == "Wayne County (Detroit)"].iloc[0]
    assert wayne["value"] == raw_wayne
    nation = processed_counties[column].dropna()
    assert wayne["below"] == round(100 * (nation < raw_wayne).mean())
    spread = gaps.national_spread(processed_counties, metric_id)
    assert spread["count"] == len(nation) > 2700
    assert spread["median"] == pytest.approx(raw[column].median())
    assert spread["low"] < spread["median"] < spread["high"]


def test_mobility_table_has_both_measures(processed_counties, study):
    positions = {m: gaps.mobility_positions(processed_counties, study, m) for m in gaps.MOBILITY_2014}
    table = gaps.mobility_table(positions)
    assert len(table) == 13
    assert config.METRICS["relative_mobility_2014"].label in table.columns
