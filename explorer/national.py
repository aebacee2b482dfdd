"""The optional national pack: every US tract by race and gender, with standard errors.

The bundled data has tract outcomes pooled over race and gender only. Opportunity Insights publishes
the full tract file (`tract_outcomes_simple.csv`: every 2010 tract, outcomes by race x gender with
standard errors) and tract covariates; `python -m explorer.fetch && python -m explorer.build --full`
turns them into a git-ignored pack under data/national/ (or $EXPLORER_NATIONAL_DIR). This module is
pure: where the pack lives, how its columns are named, how to read one county, and the within-tract
Black-white gap with its 95% interval. No Streamlit here.

Numbers: `kfr` is a household income rank at about age 35 (0-1, shown 0-100), `jail` and `kfr_top20`
are shares (0-1). Children born 1978-83; `pNN` is the parents' national income percentile. Blank in
the source means suppressed (fewer than 20 children): kept missing, never zero.
"""
from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from explorer import config
from explorer.stats import Z95

NATIONAL_DIR_ENV = "EXPLORER_NATIONAL_DIR"
FETCH_COMMAND = "python -m explorer.fetch && python -m explorer.build --full"
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
    """Validated downloads (never edited): what `explorer.fetch` leaves for the build."""
    return Path(base or national_dir()) / "raw"


def incoming_dir(base: Path | None = None) -> Path:
    """Downloads in progress (`.part` files) and validated files not yet promoted to raw/."""
    return Path(base or national_dir()) / "incoming"


def pack_dir(base: Path | None = None) -> Path:
    """The built pack the app reads (replaced whole by `build --full`, never half-written)."""
    return Path(base or national_dir()) / "pack"


def has_pack(base: Path | None = None) -> bool:
    return (pack_dir(base) / MANIFEST).is_file()


def read_manifest(base: Path | None = None) -> dict:
    return json.loads((pack_dir(base) / MANIFEST).read_text())


# --- Column names: the official pattern {outcome}_{race}_{gender}_p{pct}, with `_se` beside each. ---

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
    label: str
    description: str   # plain language, for community partners
    fmt: str           # one value, after `scale`
    scale: float
    gap_unit: str
    higher_is_better: bool
    gap_breaks: tuple[float, float] = (2.5, 5.0)  # class edges of the gap legend, in points

    def format(self, value: float | None) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "no estimate"
        return self.fmt.format(value * self.scale)

    def format_gap(self, value: float | None, unit: bool = False) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "no estimate"
        return f"{value * 100:+.1f}" + (f" {self.gap_unit}" if unit else "")


TRACT_OUTCOMES: dict[str, TractOutcome] = {o.id: o for o in (
    TractOutcome("kfr", "Household income rank at about age 35",
                 "Where children who grew up in the tract ended up on the national income ladder as adults "
                 "(0 = bottom, 100 = top), by their household income.",
                 "{:.1f}", 100, "percentile points", True, (2.5, 5.0)),
    TractOutcome("jail", "In prison or jail on April 1, 2010",
                 "Share of children who grew up in the tract who were in prison or jail on Census day 2010.",
                 "{:.1%}", 1, "percentage points", False, (2.0, 5.0)),
    TractOutcome("kfr_top20", "Chance of reaching the top 20%",
                 "Share of children who grew up in the tract whose household income as adults was in the "
                 "top fifth nationally.",
                 "{:.1%}", 1, "percentage points", True, (2.5, 5.0)),
)}

# Tract covariates shown in the tract details (tract_covariates.csv, Opportunity Atlas table 9).
COVARIATES: dict[str, tuple[str, str]] = {
    "poor_share2010": ("Share in poverty (2010)", "{:.1%}"),
    "med_hhinc2016": ("Median household income (2016)", "${:,.0f}"),
    "singleparent_share2010": ("Share of single-parent households (2010)", "{:.1%}"),
    "emp2000": ("Employment rate (2000)", "{:.1%}"),
    "ann_avg_job_growth_2004_2013": ("Average yearly job growth, 2004-2013", "{:+.1%}"),
    "share_black2010": ("Share of residents who are Black (2010)", "{:.1%}"),
    "share_white2010": ("Share of residents who are white (2010)", "{:.1%}"),
}
REQUIRED_COVARIATES = ("poor_share2010", "med_hhinc2016", "singleparent_share2010", "emp2000",
                       "ann_avg_job_growth_2004_2013")


