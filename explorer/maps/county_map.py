"""The national county map: every US county coloured by a group's household income rank at p25, or by the
Black-white gap, with the nine cities labelled."""
from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd
import pydeck as pdk

from explorer import config, stats
from explorer.i18n import N_, _, localized
from explorer.maps import deckgl, scales

COUNTY_PROPERTIES = {
    "n": "county and state name",
    "v": "the value in its units, or 'no estimate'",
    "i": "95% interval from the published standard error, or '-'",
    "b": "colour bin, as for tracts",
}
"""Feature fields (one-letter keys keep the payload small). They sit beside `geometry` in each
feature, where deck.gl's accessors and Streamlit's tooltip and selection state read them."""
BLACK_WHITE_GAP = "black_white_gap"
COUNTY_GROUPS = config.Labels({**{race: dict.__getitem__(config.RACES, race) for race in config.COUNTY_RACES},
                               BLACK_WHITE_GAP: N_("Black-white gap (white minus Black)")})
"""The county map's colouring choices: a race group's income rank, or the gap between white and Black (each
label read in the reader's language)."""


@dataclass(frozen=True)
class WordedMetric(config.Metric):
    """A metric whose format pattern holds a word ("{:+.1f} points"): the pattern is read in the reader's
    language, the figure written as config.Metric writes it."""

    def format(self, value: float | None) -> str:
        if value is None or value != value:
            return _(config.NO_ESTIMATE)
        return localized(_(self.fmt).format(value * self.scale))


GAP_METRIC = WordedMetric(
    BLACK_WHITE_GAP, N_("Black-white gap in household income rank"),
    N_("How many percentiles higher white children from 25th-percentile families ended up than Black "
    "children from families with the same income (positive: white children ranked higher)."),
    N_("national percentile points"), N_("{:+.1f} points"), False, "county",
    "opportunity/county_outcomes_simple.csv", "kfr_white_{gender}_p25 - kfr_black_{gender}_p25", scale=100)
RANK_METRIC = config.METRICS["income_rank_p25"]
COUNTY_MAP_HEIGHT = 460  # pixels: the contiguous US is wide and short
CONTIGUOUS_US = (-124.8, 24.5, -66.9, 49.4)  # west, south, east, north: the first view (pan for AK, HI)


def county_values(counties: pd.DataFrame, group: str, gender: str = "pooled") -> pd.DataFrame:
    """county_fips, value, low, high (95% interval) for a group's income rank at p25 (ranks 0-1).

    group is a race code (config.COUNTY_RACES) or BLACK_WHITE_GAP (white minus Black, interval from
    both standard errors). A group with no published estimate in a county is missing, never zero.
    """
    if group not in COUNTY_GROUPS:
        raise ValueError(f"Unknown group {group!r}; expected one of: {', '.join(COUNTY_GROUPS)}")
    if gender not in config.GENDERS:
        raise ValueError(f"Unknown gender {gender!r}; expected one of: {', '.join(config.GENDERS)}")
    if group == BLACK_WHITE_GAP:  # stats.gap, vectorised: white minus Black, independent errors
        white, black = (counties[RANK_METRIC.source_column(r, gender)].to_numpy(dtype="float64")
                        for r in ("white", "black"))
        white_se, black_se = (counties[RANK_METRIC.se_column.format(race=r, gender=gender)].to_numpy(dtype="float64")
                              for r in ("white", "black"))
        value, se = white - black, np.hypot(white_se, black_se)
    else:
        value = counties[RANK_METRIC.source_column(group, gender)].to_numpy(dtype="float64")
        se = counties[RANK_METRIC.se_column.format(race=group, gender=gender)].to_numpy(dtype="float64")
    low, high = value - stats.Z95 * se, value + stats.Z95 * se
    return pd.DataFrame({"county_fips": counties["county_fips"].to_numpy(), "value": value,
                         "low": low, "high": high})


