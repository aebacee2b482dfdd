"""Colour scales for the maps: quantile bins, a colour-blind-safe diverging palette, the legend.

Bins are quantiles of the values a map is compared against: every US tract (the "national" scale,
so cities compare) or the study area's own tracts ("within this area", for contrast). Interior
quantiles do not move when a handful of tracts carry noise values (two tracts at $0 and two at
$1,062,314 in the national file), and the outer bins are open-ended ("under ...", "... or more"),
so no outlier can stretch a scale. Colours run from warm (low outcomes) to cool (high outcomes),
as the Opportunity Atlas does, using ColorBrewer's RdYlBu (rated colour-blind safe). Missing
estimates (suppressed: fewer than 20 children) are grey and have their own legend entry.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from explorer import config
from explorer.i18n import N_, _

N_BINS = 7
MISSING_LABEL = N_("no estimate (fewer than 20 children)")
"""The grey entry's words (config.NO_ESTIMATE and why), in English: `missing_label()` where it is shown."""
MISSING_RGB = (190, 190, 190)

# ColorBrewer RdYlBu by number of classes, low (red) to high (blue).
RDYLBU = {
    3: ("#fc8d59", "#ffffbf", "#91bfdb"),
    4: ("#d7191c", "#fdae61", "#abd9e9", "#2c7bb6"),
    5: ("#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"),
    6: ("#d73027", "#fc8d59", "#fee090", "#e0f3f8", "#91bfdb", "#4575b4"),
    7: ("#d73027", "#fc8d59", "#fee090", "#ffffbf", "#e0f3f8", "#91bfdb", "#4575b4"),
}

# Bin edges are rounded to the precision the legend prints, so a label's cut-off is the real one.
# Units are the stored ones: dollars, shares 0-1, ranks 0-1.
BREAK_STEPS = {"household_income_p25": 100.0, "top20_p25": 0.001, "income_rank_p25": 0.001,
               "black_white_gap": 0.001}

SCALES = {"national": N_("all US tracts"), "within": N_("this area's tracts")}
"""Scale choices for the tract map: id -> what the bins are quantiles of (in English, as `Scale.basis` keeps it:
`_()` it where it is shown)."""


def missing_label() -> str:
    """MISSING_LABEL in the reader's language."""
    return _(MISSING_LABEL)


@dataclass(frozen=True)
class Scale:
    """Bin edges (ascending, len = bins - 1) and one RGB colour per bin, for one metric.

    `basis` says in words what the quantiles were taken over ("all US tracts"), in English: `_(scale.basis)`
    where it is shown (a cached scale serves every language).
    """
    metric: config.Metric
    breaks: tuple[float, ...]
    colours: tuple[tuple[int, int, int], ...]
    basis: str

    @property
    def metric_id(self) -> str:
        return self.metric.id

    @property
    def palette(self) -> np.ndarray:
        """(bins + 1) x 3 uint8 lookup: one row per bin, the last row the missing grey."""
        return np.array([*self.colours, MISSING_RGB], dtype=np.uint8)


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def rgb_to_hex(rgb) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(c) for c in rgb[:3]))


def _metric(metric: config.Metric | str) -> config.Metric:
    """A registry metric by id (ValueError if unknown), or a Metric object passed through."""
    return config.get_metric(metric) if isinstance(metric, str) else metric


def quantile_breaks(values, metric: config.Metric | str, n_bins: int = N_BINS) -> tuple[float, ...]:
    """Ascending bin edges at the 1/n, 2/n, ... quantiles of the non-missing values, rounded.

    Duplicate edges (few distinct values in a small area) collapse, and an edge at the minimum
    (an empty lowest bin) is dropped, giving fewer bins.
    """
    metric_id = _metric(metric).id
    known = pd.Series(values, dtype="float64").dropna().to_numpy()
    if known.size == 0:
        return ()
    edges = np.quantile(known, np.arange(1, n_bins) / n_bins)
    step = BREAK_STEPS.get(metric_id)
    if step:
        edges = np.round(edges / step) * step
    return tuple(float(e) for e in np.unique(edges) if e > known.min())


