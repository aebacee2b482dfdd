"""Build data/processed from data/raw: `python -m explorer.data.build [--out DIR]`.

Deterministic: the same raw files give byte-identical Parquet files (rows sorted, no timestamps),
so a test can rebuild into a temporary folder and compare with what is committed.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from explorer import config
from explorer.data.geometry import (CITY_TOLERANCE, COUNTY_TOLERANCE, NATIONAL_DIGITS, NATIONAL_TOLERANCE,
                                   TRACT_TOLERANCE, geojson_text, polygon_from_geojson, topojson_features)

EQUAL_AREA = "EPSG:5070"      # CONUS Albers: areas in square metres


def _pctile(values: pd.Series) -> pd.Series:
    """National percentile of each value among tracts with an estimate (ties share the midpoint)."""
    return (values.rank(method="average", pct=True) * 100 - 50 / values.notna().sum()).round(1)


def build_tracts() -> pd.DataFrame:
    """Every US tract (73,502): pooled outcomes for children of 25th-percentile parents.

    Blank in the source means suppressed (fewer than 20 children): kept as missing, never zero.
    The few noise outliers ($0, $1,062,314) are kept as published; scales handle them.
    """
    income = pd.read_csv(config.RAW_FILES["tract_income"], encoding="utf-8-sig")
    top20 = pd.read_csv(config.RAW_FILES["tract_top20"], encoding="utf-8-sig")
    income.columns = ["tract", "name", "household_income_p25"]
    top20.columns = ["tract", "name_top20", "top20_p25"]
    tracts = income.merge(top20[["tract", "top20_p25"]], on="tract", how="outer", validate="1:1")
    tracts["tract"] = tracts["tract"].astype("int64").map("{:011d}".format)
    tracts["state_fips"] = tracts["tract"].str[:2]
    tracts["county_fips"] = tracts["tract"].str[:5]
    for metric in config.TRACT_METRICS:
        tracts[metric] = tracts[metric].astype("float64")
        tracts[f"{metric}_pctile"] = _pctile(tracts[metric])
    columns = ["tract", "state_fips", "county_fips", "name"]
    columns += [c for m in config.TRACT_METRICS for c in (m, f"{m}_pctile")]
    return tracts[columns].sort_values("tract").reset_index(drop=True)


def _read_geojson(path: Path) -> gpd.GeoDataFrame:
    frame = gpd.read_file(path)
    return frame.set_crs("EPSG:4326", allow_override=True)


def read_study_tract_polygons() -> gpd.GeoDataFrame:
    """All land tracts (ALAND > 0) of the six state files plus Monroe County NY, 2010 geography."""
    frames = [_read_geojson(p)[["GEOID", "ALAND", "geometry"]] for p in config.STATE_TRACT_FILES.values()]
    frames.append(_read_geojson(config.RAW_FILES["monroe_tracts"])[["GEOID", "ALAND", "geometry"]])
    tracts = pd.concat(frames, ignore_index=True)
    tracts = tracts[tracts["ALAND"] > 0].rename(columns={"GEOID": "tract"})
    tracts["tract"] = tracts["tract"].astype(str).str.zfill(11)
    tracts["county_fips"] = tracts["tract"].str[:5]
    tracts["geometry"] = tracts.geometry.make_valid()
    return gpd.GeoDataFrame(tracts, geometry="geometry", crs="EPSG:4326")


def read_city_polygons() -> gpd.GeoDataFrame:
    rows = []
    for city in config.CITIES.values():
        place = _read_geojson(config.GEO / "places_tiger2019" / city.boundary_file)
        rows.append({"city_id": city.id, "geometry": place.geometry.make_valid().union_all()})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def study_counties(tracts: gpd.GeoDataFrame, cities: gpd.GeoDataFrame) -> pd.DataFrame:
    """For each city, the counties holding at least 1% of its land area (boundary slivers do not count)."""
    tracts_m = tracts.to_crs(EQUAL_AREA)
    cities_m = cities.to_crs(EQUAL_AREA)
    pieces = gpd.overlay(tracts_m[["county_fips", "geometry"]], cities_m, how="intersection", keep_geom_type=True)
    pieces["area"] = pieces.geometry.area
    shares = pieces.groupby(["city_id", "county_fips"], as_index=False)["area"].sum()
    shares["share_of_city"] = shares["area"] / shares.groupby("city_id")["area"].transform("sum")
    kept = shares[shares["share_of_city"] >= config.STUDY_COUNTY_MIN_SHARE].copy()
    kept["is_main"] = kept.apply(lambda r: config.CITIES[r["city_id"]].main_county == r["county_fips"], axis=1)
    kept["share_of_city"] = kept["share_of_city"].round(4)
    return kept[["city_id", "county_fips", "share_of_city", "is_main"]].sort_values(
        ["city_id", "county_fips"]).reset_index(drop=True)


def tract_city_share(tracts: gpd.GeoDataFrame, cities: gpd.GeoDataFrame) -> pd.DataFrame:
    """Share of each study tract's area inside each city (a tract is 'in the city' above 0.5)."""
    tracts_m = tracts.to_crs(EQUAL_AREA)
    pieces = gpd.overlay(tracts_m[["tract", "geometry"]], cities.to_crs(EQUAL_AREA), how="intersection",
                         keep_geom_type=True)
    pieces["area"] = pieces.geometry.area
    inside = pieces.groupby(["tract", "city_id"], as_index=False)["area"].sum()
    whole = tracts_m.set_index("tract").geometry.area
    inside["city_share"] = (inside["area"] / inside["tract"].map(whole)).clip(upper=1).round(3)
    return inside[["tract", "city_id", "city_share"]]