def county_scale(counties: pd.DataFrame, group: str) -> scales.Scale:
    """Bins shared by every gender and race group so that switching groups shows real differences.

    Ranks: quantiles of the all-children county ranks. The gap: quantiles of the all-children gap,
    with the palette reversed (a larger gap is worse, so it is warm).
    """
    if group == BLACK_WHITE_GAP:
        gap = county_values(counties, BLACK_WHITE_GAP)["value"]
        scale = scales.make_scale(gap, GAP_METRIC, _("all US counties with both estimates"))
        return scales.Scale(scale.metric, scale.breaks, scale.colours[::-1], scale.basis)
    ranks = counties[RANK_METRIC.source_column("pooled", "pooled")]
    return scales.make_scale(ranks, RANK_METRIC, _("all US counties (all children)"))


def county_metric(group: str) -> config.Metric:
    return GAP_METRIC if group == BLACK_WHITE_GAP else RANK_METRIC


def county_name(name: str, state: str) -> str:
    """A county's name for its tooltip: 'Wayne County, Michigan' (the names are the data's)."""
    return f"{config.county_label(name, state)}, {state}"


def interval_texts(metric: config.Metric, lows, highs) -> list[str]:
    """Each county's 95% interval as text ('45.1 to 47.9'), or '-' where there is no estimate."""
    between = _("{low} to {high}")
    return ["-" if low != low else between.format(low=metric.format(low), high=metric.format(high))
            for low, high in zip(lows, highs)]


def tooltip_lines(metric: config.Metric, gender: str) -> list[str]:
    """The county tooltip as plain-text lines, with the fields {n} (name), {v} (value) and {i} (interval)."""
    return ["{n}", f"{metric.label} ({config.GENDERS[gender].lower()}): {{v}}",
            _("95% interval: {interval}").format(interval="{i}")]


def county_features(shapes: pd.DataFrame, values: pd.DataFrame, metric: config.Metric, scale: scales.Scale,
                    geometries: Mapping[str, dict]) -> list[dict]:
    """One feature per county polygon (every county in `shapes`) with COUNTY_PROPERTIES; grey if missing."""
    frame = shapes[["county_fips", "county_name", "state_name"]].merge(values, on="county_fips", how="left")
    names = deckgl.escaped(county_name(n, s) for n, s in zip(frame["county_name"], frame["state_name"]))
    texts = deckgl.escaped(metric.format(v) for v in frame["value"])  # NaN reads config.NO_ESTIMATE
    intervals = deckgl.escaped(interval_texts(metric, frame["low"], frame["high"]))
    columns = zip(frame["county_fips"], names, texts, intervals, deckgl.bin_field(frame["value"], scale))
    return [{"geometry": geometries[fips], "n": n, "v": v, "i": i, "b": b}
            for fips, n, v, i, b in columns if geometries.get(fips)]


# Where each city's name sits next to its county, as an atlas places names by hand: the close cities' names go to
# the side away from each other (Racine west of the lake, Lansing above and Detroit east of it; Dayton above,
# Cincinnati below), so that none prints over another or seems to name its neighbour. Others go above. On a map
# narrower than a laptop's (a phone's) the names do not all fit the first view: the map hides those that would
# overlap until the visitor zooms in (frontend/area_map).
LABEL_SIDES = {"racine": "left", "detroit": "right", "cincinnati": "below", "newark": "right"}
LABEL_PLACES = {"above": ([0, -14], "middle"), "below": ([0, 14], "middle"), "right": ([10, 0], "start"),
                "left": ([-10, 0], "end")}  # pixel offset and text anchor
LABEL_CHAR_PX, LABEL_HEIGHT_PX = 8.5, 18  # a 14 px semibold character's width, a name's height