def _palette(bins: int) -> tuple[tuple[int, int, int], ...]:
    """The diverging palette for that many bins, red (worse) to blue (better)."""
    colours = tuple(hex_to_rgb(c) for c in RDYLBU[max(bins, 3)])
    return colours if bins >= 3 else (colours[0], colours[-1])[:bins]  # one or two bins: the outer colours


def make_scale(values, metric: config.Metric | str, basis: str, n_bins: int = N_BINS) -> Scale:
    """A Scale with quantile bins of `values` and the diverging palette for that many bins."""
    metric = _metric(metric)
    breaks = quantile_breaks(values, metric, n_bins)
    return Scale(metric, breaks, _palette(len(breaks) + 1), basis)


def fixed_scale(breaks, metric, basis: str, higher_is_better: bool = True) -> Scale:
    """A Scale over bin edges computed elsewhere (the national pack's, over every US tract at build time), with
    make_scale's palette; reversed where a lower value is better, so that blue always means better.
    `metric` needs an `id` and a `format` (a config.Metric, or a national pack outcome)."""
    colours = _palette(len(breaks) + 1)
    return Scale(metric, tuple(float(b) for b in breaks), colours if higher_is_better else colours[::-1], basis)


def bin_index(values, scale: Scale) -> np.ndarray:
    """Each value's bin (0 = lowest); -1 where the estimate is missing. Vectorised."""
    array = np.asarray(values, dtype="float64")
    bins = np.searchsorted(np.asarray(scale.breaks, dtype="float64"), array, side="right")
    return np.where(np.isnan(array), -1, bins)


def colours(values, scale: Scale) -> np.ndarray:
    """n x 3 uint8 RGB: the bin colour of each value, grey where missing."""
    return scale.palette[bin_index(values, scale)]  # -1 picks the last row: the missing grey


def bin_labels(scale: Scale) -> list[str]:
    """Legend text per bin, using the metric's own format: 'under $22,000', ..., '$45,000 or more' (in the
    reader's language)."""
    metric = scale.metric
    edges = [metric.format(b) for b in scale.breaks]
    if not edges:
        return [_("all values")]
    between = _("{low} to under {high}")
    middle = [between.format(low=low, high=high) for low, high in zip(edges, edges[1:])]
    return [_("under {value}").format(value=edges[0]), *middle, _("{value} or more").format(value=edges[-1])]


def legend_table(values, scale: Scale) -> pd.DataFrame:
    """The legend as data: colour (hex), range in the metric's units, and how many tracts fall in it.

    The last row is the grey 'no estimate' entry with the count of suppressed tracts.
    """
    bins = bin_index(values, scale)
    counts = np.bincount(bins[bins >= 0], minlength=len(scale.colours))
    return pd.DataFrame({
        "colour": [rgb_to_hex(c) for c in scale.colours] + [rgb_to_hex(MISSING_RGB)],
        "range": bin_labels(scale) + [missing_label()],
        "tracts": [*counts.tolist(), int((bins < 0).sum())],
    })


def tract_scale(metric_id: str, scale_id: str, national_tracts: pd.DataFrame, study_tracts: pd.DataFrame
                ) -> Scale:
    """The tract map's scale: quantiles of every US tract ("national") or of the study area ("within")."""
    metric = config.tract_metric(metric_id)
    if scale_id not in SCALES:
        raise ValueError(f"Unknown scale {scale_id!r}; expected one of: {', '.join(SCALES)}")
    source = national_tracts if scale_id == "national" else study_tracts
    return make_scale(source[metric_id], metric, SCALES[scale_id])


HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def swatch_image(colour: str) -> str:
    """A legend swatch: a small square of `colour` (a '#rrggbb' code of our palettes) as an SVG data URL."""
    if not HEX_COLOUR.fullmatch(colour):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='24' height='16'%3E"
            f"%3Crect width='24' height='16' fill='%23{colour[1:]}'/%3E%3C/svg%3E")