def build_study_geometry() -> dict[str, pd.DataFrame]:
    tracts = read_study_tract_polygons()
    cities = read_city_polygons()
    counties = study_counties(tracts, cities)
    study = tracts[tracts["county_fips"].isin(counties["county_fips"])].sort_values("tract").reset_index(drop=True)
    # Simplify all study tracts as one coverage so neighbouring tracts keep shared edges (no gaps).
    simplified = shapely.coverage_simplify(study.geometry.values, TRACT_TOLERANCE)
    study = study.assign(geometry=simplified)
    shares = tract_city_share(study, cities)
    shapes = pd.DataFrame({
        "tract": study["tract"], "county_fips": study["county_fips"],
        "geometry": [geojson_text(g) for g in study.geometry],
    })
    shapes = shapes.merge(shares, on="tract", how="left")
    shapes["city_share"] = shapes["city_share"].fillna(0.0)
    shapes = shapes.sort_values(["tract", "city_id"], na_position="first").drop_duplicates("tract", keep="last")
    outlines = study.dissolve(by="county_fips").geometry.simplify(COUNTY_TOLERANCE)
    county_shapes = pd.DataFrame({"county_fips": outlines.index, "geometry": [geojson_text(g) for g in outlines]})
    city_shapes = pd.DataFrame({
        "city_id": cities["city_id"],
        "geometry": [geojson_text(g.simplify(CITY_TOLERANCE)) for g in cities.geometry],
    })
    return {
        "tract_shapes": shapes[["tract", "county_fips", "city_id", "city_share", "geometry"]].reset_index(drop=True),
        "study_counties": counties,
        "county_shapes": county_shapes.sort_values("county_fips").reset_index(drop=True),
        "city_shapes": city_shapes.sort_values("city_id").reset_index(drop=True),
    }


def _county_and_state_names() -> tuple[pd.DataFrame, dict[str, str]]:
    counties_topo = json.loads(config.RAW_FILES["us_counties"].read_text())
    states = {str(g["id"]): g["properties"]["name"]
              for g in json.loads(config.RAW_FILES["us_states"].read_text())["objects"]["states"]["geometries"]}
    rows = [{"county_fips": fips, "county_name": props.get("name", ""), "geometry": geom}
            for fips, props, geom in topojson_features(counties_topo, "counties")]
    frame = pd.DataFrame(rows)
    frame["state_name"] = frame["county_fips"].str[:2].map(states)
    return frame, states