def format_covariate(column: str, value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not published"
    return COVARIATES[column][1].format(value)


def tract_ids(state: pd.Series, county: pd.Series, tract: pd.Series) -> pd.Series:
    """11-character 2010 tract GEOIDs from the integer state (2), county (3) and tract (6) codes."""
    number = state.astype("int64") * 10**9 + county.astype("int64") * 10**6 + tract.astype("int64")
    return number.map("{:011d}".format)


# --- Reading one county from the pack (state-partitioned Parquet, filtered on read). ---

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


def county_outline(county_fips: str, base: Path | None = None) -> dict | None:
    counties = pack_counties(base)
    match = counties.loc[counties["county_fips"] == county_fips, "outline"]
    return json.loads(match.iloc[0]) if len(match) and match.iloc[0] != "null" else None


# --- The within-tract Black-white gap. ---

def race_gap(tracts: pd.DataFrame, outcome: str, gender: str, pct: str,
             group_a: str = "black", group_b: str = "white") -> pd.DataFrame:
    """Black minus white within each tract, for children of the same gender and parent income.

    Only tracts where both groups have a published estimate are returned (fewer than 20 children
    means no estimate). The 95% interval treats the two estimates as independent:
    gap +/- 1.96 * sqrt(se_a^2 + se_b^2). `clearly_different` is False when the interval includes 0
    and missing when no standard error was published.
    """
    col_a, col_b = outcome_column(outcome, group_a, gender, pct), outcome_column(outcome, group_b, gender, pct)
    empty = pd.DataFrame(columns=["tract", "county_fips", "a", "a_se", "b", "b_se", "gap", "gap_low",
                                  "gap_high", "clearly_different"])
    if tracts.empty or col_a not in tracts or col_b not in tracts:
        return empty
    frame = pd.DataFrame({
        "tract": tracts["tract"], "county_fips": tracts["county_fips"],
        "a": tracts[col_a].astype("float64"), "a_se": tracts.get(f"{col_a}_se", np.nan),
        "b": tracts[col_b].astype("float64"), "b_se": tracts.get(f"{col_b}_se", np.nan),
    })
    frame = frame[frame["a"].notna() & frame["b"].notna()].reset_index(drop=True)
    se = np.hypot(frame["a_se"].astype("float64"), frame["b_se"].astype("float64"))
    frame["gap"] = frame["a"] - frame["b"]
    frame["gap_low"] = frame["gap"] - Z95 * se
    frame["gap_high"] = frame["gap"] + Z95 * se
    clear = (frame["gap_low"] > 0) | (frame["gap_high"] < 0)
    frame["clearly_different"] = clear.astype("boolean").mask(se.isna())
    return frame


def gap_verdict(clearly_different) -> str:
    """Plain words for one tract's gap: the interval is what decides, not the point estimate."""
    if clearly_different is None or clearly_different is pd.NA or clearly_different != clearly_different:
        return "no interval published"
    return "clearly different" if bool(clearly_different) else "not clearly different"


# --- Tables, legends and maps for the page (pure: DataFrames and pydeck Decks). ---

GAP_COLOURS = ("#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788")
"""ColorBrewer PuOr (colour-blind safe), orange = Black children worse off, purple = better off."""
UNCLEAR_RGB = (205, 205, 205)
UNCLEAR_LABEL = "not clearly different (95% interval includes 0)"


def gap_breaks(outcome: str) -> tuple[float, ...]:
    """Fixed gap class edges in stored units (the same in every county, so counties compare)."""
    low, high = (b / 100 for b in TRACT_OUTCOMES[outcome].gap_breaks)
    return (-high, -low, 0.0, low, high)


def _worse_first(gap: pd.Series, outcome: str) -> pd.Series:
    """Gaps oriented so that negative always means Black children fare worse (jail: higher is worse)."""
    return gap if TRACT_OUTCOMES[outcome].higher_is_better else -gap


def gap_colours(gaps: pd.DataFrame, outcome: str) -> list[list[int]]:
    """RGB per tract: a PuOr class for clearly different gaps, light grey otherwise."""
    from explorer.scales import hex_to_rgb

    oriented = _worse_first(gaps["gap"], outcome).to_numpy(dtype="float64")
    edges = np.array(gap_breaks(outcome))
    bins = np.searchsorted(edges, oriented, side="right")
    palette = np.array([hex_to_rgb(c) for c in GAP_COLOURS] + [UNCLEAR_RGB], dtype=int)
    clear = gaps["clearly_different"].fillna(False).to_numpy(dtype=bool)
    return palette[np.where(clear, bins, len(GAP_COLOURS))].tolist()


def gap_legend(gaps: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """The gap map's legend as data: colour, what it means, how many tracts."""
    spec = TRACT_OUTCOMES[outcome]
    edges = [f"{b:.1f}" for b in spec.gap_breaks]
    unit = spec.gap_unit
    worse, better = ("lower", "higher") if spec.higher_is_better else ("higher", "lower")
    meanings = [f"Black children {worse} by {edges[1]} {unit} or more",
                f"Black children {worse} by {edges[0]} to {edges[1]} {unit}",
                f"Black children {worse} by less than {edges[0]} {unit}",
                f"Black children {better} by less than {edges[0]} {unit}",
                f"Black children {better} by {edges[0]} to {edges[1]} {unit}",
                f"Black children {better} by {edges[1]} {unit} or more", UNCLEAR_LABEL]
    from explorer.scales import hex_to_rgb, rgb_to_hex

    fills = [tuple(c) for c in gap_colours(gaps, outcome)]
    palette = [hex_to_rgb(c) for c in GAP_COLOURS] + [UNCLEAR_RGB]
    return pd.DataFrame({"colour": [rgb_to_hex(c) for c in palette], "meaning": meanings,
                         "tracts": [fills.count(tuple(c)) for c in palette]})


def gap_table(gaps: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """One row per tract with both estimates, in displayed units, for the table and the CSV."""
    spec = TRACT_OUTCOMES[outcome]
    return pd.DataFrame({
        "tract": gaps["tract"],
        "Black": (gaps["a"] * spec.scale).round(4), "white": (gaps["b"] * spec.scale).round(4),
        f"gap, Black minus white ({spec.gap_unit})": (gaps["gap"] * 100).round(2),
        "95% interval low": (gaps["gap_low"] * 100).round(2),
        "95% interval high": (gaps["gap_high"] * 100).round(2),
        "verdict": [gap_verdict(v) for v in gaps["clearly_different"]],
    })


def gap_tooltips(gaps: pd.DataFrame, outcome: str) -> list[dict[str, str]]:
    """Escaped tooltip lines per tract (the values come from a data file: never trusted as HTML)."""
    from html import escape

    spec = TRACT_OUTCOMES[outcome]
    return [{"title": escape(f"Tract {tract}"),
             "line1": escape(f"Black {spec.format(a)}, white {spec.format(b)}"),
             "line2": escape(f"Gap {spec.format_gap(gap, unit=True)} (95% interval {spec.format_gap(low)} "
                             f"to {spec.format_gap(high)})"),
             "line3": escape(gap_verdict(clear))}
            for tract, a, b, gap, low, high, clear in zip(gaps["tract"], gaps["a"], gaps["b"], gaps["gap"],
                                                          gaps["gap_low"], gaps["gap_high"], gaps["clearly_different"])]


def group_values(tracts: pd.DataFrame, outcome: str, race: str, gender: str, pct: str) -> pd.DataFrame:
    """One group's estimate and 95% interval per tract (missing where suppressed)."""
    column = outcome_column(outcome, race, gender, pct)
    value = tracts.get(column, pd.Series(np.nan, index=tracts.index)).astype("float64")
    se = tracts.get(f"{column}_se", pd.Series(np.nan, index=tracts.index)).astype("float64")
    return pd.DataFrame({"tract": tracts["tract"], "value": value,
                         "low": value - Z95 * se, "high": value + Z95 * se})


def group_scale(breaks: list[float] | tuple[float, ...], column: str):
    """A scales.Scale over national quantile breaks (computed over every US tract at build time)."""
    from explorer.scales import RDYLBU, Scale, hex_to_rgb

    count = min(max(len(breaks) + 1, 3), 7)
    return Scale(column, tuple(breaks)[: count - 1], tuple(hex_to_rgb(c) for c in RDYLBU[count]), "all US tracts")


def group_legend(values: pd.Series, scale, outcome: str) -> pd.DataFrame:
    from explorer.scales import MISSING_LABEL, bin_index, rgb_to_hex

    spec = TRACT_OUTCOMES[outcome]
    colours = scale.colours if spec.higher_is_better else scale.colours[::-1]
    edges = [spec.format(b) for b in scale.breaks]
    labels = [f"under {edges[0]}", *[f"{lo} to under {hi}" for lo, hi in zip(edges, edges[1:])], f"{edges[-1]} or more"]
    bins = bin_index(values, scale)
    counts = np.bincount(bins[bins >= 0], minlength=len(colours)).tolist()
    return pd.DataFrame({"colour": [rgb_to_hex(c) for c in colours] + ["#bebebe"],
                         "range": labels + [MISSING_LABEL], "tracts": counts + [int((bins < 0).sum())]})


def group_colours(values: pd.Series, scale, outcome: str) -> list[list[int]]:
    """RdYlBu by national bin; reversed for incarceration so that blue always means better."""
    from explorer.scales import Scale, colours

    if not TRACT_OUTCOMES[outcome].higher_is_better:
        scale = Scale(scale.metric_id, scale.breaks, scale.colours[::-1], scale.basis)
    return colours(values, scale).astype(int).tolist()


def group_tooltips(values: pd.DataFrame, outcome: str, group: str) -> list[dict[str, str]]:
    from html import escape

    spec = TRACT_OUTCOMES[outcome]
    rows = []
    for tract, value, low, high in zip(values["tract"], values["value"], values["low"], values["high"]):
        interval = "" if math.isnan(low) else f" (95% interval {spec.format(low)} to {spec.format(high)})"
        rows.append({"title": escape(f"Tract {tract}"), "line1": escape(f"{group}: {spec.format(value)}{interval}"),
                     "line2": escape(spec.label), "line3": ""})
    return rows


TOOLTIP = {"html": "<b>{title}</b><br/>{line1}<br/>{line2}<br/>{line3}",
           "style": {"fontSize": "14px", "maxWidth": "360px"}}


def _bounds(geometries: list[dict]) -> tuple[float, float, float, float]:
    import shapely
    from shapely.geometry import shape

    return tuple(float(v) for v in shapely.total_bounds([shape(g) for g in geometries]))


def tract_deck(tract_ids: list[str], fills: list[list[int]], tooltips: list[dict[str, str]],
               shapes: dict[str, dict], outline: dict | None):
    """A pydeck map of the given tracts (only those with a shape), the county outline on top.

    Works without internet: the layers carry their own geometry; a light basemap shows when online.
    """
    import pydeck as pdk

    features = [{"type": "Feature", "geometry": shapes[t], "properties": {"fill": f, **tip}}
                for t, f, tip in zip(tract_ids, fills, tooltips) if t in shapes]
    drawn = [f["geometry"] for f in features] or ([outline] if outline else [])
    west, south, east, north = _bounds(drawn) if drawn else (-98.6, 39.8, -98.6, 39.8)
    span = max(east - west, north - south, 0.01)
    zoom = float(np.clip(np.log2(360 / span) - 0.6, 3, 13))
    layers = [pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id="tracts",
                        pickable=True, stroked=True, filled=True, get_fill_color="properties.fill",
                        get_line_color=[255, 255, 255], line_width_min_pixels=0.5, opacity=0.85)]
    if outline:
        layers.append(pdk.Layer("GeoJsonLayer", {"type": "Feature", "geometry": outline, "properties": {}},
                                id="county", filled=False, stroked=True, get_line_color=[40, 40, 40],
                                line_width_min_pixels=1.5))
    view = pdk.ViewState(longitude=(west + east) / 2, latitude=(south + north) / 2, zoom=zoom)
    return pdk.Deck(layers=layers, initial_view_state=view, tooltip=TOOLTIP, map_provider="carto",
                    map_style="light")


def tract_details(row: pd.Series, outcome: str, gender: str, pct: str) -> pd.DataFrame:
    """One tract: each race's estimate with its interval, then the neighborhood covariates."""
    spec = TRACT_OUTCOMES[outcome]
    rows = []
    for race, race_label in config.RACES.items():
        column = outcome_column(outcome, race, gender, pct)
        if column in row.index:
            low, high = (row[column] - Z95 * row.get(f"{column}_se", np.nan),
                         row[column] + Z95 * row.get(f"{column}_se", np.nan))
            interval = "" if math.isnan(low) else f" (95% interval {spec.format(low)} to {spec.format(high)})"
            rows.append({"item": f"{spec.label}: {race_label}", "value": spec.format(row[column]) + interval})
    for column, (label, _) in COVARIATES.items():
        if column in row.index:
            rows.append({"item": label, "value": format_covariate(column, row[column])})
    return pd.DataFrame(rows)