def _pixels(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel coordinates at a zoom (deck.gl's 512-pixel world)."""
    world = 512 * 2 ** zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * world, (1 - y / math.pi) / 2 * world


def label_box(label: dict, zoom: float) -> tuple[float, float, float, float]:
    """A placed label's box in pixels at a zoom (its text's estimated width, LABEL_HEIGHT_PX tall)."""
    x, y = _pixels(*label["position"], zoom)
    width = len(label["text"]) * LABEL_CHAR_PX + 8
    left = {"middle": -width / 2, "start": 0.0, "end": -width}[label["anchor"]] + x + label["offset"][0]
    top = y + label["offset"][1] - LABEL_HEIGHT_PX / 2
    return left, top, left + width, top + LABEL_HEIGHT_PX


def overlapping(labels: list[dict], zoom: float) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes overlap at a zoom."""
    boxes = [(label["text"], label_box(label, zoom)) for label in labels]
    return [(a, b) for i, (a, one) in enumerate(boxes) for b, other in boxes[i + 1:]
            if one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]]


def city_labels(study_counties: pd.DataFrame, geometries: Mapping[str, dict]) -> list[dict]:
    """One label per city at the middle of its main county's bounding box, on its side (LABEL_SIDES).

    study_counties has city_id, county_fips and is_main (the county holding most of the city).
    """
    labels = []
    for row in study_counties[study_counties["is_main"]].itertuples():
        geometry = geometries.get(row.county_fips)
        if geometry:
            west, south, east, north = deckgl.bounds([geometry])
            offset, anchor = LABEL_PLACES[LABEL_SIDES.get(row.city_id, "above")]
            labels.append({"text": config.get_city(row.city_id).name, "offset": offset, "anchor": anchor,
                           "position": [round((west + east) / 2, 3), round((south + north) / 2, 3)]})
    return labels


def national_county_deck(counties: pd.DataFrame, shapes: pd.DataFrame, geometries: Mapping[str, dict],
                         study_counties: pd.DataFrame, group: str = "pooled", gender: str = "pooled",
                         basemap: bool = False, width: int = deckgl.MAP_WIDTH, height: int = COUNTY_MAP_HEIGHT
                         ) -> deckgl.CompactDeck:
    """Every US county coloured by the household income rank at p25 of a group, or the Black-white gap.

    - counties: the counties table; shapes: the national_counties table (county_fips, names);
      geometries: county_fips -> GeoJSON (`store.national_county_geometries`).
    - study_counties: the nine cities' counties (city_id, county_fips, is_main): outlined and labelled.
    Counties with no estimate for the group are grey ("no estimate").
    """
    metric, values = county_metric(group), county_values(counties, group, gender)
    scale = county_scale(counties, group)
    layers = {
        "Counties": pdk.Layer("GeoJsonLayer", data=county_features(shapes, values, metric, scale, geometries),
                              id="counties", pickable=True, stroked=True, filled=True,
                              get_fill_color=deckgl.fill_accessor(scale), get_line_color=[255, 255, 255, 90],
                              get_line_width=0.3, line_width_units=deckgl.literal("pixels"), auto_highlight=True,
                              highlight_color=[0, 0, 0, 60]),
        "Study counties": pdk.Layer(
            "GeoJsonLayer", id="study_counties", pickable=False, stroked=True, filled=False,
            data=[{"geometry": geometries[f]} for f in study_counties["county_fips"] if geometries.get(f)],
            get_line_color=[0, 0, 0], get_line_width=2, line_width_units=deckgl.literal("pixels")),
        "City labels": pdk.Layer(
            "TextLayer", id="city_labels", data=city_labels(study_counties, geometries), get_text="text",
            get_position="position", get_size=14, get_color=[20, 20, 20], background=True,
            font_family=deckgl.literal("Source Sans Pro, Helvetica, Arial, sans-serif"), font_weight=600,
            get_background_color=[255, 255, 255, 210], get_pixel_offset="offset", get_text_anchor="anchor",
            pickable=False),
    }
    name, value, interval = (html.escape(line, quote=False) for line in tooltip_lines(metric, gender))
    tooltip = {"html": f"<b>{name}</b><br/>{value.replace('{v}', '<b>{v}</b>')}<br/>{interval}",
               "style": {"fontSize": "14px"}}
    return deckgl.make_deck(layers, deckgl.fit_view(CONTIGUOUS_US, width, height), tooltip, basemap)