def build_national_counties(names: pd.DataFrame) -> pd.DataFrame:
    """Every county polygon of the us-atlas 1:10m file, simplified as one coverage (no gaps)."""
    shapes = shapely.coverage_simplify(np.array([polygon_from_geojson(g) for g in names["geometry"]]),
                                       NATIONAL_TOLERANCE)
    geometry = [geojson_text(g, NATIONAL_DIGITS) for g in shapes]
    frame = names[["county_fips", "county_name", "state_name"]].assign(geometry=geometry)
    return frame[frame["geometry"] != "null"].sort_values("county_fips").reset_index(drop=True)


def build_counties(names: pd.DataFrame) -> pd.DataFrame:
    """Every county in the OI file (3,219) with names, Social Capital Atlas EC and 2014 mobility."""
    outcomes = pd.read_csv(config.RAW_FILES["county_outcomes"])
    outcomes.insert(0, "county_fips", (outcomes["state"] * 1000 + outcomes["county"]).map("{:05d}".format))
    social = pd.read_csv(config.RAW_FILES["social_capital_county"], usecols=["county", "ec_county", "ec_se_county"])
    social["county_fips"] = social["county"].map("{:05d}".format)
    mobility = pd.read_csv(config.RAW_FILES["mobility_2014"], usecols=["id", "relative", "absolute"])
    mobility["county_fips"] = mobility["id"].map("{:05d}".format)
    counties = (outcomes.drop(columns=["state", "county"])
                .merge(names[["county_fips", "county_name", "state_name"]], on="county_fips", how="left")
                .merge(social[["county_fips", "ec_county", "ec_se_county"]], on="county_fips", how="left")
                .merge(mobility[["county_fips", "relative", "absolute"]], on="county_fips", how="left"))
    first = ["county_fips", "county_name", "state_name", "cz", "czname"]
    return counties[first + [c for c in counties.columns if c not in first]].sort_values("county_fips").reset_index(drop=True)


def build_national_percentiles() -> pd.DataFrame:
    """The nation by parent percentile: value columns only (`s_` are smoothed values, `imp_` flags)."""
    raw = pd.read_csv(config.RAW_FILES["national_percentiles"])
    wanted = ["par_pctile"]
    for outcome in config.NATIONAL_OUTCOMES.values():
        wanted += [outcome.source_column(r, g) for r in config.RACES for g in config.GENDERS]
    wanted = [c for c in wanted if c in raw.columns]
    return raw[wanted].sort_values("par_pctile").reset_index(drop=True)


def build_commuting_zones() -> pd.DataFrame:
    return pd.read_csv(config.RAW_FILES["cz_outcomes"]).sort_values("cz").reset_index(drop=True)


def build_all() -> dict[str, pd.DataFrame]:
    names, _ = _county_and_state_names()
    tables = {
        "tracts": build_tracts(),
        "counties": build_counties(names),
        "national_counties": build_national_counties(names),
        "commuting_zones": build_commuting_zones(),
        "national_percentiles": build_national_percentiles(),
    }
    tables.update(build_study_geometry())
    return tables


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        path = out_dir / config.PROCESSED_FILES[name]
        tmp = path.with_suffix(".tmp")
        frame.to_parquet(tmp, index=False, compression="zstd")
        tmp.replace(path)  # never leave a half-written table under the real name
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build data/processed from data/raw.")
    parser.add_argument("--out", type=Path, default=config.PROCESSED_DIR, help="output folder")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    for step, path in enumerate(write_tables(build_all(), args.out), 1):
        print(f"[{step}/{len(config.PROCESSED_FILES)}] {path.name}: {path.stat().st_size / 1024:,.0f} KB")
    print(f"Built {args.out} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
