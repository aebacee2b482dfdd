"""The national tract page's maps and details: one group's values on the city map's scale and legend, the
county's tract deck (the city map's tract layer), and one tract's details."""
from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd

from explorer import config
from explorer.i18n import N_, _
from explorer.maps import deckgl, scales, tract_map
from explorer.national import race_gaps, read
from explorer.stats import Z95

def group_values(tracts: pd.DataFrame, outcome: str, race: str, gender: str, pct: str) -> pd.DataFrame:
    """One group's estimate and 95% interval per tract (missing where suppressed)."""
    column = read.outcome_column(outcome, race, gender, pct)
    missing = pd.Series(np.nan, index=tracts.index)
    value = tracts.get(column, missing).astype("float64")
    se = tracts.get(f"{column}_se", missing).astype("float64")
    return pd.DataFrame({"tract": tracts["tract"], "value": value, "low": value - Z95 * se, "high": value + Z95 * se})


ALL_US_TRACTS = N_("all US tracts")


def group_scale(breaks, outcome: str) -> scales.Scale:
    """The one-group map's colours: the national pack's bins of every US tract for this group (computed at
    build time), with the city map's palette and legend words (explorer.maps.scales); blue is better."""
    spec = read.TRACT_OUTCOMES[outcome]
    return scales.fixed_scale(breaks, spec, _(ALL_US_TRACTS), spec.higher_is_better)


@dataclass(frozen=True)
class MapColours:
    """What a tract race gap page's map colours, for the page's map and the data-walk kit's poster alike."""
    frame: pd.DataFrame        # the gaps (race_gaps.race_gap) or one group's values (group_values)
    bins: list                 # a colour row of `palette` per row of `frame` (the last row: no estimate)
    palette: np.ndarray
    legend: pd.DataFrame       # colour, range, tracts


def gap_colours(tracts: pd.DataFrame, outcome: str, gender: str, pct: str) -> MapColours:
    """The Black-white gap map: classes of the within-tract gap, 'not clearly different' in grey."""
    gaps = race_gaps.race_gap(tracts, outcome, gender, pct)
    return MapColours(gaps, race_gaps.gap_classes(gaps, outcome), race_gaps.GAP_PALETTE,
                      race_gaps.gap_legend(gaps, outcome))


def group_colours(tracts: pd.DataFrame, outcome: str, race: str, gender: str, pct: str, breaks) -> MapColours:
    """One group's map in the pack's national bins for that group (group_scale)."""
    values, scale = group_values(tracts, outcome, race, gender, pct), group_scale(breaks, outcome)
    return MapColours(values, deckgl.bin_field(values["value"], scale), scale.palette,
                      scales.legend_table(values["value"], scale))


def group_properties(values: pd.DataFrame, outcome: str, titles=None) -> list[dict[str, str]]:
    """Per-tract tooltip values for one group: t the tract's title (race_gaps.title_of), v estimate, i 95%
    interval (all escaped)."""
    spec = read.TRACT_OUTCOMES[outcome]
    return [{"t": escape(race_gaps.title_of(tract, titles)), "v": escape(spec.format(value)),
             "i": escape("-" if low != low else _("{low} to {high}").format(low=spec.format(low), high=spec.format(high)))}
            for tract, value, low, high in zip(values["tract"], values["value"], values["low"], values["high"])]


def group_tooltip(outcome: str, group: str) -> dict:
    spec = read.TRACT_OUTCOMES[outcome]
    return {"html": f"<b>{{t}}</b><br/>{escape(spec.label)}<br/>{escape(group)}: <b>{{v}}</b><br/>"
                    + race_gaps.interval_line(), "style": deckgl.TOOLTIP_STYLE}


def group_table(values: pd.DataFrame) -> pd.DataFrame:
    """One group's values (group_values) for the table and its CSV, with headers in the reader's language."""
    return values.rename(columns={"tract": _("tract"), "value": _("value"), "low": _("95% interval low"),
                                  "high": _("95% interval high")})




def tract_deck(tract_ids: list[str], bins: list[int], palette: np.ndarray, properties: list[dict[str, str]],
               tooltip: dict, shapes: deckgl.QuantizedShapes, outline: dict | None,
               basemap: bool = False) -> deckgl.CompactDeck:
    """A county's tracts (only those with a shape) in the city map's tract layer, each coloured by its row
    `bins` of `palette`, with the county outline on top.

    Basemap off (the default) fetches nothing from the internet; on, Carto's token-free light map.
    """
    features = [{"geometry": shapes.geometries[t], "b": int(b), **extra}
                for t, b, extra in zip(tract_ids, bins, properties) if t in shapes.geometries]
    layers = {"Census tracts": tract_map.tract_layer(features, deckgl.palette_accessor(palette), shapes.origin)}
    if outline:
        layers["County outline"] = deckgl.outline_layer("county", [outline], shapes.origin, deckgl.OUTLINE_COLOUR, 2)
    return deckgl.make_deck(layers, deckgl.fit_view(shapes.bounds), tooltip, basemap)


def tract_details(row: pd.Series, outcome: str, gender: str, pct: str) -> pd.DataFrame:
    """One tract: each race's estimate with its interval, then the neighborhood covariates."""
    spec = read.TRACT_OUTCOMES[outcome]
    rows = []
    for race, race_label in config.RACES.items():
        column = read.outcome_column(outcome, race, gender, pct)
        if column in row.index:
            low, high = (row[column] - Z95 * row.get(f"{column}_se", np.nan),
                         row[column] + Z95 * row.get(f"{column}_se", np.nan))
            value = spec.format(row[column])
            if not math.isnan(low):
                value = _("{value} (95% interval {low} to {high})").format(value=value, low=spec.format(low),
                                                                           high=spec.format(high))
            rows.append({"item": f"{spec.label}: {race_label}", "value": value})
    for column, (label, _fmt) in read.COVARIATES.items():
        if column in row.index:
            rows.append({"item": _(label), "value": read.format_covariate(column, row[column])})
    return pd.DataFrame(rows, columns=["item", "value"]).rename(columns={"item": _("item"), "value": _("value")})
