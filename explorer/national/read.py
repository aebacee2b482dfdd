"""The optional national pack: where it lives, what it holds (its outcomes, columns and covariates) and
reading one county from it (state-partitioned Parquet, filtered on read)."""
from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from explorer import config
from explorer.i18n import N_, _, localized, translated

NATIONAL_DIR_ENV = "EXPLORER_NATIONAL_DIR"
# Page text (plain language, for community partners; the site's admin finds the commands in the README,
# "The full national data").
NOT_HERE = N_("""**This page is not available on this site.** It needs the full national data from Opportunity
Insights, which is too large to come with the app and has not been added to this site. Every other page
works without it.""")
UNLOCKS = N_("""Where the national data has been added, this page lets you:

- pick **any US county** and see its neighborhoods (census tracts);
- map outcomes **by race and gender**: household income rank, prison or jail, reaching the top 20%;
- see the **gap between Black and white children who grew up in the same tract**, with its uncertainty;
- read each tract's poverty share, median household income, single-parent share, employment and job growth.

If you would like to use it, ask whoever runs this site to add the national data.""")
MANIFEST = "manifest.json"
PACK_TABLES = {
    "tracts": "tracts",                  # folder: state=SS/data.parquet, outcomes + covariates per tract
    "tract_shapes": "tract_shapes",      # folder: state=SS/data.parquet, simplified GeoJSON per tract
    "counties": "counties.parquet",      # every county in the pack: names, tract count, outline
    "county_outcomes": "county_outcomes.parquet",
    "cz_outcomes": "cz_outcomes.parquet",
}


def national_dir() -> Path:
    """Root of the national pack; EXPLORER_NATIONAL_DIR overrides data/national (tests, other disks)."""
    return Path(os.environ.get(NATIONAL_DIR_ENV) or config.ROOT / "data" / "national")


def raw_dir(base: Path | None = None) -> Path:
    """Validated downloads (never edited): what `explorer.national.fetch` leaves for the build."""
    return Path(base or national_dir()) / "raw"


def incoming_dir(base: Path | None = None) -> Path:
    """Downloads in progress (`.part` files) and validated files not yet promoted to raw/."""
    return Path(base or national_dir()) / "incoming"


def pack_dir(base: Path | None = None) -> Path:
    """The built pack the app reads (replaced whole by `python -m explorer.national.build`, never half-written)."""
    return Path(base or national_dir()) / "pack"


def has_pack(base: Path | None = None) -> bool:
    return (pack_dir(base) / MANIFEST).is_file()


def read_manifest(base: Path | None = None) -> dict:
    return json.loads((pack_dir(base) / MANIFEST).read_text())


OUTCOME_COLUMN = re.compile(
    r"^(?P<outcome>kfr_top20|kfr|jail)_(?P<race>pooled|white|black|hisp|asian|natam|other)"
    r"_(?P<gender>pooled|male|female)_p(?P<pct>\d{1,3})(?P<se>_se)?$")
PARENT_PERCENTILES = ("25", "75")  # the two parent incomes the app offers (low and high income)


def outcome_column(outcome: str, race: str, gender: str, pct: str) -> str:
    return f"{outcome}_{race}_{gender}_p{pct}"


def parse_outcome_column(name: str) -> dict | None:
    """{'outcome','race','gender','pct','se'} for an outcome column name, else None."""
    match = OUTCOME_COLUMN.match(name)
    if not match:
        return None
    parts = match.groupdict()
    parts["se"] = bool(parts["se"])
    return parts


def wanted_columns(columns: list[str]) -> list[str]:
    """Outcome and standard-error columns the pack keeps: kfr, jail, kfr_top20 at p25 and p75."""
    keep = []
    for name in columns:
        parts = parse_outcome_column(name)
        if parts and parts["pct"] in PARENT_PERCENTILES:
            keep.append(name)
    return keep


def choices(columns: list[str]) -> dict[str, dict[str, list[str]]]:
    """What the pack can show: outcome -> {'pct': [...], 'race': [...], 'gender': [...]} in registry order."""
    found: dict[str, dict[str, set]] = {}
    for name in columns:
        parts = parse_outcome_column(name)
        if parts and not parts["se"] and parts["outcome"] in TRACT_OUTCOMES:
            entry = found.setdefault(parts["outcome"], {"pct": set(), "race": set(), "gender": set()})
            for key in ("pct", "race", "gender"):
                entry[key].add(parts[key])
    order = {"pct": list(PARENT_PERCENTILES), "race": list(config.RACES), "gender": list(config.GENDERS)}
    return {outcome: {k: [v for v in order[k] if v in found[outcome][k]] for k in order}
            for outcome in TRACT_OUTCOMES if outcome in found}


