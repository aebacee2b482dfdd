"""`python -m explorer.national.build`: the fetched fixture files become a state-partitioned pack."""
from __future__ import annotations

import csv
import io
import json
import math

import pandas as pd
import pytest

from explorer.national import build as pack_build, read
from tests.fixtures.national_pack import TRACTS, WATER_TRACT


def source_rows(body: bytes) -> dict[str, dict[str, str]]:
    """The fixture CSV read with the csv module, keyed by the zero-padded tract id (independent of the build)."""
    rows = csv.DictReader(io.StringIO(body.decode()))
    return {f"{int(r['state']):02d}{int(r['county']):03d}{int(r['tract']):06d}": r for r in rows}


def test_tracts_are_partitioned_by_state_with_zero_padded_ids(national_pack):
    pack = read.pack_dir(national_pack)
    assert sorted(p.name for p in (pack / "tracts").iterdir()) == ["state=22", "state=26"]
    orleans = pd.read_parquet(pack / "tracts" / "state=22" / "data.parquet")
    assert orleans["tract"].tolist() == ["22071000100", "22071000200", "22071000300"]
    assert set(orleans["county_fips"]) == {"22071"}


@pytest.mark.parametrize("tract", ["26163510100", "26163510300", "22071000200", "26065000200"])
def test_every_outcome_and_covariate_equals_the_source_file(national_pack, national_files, tract):
    outcomes = source_rows(national_files["/oi/tract_outcomes_simple.csv"])[tract]
    covariates = source_rows(national_files["/oi/tract_covariates.csv"])[tract]
    row = read.county_tracts(tract[:5], national_pack).set_index("tract").loc[tract]
    kept = read.wanted_columns(list(outcomes))
    assert len(kept) == 84  # kfr, jail x 4 races x 3 genders at p25 + top20 p25 and kfr p75 x 3 x 3, each with _se
    for column in kept:
        expected = float(outcomes[column]) if outcomes[column] else math.nan
        assert (math.isnan(row[column]) and math.isnan(expected)) or row[column] == expected, column
    for column in read.COVARIATES:
        assert row[column] == pytest.approx(float(covariates[column])), column


def test_suppressed_estimates_stay_missing(national_pack):
    row = read.county_tracts("26163", national_pack).set_index("tract").loc["26163510300"]
    assert math.isnan(row["kfr_black_pooled_p25"]) and row["kfr_white_pooled_p25"] == 0.44


def test_shapes_cover_land_tracts_only(national_pack):
    shapes = read.county_tract_shapes("26163", national_pack)
    assert sorted(shapes) == ["26163510100", "26163510200", "26163510300", "26163510400"]
    water = f"{WATER_TRACT[0]}{WATER_TRACT[1]}{WATER_TRACT[2]}"
    assert water not in shapes
    ring = shapes["26163510100"]["coordinates"][0]
    assert min(x for x, _ in ring) == pytest.approx(-83.10, abs=1e-3)  # NAD83 degrees kept, 4 decimals
    assert read.county_outline("26163", national_pack)["type"] == "Polygon"


def test_counties_are_named_from_the_bundled_county_table(national_pack):
    counties = read.pack_counties(national_pack).set_index("county_fips")
    assert counties.loc["26163", "label"] == "Wayne County, Michigan"
    assert counties.loc["22071", "label"] == "Orleans Parish, Louisiana"
    assert counties["tracts"].to_dict() == {"26065": 2, "22071": 3, "26163": 4}


def test_area_outcome_tables_are_the_fetched_files(national_pack, raw_counties):
    counties = pd.read_parquet(read.pack_dir(national_pack) / "county_outcomes.parquet").set_index("county_fips")
    assert len(counties) == 3219
    assert counties.loc["26163", "kfr_black_pooled_p25"] == raw_counties.loc["26163", "kfr_black_pooled_p25"]


def test_manifest_lists_choices_and_national_breaks(national_pack):
    manifest = read.read_manifest(national_pack)
    assert manifest["states"] == ["22", "26"] and manifest["tracts"] == len(TRACTS)
    assert manifest["choices"]["kfr"]["pct"] == ["25", "75"]
    assert manifest["choices"]["kfr_top20"]["race"] == ["pooled", "white", "black"]
    breaks = manifest["breaks"]["kfr_black_pooled_p25"]
    assert breaks == sorted(breaks) and len(breaks) >= 3
    assert set(manifest["sources"]) >= {"tract_outcomes_simple.csv", "cb_2018_26_tract_500k.zip"}


def test_a_failed_build_leaves_the_previous_pack(national_pack, monkeypatch):
    before = json.dumps(read.read_manifest(national_pack), sort_keys=True)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(pack_build, "build_shapes", broken)
    with pytest.raises(RuntimeError):
        pack_build.build_pack(national_pack)
    assert json.dumps(read.read_manifest(national_pack), sort_keys=True) == before
    assert not (national_pack / "pack.new").exists() and not (national_pack / "pack.work").exists()


def test_building_without_fetched_files_names_the_fetch_command(tmp_path, capsys):
    assert pack_build.main(["--national-dir", str(tmp_path)]) == 1
    assert "python -m explorer.national.fetch" in capsys.readouterr().err
    assert not read.has_pack(tmp_path)


def test_the_national_build_command_builds_the_folder_the_app_reads(national_pack, monkeypatch, capsys):
    monkeypatch.setenv(read.NATIONAL_DIR_ENV, str(national_pack))
    assert pack_build.main([]) == 0
    assert f"{len(TRACTS)} tracts in 2 states" in capsys.readouterr().out
