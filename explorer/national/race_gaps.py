"""The within-tract Black-white gap from the national pack: the gaps with their 95% intervals, and the gap
map's classes, colours, legend, table and tooltip."""
from __future__ import annotations

from html import escape
from typing import Mapping

import numpy as np
import pandas as pd

from explorer.i18n import N_, _, localized
from explorer.maps.scales import hex_to_rgb, rgb_to_hex
from explorer.maps import deckgl
from explorer.national import read
from explorer.stats import Z95

HOW_TO_READ_GAP = N_("""**How to read this map.** Each coloured tract has estimates for both Black and white children
who grew up there, from families with the same income. Orange: Black children fared worse; purple: better.
Grey tracts: the 95% interval includes zero, so the data cannot tell the two groups apart there.
Tracts with no colour have fewer than 20 Black or white children in the data (no estimate).""")


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
    columns = {race: read.outcome_column(outcome, race, gender, pct) for race in ("white", "black")}
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
        return _("no interval published")
    return _("clearly different") if bool(clearly_different) else _("not clearly different")


GAP_COLOURS = ("#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788")
"""ColorBrewer PuOr (colour-blind safe): orange = Black children worse off, purple = better off."""
UNCLEAR_RGB = (205, 205, 205)
UNCLEAR_LABEL = N_("not clearly different (95% interval includes 0)")
GAP_PALETTE = np.array([hex_to_rgb(c) for c in GAP_COLOURS] + [UNCLEAR_RGB], dtype=np.uint8)
"""One row per gap_classes class: the PuOr colours, then the grey of 'not clearly different'."""


def gap_breaks(outcome: str) -> tuple[float, ...]:
    """Fixed class edges of the 'Black children worse off' axis in stored units, the same in every county."""
    low, high = (b / 100 for b in read.TRACT_OUTCOMES[outcome].gap_breaks)
    return (-high, -low, 0.0, low, high)


def _black_advantage(gap: pd.Series, outcome: str) -> np.ndarray:
    """The gap turned so that negative always means Black children fare worse.

    Income (higher is better): white minus Black > 0 is worse for Black children, so flip the sign.
    Prison or jail (lower is better): white minus Black < 0 is worse for Black children: keep it.
    """
    values = gap.to_numpy(dtype="float64")
    return -values if read.TRACT_OUTCOMES[outcome].higher_is_better else values


def gap_classes(gaps: pd.DataFrame, outcome: str) -> np.ndarray:
    """Legend row per tract: 0-5 the PuOr classes, 6 'not clearly different' (or no interval)."""
    bins = np.searchsorted(np.array(gap_breaks(outcome)), _black_advantage(gaps["gap"], outcome), side="right")
    clear = gaps["clearly_different"].fillna(False).to_numpy(dtype=bool)
    return np.where(clear, bins, len(GAP_COLOURS))


# The gap legend's rows, largest gap first: Black children lower (or higher) than white children in the same tract
LOWER = (N_("Black children lower by {large} {unit} or more"), N_("Black children lower by {small} to {large} {unit}"),
         N_("Black children lower by less than {small} {unit}"))
HIGHER = (N_("Black children higher by {large} {unit} or more"),
          N_("Black children higher by {small} to {large} {unit}"),
          N_("Black children higher by less than {small} {unit}"))


def gap_legend(gaps: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """The gap map's legend as data: colour, what it means, how many tracts."""
    spec = read.TRACT_OUTCOMES[outcome]
    small, large = (localized(f"{b:.1f}") for b in spec.gap_breaks)
    worse, better = (LOWER, HIGHER) if spec.higher_is_better else (HIGHER, LOWER)
    meanings = [_(text).format(small=small, large=large, unit=spec.gap_unit) for text in (*worse, *better[::-1])]
    meanings.append(_(UNCLEAR_LABEL))
    counts = np.bincount(gap_classes(gaps, outcome), minlength=len(meanings)) if len(gaps) else [0] * len(meanings)
    return pd.DataFrame({"colour": [*GAP_COLOURS, rgb_to_hex(UNCLEAR_RGB)], "range": meanings,
                         "tracts": list(map(int, counts))})


def gap_table(gaps: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """One row per tract with both estimates, in displayed units, for the table and the CSV."""
    spec = read.TRACT_OUTCOMES[outcome]
    return pd.DataFrame({
        _("tract"): gaps["tract"],
        _("white"): (gaps["white"] * spec.scale).round(4), _("Black"): (gaps["black"] * spec.scale).round(4),
        _("gap, white minus Black ({unit})").format(unit=spec.gap_unit): (gaps["gap"] * 100).round(2),
        _("95% interval low"): (gaps["gap_low"] * 100).round(2),
        _("95% interval high"): (gaps["gap_high"] * 100).round(2),
        _("verdict"): [gap_verdict(v) for v in gaps["clearly_different"]],
    })


def _points(value: float) -> str:
    return "-" if value != value else localized(f"{value * 100:+.1f}")


def gap_properties(gaps: pd.DataFrame, outcome: str, titles: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """Per-tract tooltip values (short keys keep the map payload small), each html-escaped.

    t the tract's title (`titles`: 'Brightmoor, Detroit - tract 5434'; else 'Tract <id>'), w white, k Black
    (the outcome's format), g gap in points, i its 95% interval, v verdict (`b` is the colour bin, as on
    every tract map).
    """
    spec = read.TRACT_OUTCOMES[outcome]
    return [{"t": escape(title_of(tract, titles)), "w": escape(spec.format(white)), "k": escape(spec.format(black)),
             "g": escape(_points(gap)), "i": escape(_("{low} to {high}").format(low=_points(low), high=_points(high))),
             "v": escape(gap_verdict(clear))}
            for tract, white, black, gap, low, high, clear in zip(
                gaps["tract"], gaps["white"], gaps["black"], gaps["gap"], gaps["gap_low"], gaps["gap_high"],
                gaps["clearly_different"])]


def title_of(tract: str, titles: Mapping[str, str] | None) -> str:
    """A tract's title where the bundled labels name it, else its number: 'Tract 26163500100'."""
    return (titles or {}).get(tract) or _("Tract {tract}").format(tract=tract)


def gap_tooltip(outcome: str) -> dict:
    """The gap map's hover template; the fixed words are ours, the {x} values come escaped per tract."""
    spec = read.TRACT_OUTCOMES[outcome]
    lines = [escape(spec.label), escape(_("White {white}, Black {black}")).format(white="{w}", black="{k}"),
             escape(_("Gap (white minus Black): {gap} {unit}")).format(gap="<b>{g}</b>", unit=escape(spec.gap_unit)),
             interval_line()]
    return {"html": "<b>{t}</b><br/>" + "<br/>".join(lines) + "<br/><b>{v}</b>", "style": deckgl.TOOLTIP_STYLE}


def interval_line() -> str:
    """A hover template's '95% interval {i}' (the tract's interval, escaped, comes in as field i)."""
    return escape(_("95% interval {interval}")).format(interval="{i}")
