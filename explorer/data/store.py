"""Reading data/processed: plain functions, testable without Streamlit.

`explorer.data.cache` wraps these in Streamlit caches; nothing else reads data/processed.
Tract ids are 11-character strings and county ids 5-character strings; suppressed estimates
(fewer than 20 children) are missing values, never zeros.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from explorer import config
from explorer.i18n import N_, _

if TYPE_CHECKING:  # pandas is imported where a table is read: the home page needs only pyarrow (cold start)
    import pandas as pd


class DataFileError(Exception):
    """A processed file is missing or unreadable: the message names it and the rebuild command."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(_("The data file {path} {reason}. Rebuild the data with: {command}").format(
            path=_shown(path), reason=_(reason), command=config.REBUILD_COMMAND))


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(config.ROOT))
    except ValueError:
        return str(path)


def _processed_path(name: str, data_dir: Path) -> Path:
    if name not in config.PROCESSED_FILES:
        raise ValueError(f"Unknown table {name!r}; expected one of: {', '.join(config.PROCESSED_FILES)}")
    path = Path(data_dir) / config.PROCESSED_FILES[name]
    if not path.is_file():
        raise DataFileError(path, N_("is missing"))
    return path


def read_table(name: str, data_dir: Path) -> pd.DataFrame:
    """One processed table by its registry name (see config.PROCESSED_FILES)."""
    import pandas as pd
    path = _processed_path(name, data_dir)
    try:
        return pd.read_parquet(path)
    except Exception as error:  # any parse failure means a corrupt or foreign file
        raise DataFileError(path, _("could not be read ({error})").format(error=type(error).__name__)) from error


def read_columns(name: str, columns: list[str], data_dir: Path) -> dict[str, list]:
    """Some columns of a processed table as plain lists, read with pyarrow alone (no pandas import:
    pyarrow's dataset reader, behind pq.read_table, would import it)."""
    import pyarrow.parquet as pq
    path = _processed_path(name, data_dir)
    try:
        with pq.ParquetFile(path) as parquet:
            return parquet.read(columns=columns).to_pydict()
    except Exception as error:  # a corrupt file, or one without these columns
        raise DataFileError(path, _("could not be read ({error})").format(error=type(error).__name__)) from error


def study_counties(city_id: str, data_dir: Path) -> pd.DataFrame:
    """The city's study counties (>= 1% of its area), main county first, with names."""
    config.get_city(city_id)
    study = read_table("study_counties", data_dir)
    study = study[study["city_id"] == city_id]
    names = read_table("counties", data_dir)[["county_fips", "county_name", "state_name"]]
    study = study.merge(names, on="county_fips", how="left")
    return study.sort_values(["is_main", "share_of_city"], ascending=False).reset_index(drop=True)


def study_tracts(city_id: str, data_dir: Path) -> pd.DataFrame:
    """Every land tract of the city's study area with its pooled outcomes at p25.

    `in_city` marks tracts with more than half their area inside the city boundary.
    Tracts with no published estimate stay in the table with missing values.
    """
    counties = study_counties(city_id, data_dir)
    shapes = read_table("tract_shapes", data_dir)
    shapes = shapes[shapes["county_fips"].isin(counties["county_fips"])]
    shapes = shapes.assign(city_share=shapes["city_share"].where(shapes["city_id"] == city_id, 0.0))
    tracts = read_table("tracts", data_dir).drop(columns=["state_fips", "county_fips"])
    frame = shapes.drop(columns=["geometry", "city_id"]).merge(tracts, on="tract", how="left")
    frame["in_city"] = frame["city_share"] > 0.5
    frame = frame.merge(counties[["county_fips", "county_name"]], on="county_fips", how="left")
    return frame.sort_values("tract").reset_index(drop=True)


def tract_geometries(city_id: str, data_dir: Path) -> dict[str, dict]:
    """Tract id -> GeoJSON geometry for the city's study area."""
    counties = study_counties(city_id, data_dir)["county_fips"]
    shapes = read_table("tract_shapes", data_dir)
    shapes = shapes[shapes["county_fips"].isin(counties)]
    return {t: json.loads(g) for t, g in zip(shapes["tract"], shapes["geometry"])}


