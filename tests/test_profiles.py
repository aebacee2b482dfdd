"""Key numbers of a city vs the nation, checked against independent computations from data/raw."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from explorer import config, profiles
from explorer.data import store
from explorer.stats import Z95

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw" / "opportunity"
PROCESSED = config.PROCESSED_DIR


@pytest.fixture(scope="module")
def national() -> dict[str, float]:
    return profiles.national_values(store.read_table("counties", PROCESSED), store.read_table("tracts", PROCESSED),
                                    store.read_table("national_percentiles", PROCESSED))


def numbers_for(city_id: str, national: dict[str, float]) -> pd.DataFrame:
    city = config.get_city(city_id)
    frame = profiles.key_numbers(store.county_row(city.main_county, PROCESSED),
                                 store.study_tracts(city_id, PROCESSED), national)
    return frame.set_index("key")


@pytest.fixture(scope="module")
def raw_county_extras(raw_counties) -> pd.DataFrame:
    """Social Capital Atlas EC and 2014 mobility straight from data/raw, on the OI county list."""
    social = pd.read_csv(RAW / "social_capital_county.csv", usecols=["county", "ec_county", "ec_se_county"])
    social.index = social.pop("county").map("{:05d}".format)
    mobility = pd.read_csv(RAW / "chetty2014_county" / "mobility.csv", usecols=["id", "relative", "absolute"])
    mobility.index = mobility.pop("id").map("{:05d}".format)
    return pd.DataFrame(index=raw_counties.index).join(social).join(mobility)


@pytest.mark.parametrize(("city_id", "key", "column"), [
    ("newark", "income_rank_white", "kfr_white_pooled_p25"),       # Essex County, NJ (34013)
    ("newark", "income_rank_black", "kfr_black_pooled_p25"),
    ("detroit", "incarceration_black_men", "jail_black_male_p25"),  # Wayne County, MI (26163)
    ("detroit", "incarceration_white_men", "jail_white_male_p25"),
    ("new-orleans", "income_rank_pooled", "kfr_pooled_pooled_p25"),  # Orleans Parish
    ("tulsa", "income_rank_hisp", "kfr_hisp_pooled_p25"),
])
def test_county_numbers_match_raw_with_95_intervals(raw_counties, national, city_id, key, column):
    row = raw_counties.loc[config.get_city(city_id).main_county]
    found = numbers_for(city_id, national).loc[key]
    assert found["city"] == pytest.approx(row[column], rel=1e-6)
    assert found["low"] == pytest.approx(row[column] - Z95 * row[f"{column}_se"], rel=1e-6)
    assert found["high"] == pytest.approx(row[column] + Z95 * row[f"{column}_se"], rel=1e-6)


def test_essex_white_rank_is_shown_on_the_0_to_100_scale(raw_counties, national):
    expected = raw_counties.loc["34013", "kfr_white_pooled_p25"] * 100
    assert numbers_for("newark", national).loc["income_rank_white", "city_text"] == f"{expected:.1f}"


@pytest.mark.parametrize(("key", "column"), [
    ("income_rank_pooled", "kfr_pooled_pooled"), ("income_rank_white", "kfr_white_pooled"),
    ("income_rank_black", "kfr_black_pooled"), ("income_rank_hisp", "kfr_hisp_pooled"),
    ("incarceration_black_men", "jail_black_male"), ("incarceration_white_men", "jail_white_male"),
])
def test_national_mean_references_are_the_p25_row(raw_national, national, key, column):
    assert national[key] == pytest.approx(raw_national.loc[25, column], rel=1e-6)


@pytest.mark.parametrize(("key", "column"), [
    ("economic_connectedness", "ec_county"), ("absolute_mobility_2014", "absolute"),
    ("relative_mobility_2014", "relative"),
])
def test_median_county_references_and_city_values(raw_county_extras, national, key, column):
    assert national[key] == pytest.approx(raw_county_extras[column].median(), rel=1e-6)
    found = numbers_for("rochester", national).loc[key, "city"]
    assert found == pytest.approx(raw_county_extras.loc["36055", column], rel=1e-6)  # Monroe County, NY


def test_economic_connectedness_interval_uses_its_standard_error(raw_county_extras, national):
    row = raw_county_extras.loc["26163"]
    found = numbers_for("detroit", national).loc["economic_connectedness"]
    assert (found["low"], found["high"]) == pytest.approx(
        (row["ec_county"] - Z95 * row["ec_se_county"], row["ec_county"] + Z95 * row["ec_se_county"]), rel=1e-6)


@pytest.mark.parametrize("city_id", ["detroit", "racine", "tulsa", "rochester"])
def test_top20_is_the_median_tract_inside_the_city(raw_tracts, national, city_id):
    study = store.study_tracts(city_id, PROCESSED)
    inside = study.loc[study["in_city"], "tract"]
    column = "Frac._in_Top_20%_Based_on_Household_Income_rP_gP_p25"
    expected = raw_tracts.reindex(inside)[column].median()  # a few study tracts have no OI row: no estimate
    assert numbers_for(city_id, national).loc["top20_median_tract", "city"] == pytest.approx(expected, rel=1e-6)


def test_national_top20_is_the_median_us_tract(raw_tracts, national):
    column = "Frac._in_Top_20%_Based_on_Household_Income_rP_gP_p25"
    assert national["top20_median_tract"] == pytest.approx(raw_tracts[column].median(), rel=1e-6)
    assert len(raw_tracts) == 73502


def test_missing_estimates_read_as_no_estimate(national):
    county = store.county_row("26163", PROCESSED).copy()
    county["kfr_hisp_pooled_p25"] = float("nan")
    county["ec_county"] = float("nan")
    frame = profiles.key_numbers(county, store.study_tracts("detroit", PROCESSED), national).set_index("key")
    assert frame.loc["income_rank_hisp", "city_text"] == "no estimate (fewer than 20 children)"
    assert frame.loc["income_rank_hisp", "interval_text"] == ""
    assert math.isnan(frame.loc["income_rank_hisp", "difference"])
    assert frame.loc["economic_connectedness", "city_text"].startswith("no estimate")


def test_no_city_tracts_gives_no_estimate(national):
    study = store.study_tracts("racine", PROCESSED).assign(in_city=False)
    frame = profiles.key_numbers(store.county_row("55101", PROCESSED), study, national).set_index("key")
    assert frame.loc["top20_median_tract", "city_text"] == "no estimate (fewer than 20 children)"


@pytest.mark.parametrize(("key", "raw_value", "shown", "text"), [
    ("income_rank_pooled", 0.3456, 34.56, "34.6"),
    ("top20_median_tract", 0.0551, 5.51, "5.5%"),
    ("incarceration_black_men", 0.101, 10.1, "10.1%"),
    ("economic_connectedness", 0.6377, 0.6377, "0.64"),
    ("absolute_mobility_2014", 38.7, 38.7, "38.7"),
    ("relative_mobility_2014", 0.394, 0.394, "0.394"),
])
def test_display_units(key, raw_value, shown, text):
    number = profiles.KEY_NUMBERS[key]
    assert number.shown(raw_value) == pytest.approx(shown)
    assert number.format(raw_value) == text


def test_every_key_number_names_its_reference_and_direction():
    for number in profiles.KEY_NUMBERS.values():
        assert number.national in profiles.NATIONAL_REFERENCES
        assert ("Higher is better." in number.help) != ("Lower is better." in number.help)
        assert number.metric.description in number.help


def test_reference_note_is_one_sentence_without_repeats():
    note = profiles.reference_note()
    assert note == ("The United States column is either the average for all US children whose parents were at "
                    "the 25th percentile (*US average*) or the middle of all US tracts or counties, with half of "
                    "them above it (*middle US tract*, *middle US county*).")
    assert note.count(".") == 1 and "US average: US average" not in note
    assert set(profiles.NATIONAL_REFERENCES_SHORT.values()) == {"US average", "middle US tract", "middle US county"}


def test_rank_rank_slope_is_explained_where_it_is_shown():
    slope = profiles.KEY_NUMBERS["relative_mobility_2014"]
    assert "rank-rank slope" in slope.help and "A higher slope means where a child starts matters more" in slope.help
    for text in (profiles.HOW_TO_READ_KEY_NUMBERS, profiles.HOW_TO_READ_COMPARISON):
        assert "rank-rank slope" in text and "a higher slope means" in " ".join(text.split())


@pytest.fixture(scope="module")
def comparison(national) -> pd.DataFrame:
    per_city = {config.CITIES[c].label: numbers_for(c, national).reset_index() for c in ("detroit", "newark", "tulsa")}
    return profiles.comparison_table(per_city)


def test_comparison_table_has_cities_then_the_nation(comparison, raw_counties, raw_national):
    assert list(comparison["City"]) == ["Detroit, MI", "Newark, NJ", "Tulsa, OK", profiles.US_ROW]
    white = profiles.column_label(profiles.KEY_NUMBERS["income_rank_white"])
    assert comparison.loc[1, white] == pytest.approx(raw_counties.loc["34013", "kfr_white_pooled_p25"] * 100)
    assert comparison.loc[3, white] == pytest.approx(raw_national.loc[25, "kfr_white_pooled"] * 100)
    jail = profiles.column_label(profiles.KEY_NUMBERS["incarceration_black_men"])
    assert jail.endswith("(%)")
    assert comparison.loc[0, jail] == pytest.approx(raw_counties.loc["26163", "jail_black_male_p25"] * 100)


@pytest.mark.parametrize(("column", "descending", "first"), [
    ("City", False, "Detroit, MI"),
    ("Income rank: White", True, "Newark, NJ"),
    ("Income rank: White", False, "Detroit, MI"),
])
def test_sort_keeps_the_nation_last(comparison, column, descending, first):
    ordered = profiles.sort_cities(comparison, column, descending)
    assert ordered["City"].iloc[0] == first
    assert ordered["City"].iloc[-1] == profiles.US_ROW


@pytest.fixture(scope="module")
def three_cities(national) -> dict[str, pd.DataFrame]:
    return {config.CITIES[c].label: numbers_for(c, national).reset_index() for c in ("detroit", "newark", "tulsa")}


def test_comparison_intervals_in_display_units(three_cities, raw_counties):
    intervals = profiles.comparison_intervals(three_cities, "income_rank_black").set_index("City")
    row = raw_counties.loc["34013"]
    assert intervals.loc["Newark, NJ", "low"] == pytest.approx(
        (row["kfr_black_pooled_p25"] - Z95 * row["kfr_black_pooled_p25_se"]) * 100)
    assert profiles.comparison_intervals(three_cities, "top20_median_tract")["low"].isna().all()


def test_comparison_chart_bars_whiskers_and_us_rule(comparison, three_cities):
    key = profiles.KEY_NUMBERS["income_rank_pooled"]
    spec = profiles.comparison_chart(comparison, key, profiles.comparison_intervals(three_cities, key.id)).to_dict()
    bars, whiskers, rule, label = spec["layer"]
    assert bars["mark"]["color"] == profiles.CITY_BAR
    assert whiskers["mark"]["type"] == "rule" and whiskers["encoding"]["x2"]["field"] == "high"
    assert rule["mark"]["type"] == "rule" and rule["mark"]["color"] == profiles.US_RULE
    datasets = spec["datasets"]
    us_value = comparison.loc[3, profiles.column_label(key)]
    assert datasets[rule["data"]["name"]][0]["value"] == pytest.approx(us_value)
    assert datasets[label["data"]["name"]][0]["label"] == f"United States: {us_value:.1f}"
    assert [row["City"] for row in datasets[bars["data"]["name"]]] == ["Detroit, MI", "Newark, NJ", "Tulsa, OK"]


def test_comparison_chart_without_intervals_has_no_whiskers(comparison):
    key = profiles.KEY_NUMBERS["top20_median_tract"]
    spec = profiles.comparison_chart(comparison, key).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "rule", "text"]
    label = spec["datasets"][spec["layer"][2]["data"]["name"]][0]["label"]
    assert label.startswith("United States: ") and label.endswith("%")


def test_key_for_column_round_trips():
    for number in profiles.KEY_NUMBERS.values():
        assert profiles.key_for_column(profiles.column_label(number)) is number


@pytest.mark.parametrize(("key", "estimate", "low", "high", "us", "expected"), [
    ("income_rank_pooled", 0.35, 0.34, 0.36, 0.41, "lower (worse)"),
    ("income_rank_pooled", 0.45, 0.44, 0.46, 0.41, "higher (better)"),
    ("income_rank_pooled", 0.40, 0.39, 0.42, 0.41, "about the same"),      # interval includes the US value
    ("incarceration_black_men", 0.15, 0.14, 0.16, 0.11, "higher (worse)"),
    ("incarceration_white_men", 0.018, 0.011, 0.025, 0.028, "lower (better)"),
    ("relative_mobility_2014", 0.40, math.nan, math.nan, 0.33, "higher (worse)"),  # no interval published
    ("top20_median_tract", 0.05, math.nan, math.nan, 0.11, "lower (worse)"),
    ("income_rank_hisp", math.nan, math.nan, math.nan, 0.43, "-"),
])
def test_versus_us(key, estimate, low, high, us, expected):
    assert profiles.versus_us(profiles.KEY_NUMBERS[key], estimate, low, high, us) == expected


def test_newark_white_rank_is_higher_than_the_nation(national):
    """Essex County's white children at p25 rank well above white children nationally (interval excludes it)."""
    assert numbers_for("newark", national).loc["income_rank_white", "versus_us"] == "higher (better)"
