"""The build turns data/raw into data/processed deterministically and keeps the source's values."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from explorer import config
from explorer.data import build, store

PROCESSED = config.PROCESSED_DIR


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    build.main(["--out", str(out)])
    return out


@pytest.mark.parametrize("name", sorted(config.PROCESSED_FILES))
def test_rebuild_is_byte_identical_to_committed_files(rebuilt, name):
    file_name = config.PROCESSED_FILES[name]
    assert (rebuilt / file_name).read_bytes() == (PROCESSED / file_name).read_bytes(), (
        f"{file_name} differs from a fresh build: run python -m explorer.data.build and commit the result")


def test_national_tract_table_has_every_tract_with_padded_ids():
    tracts = store.read_table("tracts", PROCESSED)
    assert len(tracts) == 73_502
    assert tracts["tract"].str.fullmatch(r"\d{11}").all()
    assert tracts["tract"].is_unique
    # Alabama's tracts start with 01: the zero was restored, not lost.
    assert tracts["tract"].iloc[0] == "01001020100"


def test_suppressed_estimates_stay_missing_not_zero(raw_tracts):
    tracts = store.read_table("tracts", PROCESSED).set_index("tract")
    column = "Household_Income_at_Age_35_rP_gP_p25"
    blank = raw_tracts.index[raw_tracts[column].isna()]
    assert len(blank) == 1_649
    assert tracts.loc[blank, "household_income_p25"].isna().all()
    zeros = raw_tracts.index[raw_tracts[column] == 0]
    assert len(zeros) == 2  # the two published noise zeros are kept as published
    assert (tracts.loc[zeros, "household_income_p25"] == 0).all()


@pytest.mark.parametrize("tract", ["26163500400", "40143000400", "36055001300", "22071000400"])
def test_tract_values_equal_raw_file(raw_tracts, tract):
    tracts = store.read_table("tracts", PROCESSED).set_index("tract")
    expected = raw_tracts.loc[tract]
    assert tracts.loc[tract, "household_income_p25"] == expected["Household_Income_at_Age_35_rP_gP_p25"]
    assert tracts.loc[tract, "top20_p25"] == expected["Frac._in_Top_20%_Based_on_Household_Income_rP_gP_p25"]


def test_national_percentile_of_median_tract_is_about_fifty(raw_tracts):
    tracts = store.read_table("tracts", PROCESSED)
    values = raw_tracts["Household_Income_at_Age_35_rP_gP_p25"].dropna()
    below = (values < 33_731).mean() * 100
    row = tracts[tracts["household_income_p25"] == 33_731]
    assert not row.empty
    assert abs(row["household_income_p25_pctile"].iloc[0] - below) < 0.2


# Tract polygons per study county: land tracts (ALAND > 0) of the 2010 geography.
TRACTS_PER_COUNTY = {
    "39061": 222, "39113": 153, "26163": 609, "26065": 81, "26045": 28, "26037": 22,
    "22071": 176, "34013": 210, "55101": 44, "36055": 192, "40143": 175, "40113": 11, "40145": 22,
}


def test_tract_polygons_per_study_county():
    shapes = store.read_table("tract_shapes", PROCESSED)
    assert shapes.groupby("county_fips").size().to_dict() == TRACTS_PER_COUNTY


@pytest.mark.parametrize("city_id, counties", [
    ("tulsa", {"40143", "40113", "40145"}),      # Tulsa reaches into Osage and Wagoner
    ("lansing", {"26065", "26045", "26037"}),    # Ingham, Eaton and Clinton
    ("detroit", {"26163"}),
    ("rochester", {"36055"}),
    ("new-orleans", {"22071"}),                  # boundary slivers in neighbouring parishes do not count
])
def test_study_counties_hold_at_least_one_percent_of_the_city(city_id, counties):
    study = store.study_counties(city_id, PROCESSED)
    assert set(study["county_fips"]) == counties
    assert (study["share_of_city"] >= config.STUDY_COUNTY_MIN_SHARE).all()
    assert study.iloc[0]["county_fips"] == config.CITIES[city_id].main_county


def test_wayne_county_black_income_rank_equals_raw(raw_counties):
    counties = store.read_table("counties", PROCESSED).set_index("county_fips")
    assert counties.loc["26163", "kfr_black_pooled_p25"] == raw_counties.loc["26163", "kfr_black_pooled_p25"]
    assert math.isclose(counties.loc["26163", "kfr_black_pooled_p25"], 0.3066, abs_tol=5e-4)
    assert counties.loc["26163", "county_name"] == "Wayne"
    assert len(counties) == 3_219


def test_wayne_map_geometry_is_compact():
    shapes = store.read_table("tract_shapes", PROCESSED)
    wayne = shapes[shapes["county_fips"] == "26163"]
    assert wayne["geometry"].str.len().sum() < 150_000


def test_national_percentiles_drop_smoothed_and_flag_columns():
    table = store.read_table("national_percentiles", PROCESSED)
    assert list(table["par_pctile"]) == list(range(1, 101))
    assert not [c for c in table.columns if c.startswith(("s_", "imp_"))]
    assert "kir_black_male" in table.columns


def test_raw_tract_file_matches_processed_row_count(raw_tracts):
    assert len(raw_tracts) == len(pd.read_parquet(PROCESSED / "tracts.parquet"))
