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
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pydeck as pdk

from explorer import config, maps, scales
from explorer.scales import MISSING_LABEL, MISSING_RGB, hex_to_rgb, rgb_to_hex
from explorer.stats import Z95

NATIONAL_DIR_ENV = "EXPLORER_NATIONAL_DIR"
FETCH_COMMAND = "python -m explorer.fetch && python -m explorer.build --full"

# Page text (plain language, for community partners).
UNLOCKS = """This page needs the **full national data** from Opportunity Insights, which is too large to ship
with the app. With it you can:

- pick **any US county** and see its neighborhoods (census tracts);
- map outcomes **by race and gender**: household income rank, prison or jail, reaching the top 20%;
- see the **gap between Black and white children who grew up in the same tract**, with its uncertainty;
- read each tract's poverty share, median household income, single-parent share, employment and job growth.

On a computer with internet access, run this once in the app's folder (a large download; if it stops, run it again
and it carries on where it stopped):"""
HOW_TO_READ_GAP = """**How to read this map.** Each coloured tract has estimates for both Black and white children
who grew up there, from families with the same income. Orange: Black children fared worse; purple: better.
Grey tracts: the 95% interval includes zero, so the data cannot tell the two groups apart there.
Tracts with no colour have fewer than 20 Black or white children in the data (no estimate)."""
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
            return config.NO_ESTIMATE
        return self.fmt.format(value * self.scale)

    def format_gap(self, value: float | None, unit: bool = False) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return config.NO_ESTIMATE
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

def race_gap(tracts: pd.DataFrame, outcome: str, gender: str, pct: str) -> pd.DataFrame:
    """White minus Black within each tract, for children of the same gender and parent income.

    The same convention as the app's county map: for income, a positive gap means white children
    ranked higher. Only tracts where both groups have a published estimate are returned (fewer than
    20 children means no estimate). The 95% interval treats the two estimates as independent:
    gap +/- 1.96 * sqrt(se_white^2 + se_black^2). `clearly_different` is False when the interval
    includes 0 and missing when no standard error was published.
    """
    empty = pd.DataFrame(columns=["tract", "county_fips", "white", "white_se", "black", "black_se", "gap",
                                  "gap_low", "gap_high", "clearly_different"])
    columns = {race: outcome_column(outcome, race, gender, pct) for race in ("white", "black")}
    if tracts.empty or any(c not in tracts for c in columns.values()):
        return empty
    frame = pd.DataFrame({"tract": tracts["tract"], "county_fips": tracts["county_fips"]})
    for race, column in columns.items():
        frame[race] = tracts[column].astype("float64")
        frame[f"{race}_se"] = tracts[f"{column}_se"].astype("float64") if f"{column}_se" in tracts else np.nan
    frame = frame[frame["white"].notna() & frame["black"].notna()].reset_index(drop=True)
    se = np.hypot(frame["white_se"], frame["black_se"])
    frame["gap"] = frame["white"] - frame["black"]
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
# Built on the shared map helpers (explorer.maps: quantized geometry, compact deck, view fitting;
# explorer.scales: palettes and the missing-estimate grey), so these maps look and weigh like the city maps.

GAP_COLOURS = ("#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788")
"""ColorBrewer PuOr (colour-blind safe): orange = Black children worse off, purple = better off."""
GROUP_COLOURS = scales.RDYLBU[7]
"""ColorBrewer RdYlBu, 7 classes (colour-blind safe), worse (red) to better (blue), as the city maps."""
UNCLEAR_RGB = (205, 205, 205)
UNCLEAR_LABEL = "not clearly different (95% interval includes 0)"


def gap_breaks(outcome: str) -> tuple[float, ...]:
    """Fixed class edges of the 'Black children worse off' axis in stored units, the same in every county."""
    low, high = (b / 100 for b in TRACT_OUTCOMES[outcome].gap_breaks)
    return (-high, -low, 0.0, low, high)


def _black_advantage(gap: pd.Series, outcome: str) -> np.ndarray:
    """The gap turned so that negative always means Black children fare worse.

    Income (higher is better): white minus Black > 0 is worse for Black children, so flip the sign.
    Prison or jail (lower is better): white minus Black < 0 is worse for Black children: keep it.
    """
    values = gap.to_numpy(dtype="float64")
    return -values if TRACT_OUTCOMES[outcome].higher_is_better else values


