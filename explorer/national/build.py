"""Build the national pack from the fetched files: `python -m explorer.national.build`.

Reads data/national/raw (see explorer.national.fetch) and writes data/national/pack:
- tracts/state=SS/data.parquet: every tract's outcomes by race x gender (kfr, jail, kfr_top20 at p25 and
  p75 where the file has them, each with `_se`) joined with its covariates (poverty share, median
  household income, single-parent share, employment, job growth, ...);
- tract_shapes/state=SS/data.parquet: 1:500k tract polygons, simplified per county as one coverage with
  the bundled pack's tolerance, as compact GeoJSON text;
- counties.parquet (name, label, tract count, outline), county_outcomes.parquet, cz_outcomes.parquet;
- manifest.json, written last: the app treats the pack as present only when it exists.

The large CSVs are streamed in blocks with only the needed columns, so memory stays far below 2 GB.
The new pack is built beside the old one and swapped in by renaming, so a failed build leaves the
previous pack untouched.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import shapely

from explorer import config
from explorer.data import store
from explorer.national import fetch, read
from explorer.national.fetch import read_header, shapes_name
from explorer.data.geometry import COUNTY_TOLERANCE, TRACT_TOLERANCE, geojson_text

BLOCK_SIZE = 16 << 20  # bytes of CSV per streamed block
ID_COLUMNS = ("state", "county", "tract")
OUTCOMES_FILE, COVARIATES_FILE = "tract_outcomes_simple.csv", "tract_covariates.csv"
AREA_FILES = {"county_outcomes": "county_outcomes_simple.csv", "cz_outcomes": "cz_outcomes_simple.csv"}


class BuildError(Exception):
    """The fetched files are missing or unusable: the message says which and what to run."""


def _stream_by_state(path: Path, columns: list[str], out_dir: Path) -> list[str]:
    """Stream a tract CSV block by block into one Parquet file per state; returns the states seen."""
    types = {c: (pa.int64() if c in ID_COLUMNS else pa.float64()) for c in columns}
    reader = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=BLOCK_SIZE),
                            convert_options=pacsv.ConvertOptions(include_columns=columns, column_types=types))
    out_dir.mkdir(parents=True, exist_ok=True)
    writers: dict[str, pq.ParquetWriter] = {}
    try:
        for batch in reader:
            frame = batch.to_pandas()
            frame.insert(0, "tract", read.tract_ids(frame.pop("state"), frame.pop("county"), frame.pop("tract")))
            frame.insert(1, "county_fips", frame["tract"].str[:5])
            for state, rows in frame.groupby(frame["tract"].str[:2], sort=False):
                table = pa.Table.from_pandas(rows, preserve_index=False)
                if state not in writers:
                    writers[state] = pq.ParquetWriter(out_dir / f"{state}.parquet", table.schema)
                writers[state].write_table(table.cast(writers[state].schema))
    finally:
        for writer in writers.values():
            writer.close()
    return sorted(writers)


def build_tracts(raw: Path, out: Path, work: Path) -> dict:
    """Outcomes + covariates, one sorted Parquet file per state. Returns the columns kept and counts."""
    outcome_columns = read.wanted_columns(read_header(raw / OUTCOMES_FILE, OUTCOMES_FILE))
    covariate_header = read_header(raw / COVARIATES_FILE, COVARIATES_FILE)
    covariates = [c for c in read.COVARIATES if c in covariate_header]
    states = _stream_by_state(raw / OUTCOMES_FILE, [*ID_COLUMNS, *outcome_columns], work / "outcomes")
    _stream_by_state(raw / COVARIATES_FILE, [*ID_COLUMNS, *covariates], work / "covariates")
    rows = 0
    for state in states:
        tracts = pd.read_parquet(work / "outcomes" / f"{state}.parquet")
        extra_path = work / "covariates" / f"{state}.parquet"
        if extra_path.is_file():
            extra = pd.read_parquet(extra_path).drop(columns="county_fips").drop_duplicates("tract")
            tracts = tracts.merge(extra, on="tract", how="left")
        tracts = tracts.reindex(columns=["tract", "county_fips", *outcome_columns, *covariates])
        target = out / read.PACK_TABLES["tracts"] / f"state={state}"
        target.mkdir(parents=True)
        tracts.sort_values("tract").to_parquet(target / "data.parquet", index=False, compression="zstd")
        rows += len(tracts)
    return {"states": states, "tracts": rows, "outcome_columns": outcome_columns, "covariates": covariates}


def national_breaks(out: Path, columns: list[str], bins: int = 7) -> dict[str, list[float]]:
    """Quantile class edges of each estimate over every US tract, so every county's map shares one scale.

    Interior quantiles ignore the few noise outliers; edges are rounded to 0.001 (a tenth of a rank point).
    """
    estimates = [c for c in columns if not read.parse_outcome_column(c)["se"]]
    files = sorted((out / read.PACK_TABLES["tracts"]).glob("state=*/data.parquet"))
    values = pd.concat([pd.read_parquet(f, columns=estimates) for f in files], ignore_index=True)  # ~25 MB
    breaks = {}
    for column in estimates:
        known = values[column].dropna()
        edges = np.unique(np.round(np.quantile(known, np.arange(1, bins) / bins), 3)) if len(known) else []
        breaks[column] = [float(e) for e in edges]
    return breaks


def county_outline(tracts) -> shapely.Geometry:
    """The county's outline from its simplified tracts: a coverage union (fast, edges are shared),
    falling back to a general union where the tracts do not form a clean coverage."""
    try:
        outline = shapely.coverage_union_all(tracts)
        if not outline.is_valid:
            raise shapely.errors.GEOSException("not a clean coverage")
    except shapely.errors.GEOSException:
        outline = shapely.union_all(shapely.make_valid(tracts))
    return outline.simplify(COUNTY_TOLERANCE)


def simplify_state(zip_path: Path, state: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tract polygons of one state simplified per county as one coverage (shared edges stay shared)."""
    stem = shapes_name(state).removesuffix(".zip")
    frame = gpd.read_file(f"/vsizip/{zip_path}/{stem}.shp", columns=["GEOID", "ALAND"]).to_crs("EPSG:4326")
    frame = frame[frame["ALAND"] > 0]
    frame = frame.assign(tract=frame["GEOID"].astype(str).str.zfill(11), geometry=frame.geometry.make_valid())
    frame["county_fips"] = frame["tract"].str[:5]
    shapes, outlines = [], []
    for county, tracts in frame.sort_values("tract").groupby("county_fips"):
        simplified = shapely.coverage_simplify(tracts.geometry.values, TRACT_TOLERANCE)
        shapes.append(pd.DataFrame({"tract": tracts["tract"].values, "county_fips": county,
                                    "geometry": [geojson_text(g) for g in simplified]}))
        outlines.append({"county_fips": county, "outline": geojson_text(county_outline(simplified))})
    return pd.concat(shapes, ignore_index=True), pd.DataFrame(outlines)