def outline(kind: str, key: str, data_dir: Path) -> dict | None:
    """A city boundary (kind='city', key=city id) or a study-county outline (kind='county', key=FIPS)."""
    table, column = {"city": ("city_shapes", "city_id"), "county": ("county_shapes", "county_fips")}[kind]
    shapes = read_table(table, data_dir)
    match = shapes.loc[shapes[column] == key, "geometry"]
    return json.loads(match.iloc[0]) if len(match) else None


def pick_county(counties: pd.DataFrame, county_fips: str) -> pd.Series:
    """One county's row of the counties table (all races and genders at p25, with standard errors)."""
    match = counties[counties["county_fips"] == county_fips]
    if match.empty:
        raise ValueError(f"Unknown county FIPS {county_fips!r}")
    return match.iloc[0]


def county_row(county_fips: str, data_dir: Path) -> pd.Series:
    """One county's outcomes, read from the processed counties table."""
    return pick_county(read_table("counties", data_dir), county_fips)


def national_p25(outcome: str, race: str, gender: str, data_dir: Path) -> float:
    """The national mean outcome for children of 25th-percentile parents (national_percentile_outcomes)."""
    column = config.NATIONAL_OUTCOMES[outcome].source_column(race, gender)
    table = read_columns("national_percentiles", ["par_pctile", column], data_dir)
    return float(table[column][table["par_pctile"].index(25)])


def headlines(data_dir: Path) -> dict[str, dict]:
    """The home page's card numbers for every city: its main county's household income rank at p25 vs the
    nation. Read once for all nine cards, with pyarrow alone: a new server's first page is the home page,
    and importing pandas would take about a third of a second of it."""
    rank = "kfr_pooled_pooled_p25"
    counties = read_columns("counties", ["county_fips", "county_name", "state_name", rank, f"{rank}_se"], data_dir)
    row_of = {fips: row for row, fips in enumerate(counties["county_fips"])}
    national_rank = national_p25("kfr", "pooled", "pooled", data_dir)
    cards = {}
    for city in config.CITIES.values():
        if city.main_county not in row_of:
            raise ValueError(f"Unknown county FIPS {city.main_county!r}")
        row = row_of[city.main_county]
        name, state = counties["county_name"][row], counties["state_name"][row]
        cards[city.id] = {
            "city": city.label,
            "county": f"{config.county_label(name, state)}, {state}",
            "county_rank": float(counties[rank][row]),
            "county_rank_se": float(counties[f"{rank}_se"][row]),
            "national_rank": national_rank,
        }
    return cards


def national_county_geometries(data_dir: Path) -> dict[str, dict]:
    """County FIPS -> GeoJSON polygon for every US county (1:10m, 2 decimals), for the national map."""
    shapes = read_table("national_counties", data_dir)
    return {fips: json.loads(g) for fips, g in zip(shapes["county_fips"], shapes["geometry"]) if g and g != "null"}


def tract_medians(metric_id: str, data_dir: Path) -> dict:
    """Medians of a tract metric over all US tracts with an estimate, by county and by commuting zone.

    The commuting-zone file has no tract data, so a CZ's median is over the tracts of its counties
    (counties.cz). Returns {"national": (median, tracts), "county": DataFrame[median, tracts] by
    county_fips, "cz": DataFrame[median, tracts, counties, czname] by cz, "county_cz": {county_fips: cz}};
    `tracts` counts tracts with an estimate.
    """
    config.tract_metric(metric_id)  # raises for anything else
    tracts = read_table("tracts", data_dir)[["county_fips", metric_id]].dropna()
    zones = read_table("counties", data_dir)[["county_fips", "cz", "czname"]]
    frame = tracts.merge(zones, on="county_fips", how="left")
    by_county = frame.groupby("county_fips")[metric_id].agg(median="median", tracts="count")
    by_cz = frame.groupby("cz").agg(median=(metric_id, "median"), tracts=(metric_id, "count"),
                                    counties=("county_fips", "nunique"), czname=("czname", "first"))
    county_cz = {f: cz for f, cz in zip(zones["county_fips"], zones["cz"]) if cz == cz}
    return {"national": (float(tracts[metric_id].median()), int(len(tracts))), "county": by_county, "cz": by_cz,
            "county_cz": county_cz}