def gap_classes(gaps: pd.DataFrame, outcome: str) -> np.ndarray:
    """Legend row per tract: 0-5 the PuOr classes, 6 'not clearly different' (or no interval)."""
    bins = np.searchsorted(np.array(gap_breaks(outcome)), _black_advantage(gaps["gap"], outcome), side="right")
    clear = gaps["clearly_different"].fillna(False).to_numpy(dtype=bool)
    return np.where(clear, bins, len(GAP_COLOURS))


def gap_colours(gaps: pd.DataFrame, outcome: str) -> list[list[int]]:
    palette = np.array([hex_to_rgb(c) for c in GAP_COLOURS] + [UNCLEAR_RGB], dtype=int)
    return palette[gap_classes(gaps, outcome)].tolist()


def gap_legend(gaps: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """The gap map's legend as data: colour, what it means, how many tracts."""
    spec = TRACT_OUTCOMES[outcome]
    small, large = (f"{b:.1f}" for b in spec.gap_breaks)
    unit = spec.gap_unit
    worse, better = ("lower", "higher") if spec.higher_is_better else ("higher", "lower")
    meanings = [f"Black children {worse} by {large} {unit} or more",
                f"Black children {worse} by {small} to {large} {unit}",
                f"Black children {worse} by less than {small} {unit}",
                f"Black children {better} by less than {small} {unit}",
                f"Black children {better} by {small} to {large} {unit}",
                f"Black children {better} by {large} {unit} or more", UNCLEAR_LABEL]
    counts = np.bincount(gap_classes(gaps, outcome), minlength=len(meanings)) if len(gaps) else [0] * len(meanings)
    return pd.DataFrame({"colour": [*GAP_COLOURS, rgb_to_hex(UNCLEAR_RGB)], "range": meanings,
                         "tracts": list(map(int, counts))})


def gap_table(gaps: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """One row per tract with both estimates, in displayed units, for the table and the CSV."""
    spec = TRACT_OUTCOMES[outcome]
    return pd.DataFrame({
        "tract": gaps["tract"],
        "white": (gaps["white"] * spec.scale).round(4), "Black": (gaps["black"] * spec.scale).round(4),
        f"gap, white minus Black ({spec.gap_unit})": (gaps["gap"] * 100).round(2),
        "95% interval low": (gaps["gap_low"] * 100).round(2),
        "95% interval high": (gaps["gap_high"] * 100).round(2),
        "verdict": [gap_verdict(v) for v in gaps["clearly_different"]],
    })


def _points(value: float) -> str:
    return "-" if value != value else f"{value * 100:+.1f}"


def gap_properties(gaps: pd.DataFrame, outcome: str) -> list[dict[str, str]]:
    """Per-tract tooltip values (short keys keep the map payload small), each html-escaped.

    t tract id, w white, b Black (the outcome's format), g gap in points, i its 95% interval, v verdict.
    """
    spec = TRACT_OUTCOMES[outcome]
    return [{"t": escape(str(tract)), "w": escape(spec.format(white)), "b": escape(spec.format(black)),
             "g": escape(_points(gap)), "i": escape(f"{_points(low)} to {_points(high)}"),
             "v": escape(gap_verdict(clear))}
            for tract, white, black, gap, low, high, clear in zip(
                gaps["tract"], gaps["white"], gaps["black"], gaps["gap"], gaps["gap_low"], gaps["gap_high"],
                gaps["clearly_different"])]


def gap_tooltip(outcome: str) -> dict:
    """The gap map's hover template; the fixed words are ours, the {x} values come escaped per tract."""
    spec = TRACT_OUTCOMES[outcome]
    return {"html": f"<b>Tract {{t}}</b><br/>{escape(spec.label)}<br/>White {{w}}, Black {{b}}<br/>"
                    f"Gap (white minus Black): <b>{{g}}</b> {escape(spec.gap_unit)}<br/>"
                    "95% interval {i}<br/><b>{v}</b>", "style": TOOLTIP_STYLE}


def group_values(tracts: pd.DataFrame, outcome: str, race: str, gender: str, pct: str) -> pd.DataFrame:
    """One group's estimate and 95% interval per tract (missing where suppressed)."""
    column = outcome_column(outcome, race, gender, pct)
    missing = pd.Series(np.nan, index=tracts.index)
    value = tracts.get(column, missing).astype("float64")
    se = tracts.get(f"{column}_se", missing).astype("float64")
    return pd.DataFrame({"tract": tracts["tract"], "value": value, "low": value - Z95 * se, "high": value + Z95 * se})


def group_classes(values: pd.Series, breaks) -> np.ndarray:
    """Class per tract over the national breaks (computed over every US tract at build time); -1 if missing."""
    array = values.to_numpy(dtype="float64")
    bins = np.searchsorted(np.asarray(breaks, dtype="float64"), array, side="right")
    return np.where(np.isnan(array), -1, bins)


def _group_palette(breaks, outcome: str) -> list[tuple[int, int, int]]:
    """One colour per class; blue always means better (reversed for prison or jail)."""
    count = len(breaks) + 1
    picks = np.linspace(0, len(GROUP_COLOURS) - 1, count).round().astype(int) if count > 1 else [6]
    colours = [hex_to_rgb(GROUP_COLOURS[i]) for i in picks]
    return colours if TRACT_OUTCOMES[outcome].higher_is_better else colours[::-1]


def group_colours(values: pd.Series, breaks, outcome: str) -> list[list[int]]:
    palette = np.array([*_group_palette(breaks, outcome), MISSING_RGB], dtype=int)
    return palette[group_classes(values, breaks)].tolist()  # -1 picks the last row: missing grey


def group_legend(values: pd.Series, breaks, outcome: str) -> pd.DataFrame:
    spec = TRACT_OUTCOMES[outcome]
    edges = [spec.format(b) for b in breaks]
    labels = ([f"under {edges[0]}", *[f"{lo} to under {hi}" for lo, hi in zip(edges, edges[1:])],
               f"{edges[-1]} or more"] if edges else ["all values"])
    classes = group_classes(values, breaks)
    counts = np.bincount(classes[classes >= 0], minlength=len(labels)).tolist()
    return pd.DataFrame({"colour": [rgb_to_hex(c) for c in _group_palette(breaks, outcome)] + [rgb_to_hex(MISSING_RGB)],
                         "range": labels + [MISSING_LABEL], "tracts": counts + [int((classes < 0).sum())]})


def group_properties(values: pd.DataFrame, outcome: str) -> list[dict[str, str]]:
    """Per-tract tooltip values for one group: t tract id, v estimate, i 95% interval (all escaped)."""
    spec = TRACT_OUTCOMES[outcome]
    return [{"t": escape(str(tract)), "v": escape(spec.format(value)),
             "i": escape("-" if low != low else f"{spec.format(low)} to {spec.format(high)}")}
            for tract, value, low, high in zip(values["tract"], values["value"], values["low"], values["high"])]


def group_tooltip(outcome: str, group: str) -> dict:
    spec = TRACT_OUTCOMES[outcome]
    return {"html": f"<b>Tract {{t}}</b><br/>{escape(spec.label)}<br/>{escape(group)}: <b>{{v}}</b><br/>"
                    "95% interval {i}", "style": TOOLTIP_STYLE}


TOOLTIP_STYLE = {"fontSize": "14px", "maxWidth": "380px"}


def tract_deck(tract_ids: list[str], fills: list[list[int]], properties: list[dict[str, str]], tooltip: dict,
               shapes: maps.QuantizedShapes, outline: dict | None, basemap: bool = False) -> maps.CompactDeck:
    """A county's tracts (only those with a shape) with the county outline on top, as the city maps draw them.

    Basemap off (the default) fetches nothing from the internet; on, Carto's token-free light map.
    """
    features = [{"geometry": shapes.geometries[t], "properties": {"f": f, **extra}}
                for t, f, extra in zip(tract_ids, fills, properties) if t in shapes.geometries]
    layers = {"Census tracts": pdk.Layer(
        "GeoJsonLayer", data=features, id=maps.TRACT_LAYER_ID, pickable=True, stroked=True, filled=True,
        get_fill_color="properties.f", get_line_color=maps.TRACT_LINE_COLOUR, get_line_width=0.5,
        line_width_units="'pixels'", auto_highlight=True, highlight_color=[0, 0, 0, 60],
        **maps.offset_props(shapes.origin))}
    if outline:
        layers["County outline"] = maps.outline_layer("county", [outline], shapes.origin, maps.OUTLINE_COLOUR, 2)
    return maps.make_deck(layers, maps.fit_view(shapes.bounds), tooltip, basemap)


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
