"""Benchmark the national pack at real size: `python -m bench.bench_full_build [--vertices N]`.

Generates, in a temporary folder, a synthetic tract_outcomes_simple.csv with the real header (the
county_outcomes_simple layout with `tract`) for the 73,502 real 2010 tract ids of the bundled tract
table, a tract_covariates.csv with the published covariate columns, and one boundary zip per state
with a polygon per tract: the real bundled 1:500k polygons in the nine cities' study counties (so the
Wayne County map payload is realistic), elsewhere jittered squares of about N vertices that do not touch
(so county outlines there are heavier than real ones). The values are random: measurement only, never
shown as data.

Reports: validation time of the outcome file, the full build's wall time and peak memory (the build runs
in a child process; its ru_maxrss is read with resource.getrusage), the pack size, and the app's rerun
time for the tract gap map of Wayne County, MI (the largest study county, about 610 tracts) from the pack:
cold first run, then the warm median over reruns that change one choice.
"""
from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from explorer.national import fetch, read
from harness.national_files import COVARIATE_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
OPPORTUNITY = ROOT / "data" / "raw" / "opportunity"


def real_tract_ids() -> pd.DataFrame:
    tracts = pd.read_parquet(ROOT / "data" / "processed" / "tracts.parquet", columns=["tract"])
    return pd.DataFrame({"state": tracts["tract"].str[:2].astype(int), "county": tracts["tract"].str[2:5].astype(int),
                         "tract": tracts["tract"].str[5:].astype(int), "geoid": tracts["tract"]})


def write_outcomes(path: Path, ids: pd.DataFrame, rng: np.random.Generator) -> None:
    with open(OPPORTUNITY / "county_outcomes_simple.csv", newline="") as handle:
        county_header = next(csv.reader(handle))
    header = ["state", "county", "tract", "cz", "czname", *county_header[4:]]
    frame = pd.DataFrame({"state": ids["state"], "county": ids["county"], "tract": ids["tract"],
                          "cz": 11600, "czname": "Synthetic"})
    for column in header[5:]:
        values = rng.uniform(0.005, 0.04, len(ids)) if column.endswith("_se") else rng.uniform(0, 1, len(ids))
        values[rng.uniform(size=len(ids)) < 0.3] = np.nan  # about a third suppressed, as for small groups
        frame[column] = values.round(6)
    frame[header].to_csv(path, index=False, na_rep="")


def write_covariates(path: Path, ids: pd.DataFrame, rng: np.random.Generator) -> None:
    frame = pd.DataFrame({"state": ids["state"], "county": ids["county"], "tract": ids["tract"],
                          "cz": 11600, "czname": "Synthetic"})
    for column in COVARIATE_COLUMNS[5:]:
        frame[column] = rng.uniform(0, 1, len(ids)).round(6)
    frame.to_csv(path, index=False)


def real_study_polygons() -> dict[str, shapely.Geometry]:
    """The bundled 1:500k polygons of the nine cities' study counties (Wayne among them)."""
    shapes = pd.read_parquet(ROOT / "data" / "processed" / "tract_shapes.parquet", columns=["tract", "geometry"])
    return dict(zip(shapes["tract"], shapely.from_geojson(shapes["geometry"].tolist())))