def build_shapes(raw: Path, out: Path, states: list[str]) -> pd.DataFrame:
    """Write tract shapes per state; returns every county outline."""
    outlines = []
    for state in states:
        zip_path = raw / shapes_name(state)
        if not zip_path.is_file():
            print(f"  no tract boundaries for state {state}: its tracts will have no map", file=sys.stderr)
            continue
        shapes, county_outlines = simplify_state(zip_path, state)
        target = out / read.PACK_TABLES["tract_shapes"] / f"state={state}"
        target.mkdir(parents=True)
        shapes.to_parquet(target / "data.parquet", index=False, compression="zstd")
        outlines.append(county_outlines)
    return pd.concat(outlines, ignore_index=True) if outlines else pd.DataFrame(columns=["county_fips", "outline"])


def build_counties(out: Path, outlines: pd.DataFrame) -> pd.DataFrame:
    """Every county with tracts in the pack, named from the bundled county table (all 3,219 US counties)."""
    files = sorted((out / read.PACK_TABLES["tracts"]).glob("state=*/data.parquet"))
    counts = [pd.read_parquet(p, columns=["county_fips"]) for p in files]
    counties = pd.concat(counts).value_counts("county_fips").rename("tracts").reset_index()
    try:
        names = store.read_table("counties", config.processed_dir())[["county_fips", "county_name", "state_name"]]
    except store.DataFileError:
        names = pd.DataFrame(columns=["county_fips", "county_name", "state_name"])
    counties = counties.merge(names, on="county_fips", how="left").merge(outlines, on="county_fips", how="left")
    named = counties["county_name"].notna()
    counties["label"] = "County " + counties["county_fips"]
    counties.loc[named, "label"] = [f"{config.county_label(n, s)}, {s}" for n, s in
                                    zip(counties.loc[named, "county_name"], counties.loc[named, "state_name"])]
    counties["outline"] = counties["outline"].fillna("null")
    columns = ["county_fips", "county_name", "state_name", "label", "tracts", "outline"]
    return counties[columns].sort_values(["label", "county_fips"]).reset_index(drop=True)