@dataclass(frozen=True)
class TractOutcome:
    """One tract outcome of the national pack, with how to show it and its Black-white gap.

    Values are stored 0-1 (ranks and shares); gaps are shown in points (x 100): percentile points for
    ranks, percentage points for shares.
    """
    id: str
    label_en: str        # the texts in English (the catalog's ids); `label` etc. are the reader's language
    description_en: str  # plain language, for community partners
    fmt: str             # one value, after `scale`
    scale: float
    gap_unit_en: str
    higher_is_better: bool
    gap_breaks: tuple[float, float] = (2.5, 5.0)  # class edges of the gap legend, in points

    label = translated("label_en")
    description = translated("description_en")
    gap_unit = translated("gap_unit_en")

    def format(self, value: float | None) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return _(config.NO_ESTIMATE)
        return localized(self.fmt.format(value * self.scale))

    def format_gap(self, value: float | None, unit: bool = False) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return _(config.NO_ESTIMATE)
        number = localized(f"{value * 100:+.1f}")
        return number + (f" {self.gap_unit}" if unit else "")


TRACT_OUTCOMES: dict[str, TractOutcome] = {o.id: o for o in (
    TractOutcome("kfr", N_("Household income rank at about age 35"),
                 N_("Where children who grew up in the tract ended up on the national income ladder as adults "
                    "(0 = bottom, 100 = top), by their household income."),
                 "{:.1f}", 100, N_("percentile points"), True, (2.5, 5.0)),
    TractOutcome("jail", N_("In prison or jail on April 1, 2010"),
                 N_("Share of children who grew up in the tract who were in prison or jail on Census day 2010."),
                 "{:.1%}", 1, N_("percentage points"), False, (2.0, 5.0)),
    TractOutcome("kfr_top20", N_("Chance of reaching the top 20%"),
                 N_("Share of children who grew up in the tract whose household income as adults was in the "
                    "top fifth nationally."),
                 "{:.1%}", 1, N_("percentage points"), True, (2.5, 5.0)),
)}
# Tract covariates shown in the tract details (tract_covariates.csv, Opportunity Atlas table 9).
COVARIATES: dict[str, tuple[str, str]] = {
    "poor_share2010": (N_("Share in poverty (2010)"), "{:.1%}"),
    "med_hhinc2016": (N_("Median household income (2016)"), "${:,.0f}"),
    "singleparent_share2010": (N_("Share of single-parent households (2010)"), "{:.1%}"),
    "emp2000": (N_("Employment rate (2000)"), "{:.1%}"),
    "ann_avg_job_growth_2004_2013": (N_("Average yearly job growth, 2004-2013"), "{:+.1%}"),
    "share_black2010": (N_("Share of residents who are Black (2010)"), "{:.1%}"),
    "share_white2010": (N_("Share of residents who are white (2010)"), "{:.1%}"),
}
REQUIRED_COVARIATES = ("poor_share2010", "med_hhinc2016", "singleparent_share2010", "emp2000",
                       "ann_avg_job_growth_2004_2013")


def format_covariate(column: str, value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _("not published")
    return localized(COVARIATES[column][1].format(value))


def tract_ids(state: pd.Series, county: pd.Series, tract: pd.Series) -> pd.Series:
    """11-character 2010 tract GEOIDs from the integer state (2), county (3) and tract (6) codes."""
    number = state.astype("int64") * 10**9 + county.astype("int64") * 10**6 + tract.astype("int64")
    return number.map("{:011d}".format)


def _state_file(table: str, state_fips: str, base: Path | None) -> Path:
    return pack_dir(base) / PACK_TABLES[table] / f"state={state_fips}" / "data.parquet"


def _county_rows(table: str, county_fips: str, base: Path | None) -> pd.DataFrame:
    path = _state_file(table, county_fips[:2], base)
    if not path.is_file():
        return pd.DataFrame()
    return pq.read_table(path, filters=[("county_fips", "=", county_fips)]).to_pandas()


def county_tracts(county_fips: str, base: Path | None = None) -> pd.DataFrame:
    """Every tract of one county: outcomes by race x gender with `_se`, plus covariates."""
    return _county_rows("tracts", county_fips, base).sort_values("tract").reset_index(drop=True)


def county_tract_shapes(county_fips: str, base: Path | None = None) -> dict[str, dict]:
    """Tract id -> GeoJSON geometry (simplified per county as in the bundled pack)."""
    frame = _county_rows("tract_shapes", county_fips, base)
    if frame.empty:
        return {}
    return {t: json.loads(g) for t, g in zip(frame["tract"], frame["geometry"])}


def pack_counties(base: Path | None = None) -> pd.DataFrame:
    """Counties in the pack with a display label ('Wayne County, Michigan'), sorted by label."""
    return pd.read_parquet(pack_dir(base) / PACK_TABLES["counties"])


def county_labels(counties: pd.DataFrame) -> list[str]:
    """Each pack county's name in the reader's language ('Wayne County, Michigan'; 'Condado de Wayne,
    Michigan'), as the build labels them in English: config.county_label and the state, else its FIPS code."""
    labels = []
    for fips, name, state in zip(counties["county_fips"], counties["county_name"], counties["state_name"]):
        named = isinstance(name, str) and isinstance(state, str)
        labels.append(f"{config.county_label(name, state)}, {state}" if named
                      else _("County {fips}").format(fips=fips))
    return labels


def county_outline(county_fips: str, base: Path | None = None) -> dict | None:
    counties = pack_counties(base)
    match = counties.loc[counties["county_fips"] == county_fips, "outline"]
    return json.loads(match.iloc[0]) if len(match) and match.iloc[0] != "null" else None