def write_shapes(raw: Path, ids: pd.DataFrame, vertices: int, rng: np.random.Generator) -> None:
    """One zip per state: each tract a 0.009-degree square on a 0.01 grid per county, edges jittered."""
    per_side = max(vertices // 4, 1)
    real = real_study_polygons()
    for state, tracts in ids.groupby("state"):
        geoms = []
        for county_index, (_, county) in enumerate(tracts.groupby("county")):
            origin_x, origin_y = -120 + (county_index % 40) * 1.0, 30 + (county_index // 40) * 1.0
            for i, geoid in enumerate(county["geoid"]):
                if geoid in real:  # the study counties keep their real (bundled) Census polygons
                    geoms.append(real[geoid])
                    continue
                x, y = origin_x + (i % 30) * 0.01, origin_y + (i // 30) * 0.01
                square = shapely.segmentize(shapely.box(x, y, x + 0.009, y + 0.009), 0.009 / per_side)
                coords = shapely.get_coordinates(square)
                coords[1:-1] += rng.uniform(-0.0002, 0.0002, coords[1:-1].shape)
                coords[-1] = coords[0]
                geoms.append(shapely.Polygon(coords))
        stem = f"cb_2018_{state:02d}_tract_500k"
        frame = gpd.GeoDataFrame({"GEOID": tracts["geoid"].values, "ALAND": 1_000_000}, geometry=geoms,
                                 crs="EPSG:4269")
        with tempfile.TemporaryDirectory() as tmp:
            frame.to_file(Path(tmp) / f"{stem}.shp", driver="ESRI Shapefile")
            with zipfile.ZipFile(raw / f"{stem}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
                for part in Path(tmp).iterdir():
                    archive.write(part, part.name)


def time_build(base: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of `python -m explorer.national.build` in a child process."""
    env = {**os.environ, read.NATIONAL_DIR_ENV: str(base)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "explorer.national.build"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def time_reruns(base: Path, county: str, reruns: int) -> tuple[float, list[float], int]:
    """Cold first run of the page, warm reruns switching gender, and the map payload in bytes."""
    os.environ[read.NATIONAL_DIR_ENV] = str(base)
    from bench.bench_app import page_failure
    from harness.apptest import app_test

    at = app_test(timeout=120)
    at.session_state["national_county"] = county
    at.switch_page("pages/race_gap_map.py")
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    failure = page_failure(at)
    if failure:
        raise SystemExit(f"The race gap page failed: {failure}")
    warm = []
    for index in range(reruns):
        at.radio(key="national_gender").set_value(["male", "female", "pooled"][index % 3])
        start = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - start)
    payload = len(at.get("deck_gl_json_chart")[0].proto.json) if at.get("deck_gl_json_chart") else 0
    return cold, warm, payload


def generate(base: Path, vertices: int) -> None:
    rng = np.random.default_rng(2019)
    raw = read.raw_dir(base)
    raw.mkdir(parents=True, exist_ok=True)
    ids = real_tract_ids()
    start = time.perf_counter()
    write_outcomes(raw / "tract_outcomes_simple.csv", ids, rng)
    write_covariates(raw / "tract_covariates.csv", ids, rng)
    (raw / "county_outcomes_simple.csv").write_bytes((OPPORTUNITY / "county_outcomes_simple.csv").read_bytes())
    (raw / "cz_outcomes_simple.csv").write_bytes((OPPORTUNITY / "cz_outcomes_simple_9cz_extract.csv").read_bytes())
    write_shapes(raw, ids, vertices, rng)
    print(f"generated {len(ids):,} synthetic tracts in {time.perf_counter() - start:.1f} s "
          f"(outcomes {(raw / 'tract_outcomes_simple.csv').stat().st_size / 1e6:.1f} MB, "
          f"boundaries {sum(p.stat().st_size for p in raw.glob('*.zip')) / 1e6:.1f} MB zipped)")


def measure(base: Path, args) -> None:
    raw = read.raw_dir(base)
    if not args.reuse:
        start = time.perf_counter()
        facts = fetch.validate_csv(raw / "tract_outcomes_simple.csv", fetch.SPECS["tract_outcomes_simple.csv"])
        print(f"validate tract_outcomes_simple.csv ({facts['rows']:,} rows): {time.perf_counter() - start:.2f} s")
        seconds, peak_mb = time_build(base)
        pack_mb = sum(p.stat().st_size for p in read.pack_dir(base).rglob("*") if p.is_file()) / 1e6
        print(f"national build: {seconds:.1f} s, peak memory {peak_mb:,.0f} MB (limit 2,048 MB), pack {pack_mb:.1f} MB")
    cold, warm, payload = time_reruns(base, args.county, args.reruns)
    print(f"page rerun, county {args.county} gap map: cold {cold * 1000:.0f} ms, warm median "
          f"{statistics.median(warm) * 1000:.0f} ms (p90 {sorted(warm)[int(len(warm) * 0.9)] * 1000:.0f} ms, "
          f"{len(warm)} reruns), map payload {payload / 1024:.0f} KB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vertices", type=int, default=100, help="vertices per synthetic tract polygon")
    parser.add_argument("--reruns", type=int, default=15)
    parser.add_argument("--county", default="26163")
    parser.add_argument("--work", type=Path, help="keep the synthetic national folder here (default: a temp dir)")
    parser.add_argument("--reuse", action="store_true", help="with --work: skip generation and build, time reruns")
    args = parser.parse_args()
    if args.work:
        if not args.reuse:
            generate(args.work, args.vertices)
        measure(args.work, args)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), args.vertices)
        measure(Path(tmp), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