def build_area_outcomes(raw: Path, name: str) -> pd.DataFrame:
    """An area file's ids, names, counts and outcome columns; any other column is left out (the fetch
    named them)."""
    frame = pd.read_csv(raw / name)
    frame = frame[[c for c in frame.columns if c not in fetch.unknown_columns(list(frame.columns), fetch.SPECS[name])]]
    if "county" in frame and "state" in frame:
        frame.insert(0, "county_fips", (frame["state"] * 1000 + frame["county"]).map("{:05d}".format))
    return frame


def _sources(raw: Path) -> dict:
    path = raw / "SOURCES.json"
    return json.loads(path.read_text())["files"] if path.is_file() else {}


def build_pack(base: Path | None = None) -> Path:
    """Build the whole pack beside the current one, then swap it in. Returns the pack folder."""
    base = Path(base or read.national_dir())
    raw, final = read.raw_dir(base), read.pack_dir(base)
    missing = [n for n in (OUTCOMES_FILE, COVARIATES_FILE, *AREA_FILES.values()) if not (raw / n).is_file()]
    if missing:
        raise BuildError(f"{', '.join(missing)} not found in {raw}. Download them first with: python -m explorer.national.fetch")
    staging, work = base / "pack.new", base / "pack.work"
    for folder in (staging, work):
        shutil.rmtree(folder, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        facts = build_tracts(raw, staging, work)
        outlines = build_shapes(raw, staging, facts["states"])
        build_counties(staging, outlines).to_parquet(staging / read.PACK_TABLES["counties"], index=False)
        for table, name in AREA_FILES.items():
            build_area_outcomes(raw, name).to_parquet(staging / read.PACK_TABLES[table], index=False)
        facts["breaks"] = national_breaks(staging, facts["outcome_columns"])
        manifest = {**facts, "choices": read.choices(facts["outcome_columns"]),
                    "sources": {n: {k: f.get(k) for k in ("url", "sha256", "rows")} for n, f in _sources(raw).items()}}
        (staging / read.MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    old = base / "pack.old"
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    shutil.rmtree(old, ignore_errors=True)
    return final


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the national pack (data/national/pack) from fetched files.")
    parser.add_argument("--national-dir", type=Path, default=None,
                        help=f"national folder (default data/national, env {read.NATIONAL_DIR_ENV})")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        pack = build_pack(args.national_dir)
    except BuildError as error:
        print(f"Build stopped: {error}", file=sys.stderr)
        return 1
    manifest = read.read_manifest(pack.parent)
    print(f"Built {pack}: {manifest['tracts']:,} tracts in {len(manifest['states'])} states "
          f"in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
