"""Race and class gaps: the tables and sentences behind the gap charts (pure, no Streamlit).

Two kinds of gap are shown:
- the *class gradient*: how a child's adult outcome rises with their parents' income percentile
  (national_percentile_outcomes: one row per parent percentile 1-100, children born 1978-83);
- the *race gap*: the difference between two races at the same parents' income, nationally and in
  each study county (county_outcomes_simple, children of 25th-percentile parents, with standard errors).

Stored values are 0-1 (ranks or shares). Everything shown here is multiplied by 100: ranks read as
0-100 and their differences as *percentile points*; shares read as percentages and their
differences as *percentage points*. Missing estimates (Opportunity Insights publishes none from
fewer than 20 children) stay missing and are named on screen, never read as zero.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from explorer import config, stats
from explorer.config import county_label

PERCENT = 100  # stored 0-1 values are shown on a 0-100 scale
PARENT_PERCENTILE = "par_pctile"
COUNTY_PERCENTILE = 25  # the county file only has children of 25th-percentile parents


@dataclass(frozen=True)
class Reading:
    """How one kind of outcome reads once multiplied by 100 (its words; the maps' colour bins are
    explorer.maps.scales)."""
    value_title: str   # axis and table title of a value
    gap_words: str     # the unit of a difference between two values
    suffix: str        # after a value in a sentence


READINGS: dict[str, Reading] = {
    "national percentile rank": Reading("Income rank (0 = poorest, 100 = richest)", "percentile points", ""),
    "share of children": Reading("Percent of children", "percentage points", "%"),
}

# How to call the children of one gender in a sentence.
CHILDREN = {"pooled": "children", "male": "sons", "female": "daughters"}

# The county gaps shown against the nation: each group against white children (gap = white minus group).
COMPARED_GROUPS = ("black", "hisp")
REFERENCE = "white"


def reading_of(metric: config.Metric) -> Reading:
    """The reading of a metric's values; a unit with no entry in READINGS is a registry error."""
    try:
        return READINGS[metric.unit]
    except KeyError:
        raise ValueError(f"No gap wording for unit {metric.unit!r} of {metric.id!r}") from None


def ordinal(number: int) -> str:
    """1 -> '1st', 22 -> '22nd', 13 -> '13th': parent percentiles in sentences."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def comparison_label(group: str, reference: str = "white") -> str:
    """'Black-white', 'Hispanic-white'."""
    return f"{config.RACES[group]}-{config.RACES[reference].lower()}"


def race_word(race: str) -> str:
    """A race as written inside a sentence ('Black', 'white', 'Hispanic', 'all races')."""
    label = config.RACES[race]
    return label if race in ("black", "hisp", "asian", "natam") else label.lower()


# ---------------------------------------------------------------- national: parent percentile curves

def value_at(national: pd.DataFrame, column: str, pctile: int) -> float:
    """One national value (0-1) at a parent percentile; NaN when the column or the estimate is missing."""
    if column not in national.columns:
        return math.nan
    match = national[column].to_numpy()[national[PARENT_PERCENTILE].to_numpy() == pctile]
    return float(match[0]) if len(match) else math.nan


def gradient_table(national: pd.DataFrame, metric: config.Metric, gender: str,
                   races: Sequence[str] = tuple(config.RACES)) -> pd.DataFrame:
    """Long table for one outcome and gender: par_pctile, race, group (label), value (0-100).

    Races whose column is absent are left out (see `missing_races`); percentiles with no
    estimate are dropped so that a line simply stops where the data stop.
    """
    columns = {race: metric.source_column(race, gender) for race in races}
    present = {race: column for race, column in columns.items() if column in national.columns}
    frame = national[[PARENT_PERCENTILE, *present.values()]].rename(columns={c: r for r, c in present.items()})
    frame = frame.melt(id_vars=PARENT_PERCENTILE, var_name="race", value_name="value").dropna(subset=["value"])
    frame["value"] = (frame["value"] * PERCENT).round(2)
    frame["group"] = frame["race"].map(config.RACES)
    return frame[[PARENT_PERCENTILE, "race", "group", "value"]].reset_index(drop=True)


def missing_races(national: pd.DataFrame, metric: config.Metric, gender: str,
                  races: Sequence[str] = tuple(config.RACES)) -> tuple[list[str], list[str]]:
    """(races with no estimate at all, races with no estimate at some percentiles) for one outcome/gender."""
    absent, partial = [], []
    for race in races:
        column = metric.source_column(race, gender)
        values = national[column] if column in national.columns else pd.Series(dtype=float)
        if values.isna().all():
            absent.append(race)
        elif values.isna().any():
            partial.append(race)
    return absent, partial


def missing_note(national: pd.DataFrame, metric: config.Metric, gender: str,
                 races: Sequence[str] = tuple(config.RACES)) -> str | None:
    """A plain sentence naming the groups the chart cannot show (None when every line is complete)."""
    absent, partial = missing_races(national, metric, gender, races)
    who = CHILDREN[gender]
    parts = []
    if absent:
        parts.append(f"No national estimate for {_and([race_word(r) for r in absent])} {who}.")
    if partial:
        parts.append(f"No estimate at some parent percentiles for {_and([race_word(r) for r in partial])} "
                     f"{who} (too few children); those lines stop short.")
    return " ".join(parts) or None


def wide_table(long: pd.DataFrame) -> pd.DataFrame:
    """One row per parent percentile, one column per group: the 'show as table' view of a curve chart."""
    wide = long.pivot(index=PARENT_PERCENTILE, columns="group", values="value")
    order = [label for label in config.RACES.values() if label in wide.columns]
    wide = wide[order].round(1).reset_index()
    return wide.rename(columns={PARENT_PERCENTILE: "Parents' income percentile"})


def gap_sentence(national: pd.DataFrame, metric: config.Metric, gender: str, pctile: int,
                 group: str = "black", reference: str = "white") -> str:
    """'Children of parents at the 25th percentile: Black 32.6, white 45.2; a gap of 12.6 percentile points.'

    The gap is reference minus group on the 0-100 scale, worked out from the unrounded values and then
    rounded (so it can differ by 0.1 from subtracting the rounded values shown; ROUNDING_NOTE says so on
    the page). When the group is the higher one (or higher is worse, as for incarceration) the sentence
    says which is higher; a missing estimate is named, not guessed.
    """
    reading = reading_of(metric)
    who = CHILDREN[gender]
    opening = f"{who.capitalize()} of parents at the {ordinal(pctile)} percentile"
    values = {race: value_at(national, metric.source_column(race, gender), pctile) for race in (group, reference)}
    missing = [race for race, value in values.items() if math.isnan(value)]
    if missing:
        return f"{opening}: no national estimate for {_and([race_word(r) for r in missing])} {who}."
    shown = {race: round(value * PERCENT, 1) for race, value in values.items()}
    listed = ", ".join(f"{race_word(race)} {shown[race]:.1f}{reading.suffix}" for race in (group, reference))
    difference = (values[reference] - values[group]) * PERCENT  # unrounded: rounded only when written
    if f"{abs(difference):.1f}" == "0.0":
        return f"{opening}: {listed}; no gap to one decimal place."
    higher = reference if difference > 0 else group
    direction = "" if higher == reference and metric.higher_is_better else f", higher for {race_word(higher)} {who}"
    return f"{opening}: {listed}; a gap of {abs(difference):.1f} {reading.gap_words}{direction}."


ROUNDING_NOTE = ("Values are rounded to one decimal place. Each gap is worked out from the unrounded "
                 "values, so it can differ by 0.1 from subtracting the rounded ones.")


def national_gap(national: pd.DataFrame, group: str, reference: str = "white", outcome: str = "kfr",
                 gender: str = "pooled", pctile: int = COUNTY_PERCENTILE) -> float:
    """The national gap (reference minus group, 0-100 scale) at one parent percentile."""
    metric = config.NATIONAL_OUTCOMES[outcome]
    return (value_at(national, metric.source_column(reference, gender), pctile)
            - value_at(national, metric.source_column(group, gender), pctile)) * PERCENT


# ---------------------------------------------------------------- counties: the nine cities and the nation

def stack_study_counties(by_city: Mapping[str, pd.DataFrame], selected_city: str) -> pd.DataFrame:
    """All study counties of all cities, one row per (city, county), with readable labels.

    `by_city` maps a city id to its `study_counties` table. The selected city comes first.
    """
    frames = [frame.assign(city_id=city_id) for city_id, frame in by_city.items()]
    study = pd.concat(frames, ignore_index=True)[["city_id", "county_fips", "county_name", "state_name"]]
    study["city"] = study["city_id"].map(lambda c: config.CITIES[c].name)
    study["county"] = [county_label(n, s) for n, s in zip(study["county_name"], study["state_name"])]
    study["label"] = study["county"] + " (" + study["city"] + ")"
    study["selected"] = study["city_id"] == selected_city
    return study.sort_values(["selected", "city", "county"], ascending=[False, True, True], ignore_index=True)


def _estimate(row: pd.Series, race: str, outcome: str = "kfr", gender: str = "pooled") -> tuple[float, float]:
    column = f"{outcome}_{race}_{gender}_p{COUNTY_PERCENTILE}"
    return row.get(column, math.nan), row.get(f"{column}_se", math.nan)


def county_gaps(counties: pd.DataFrame, study: pd.DataFrame) -> pd.DataFrame:
    """Black-white and Hispanic-white gaps in household income rank at p25 for every study county.

    One row per (city, county, comparison): gap = white minus group, with its 95% interval, on the
    0-100 scale. A county where either group has no published estimate keeps its row, with missing
    numbers and a `status` naming the group with too few children.
    """
    outcomes = counties.set_index("county_fips")
    rows = []
    for county in study.itertuples(index=False):
        row = outcomes.loc[county.county_fips] if county.county_fips in outcomes.index else pd.Series(dtype=float)
        for group, reference in ((g, REFERENCE) for g in COMPARED_GROUPS):
            (group_value, group_se), (ref_value, ref_se) = _estimate(row, group), _estimate(row, reference)
            gap, low, high = stats.gap(ref_value, group_value, ref_se, group_se)
            short = [race_word(r) for r, v in ((group, group_value), (reference, ref_value)) if _nan(v)]
            rows.append({"city": county.city, "county": county.county, "label": county.label,
                         "county_fips": county.county_fips, "selected": county.selected,
                         "comparison": comparison_label(group, reference),
                         "group_rank": round(group_value * PERCENT, 1),
                         "white_rank": round(ref_value * PERCENT, 1),
                         "gap": gap * PERCENT, "low": low * PERCENT, "high": high * PERCENT,
                         "status": f"too few {_and(short)} children to estimate" if short else "estimate"})
    return pd.DataFrame(rows)


def too_few_note(gaps: pd.DataFrame) -> str | None:
    """'Too few children to estimate: Osage County (Tulsa), Hispanic-white gap (too few Hispanic children ...)'."""
    missing = gaps[gaps["status"] != "estimate"]
    if missing.empty:
        return None
    items = [f"{r.label}, {r.comparison} gap ({r.status})" for r in missing.itertuples()]
    return "Too few children to estimate: " + "; ".join(items) + "."


def county_gap_sentence(county_gaps: pd.DataFrame, group: str, national_gap: float,
                        reference: str = REFERENCE) -> str:
    """The selected city's counties against the US gap, for one comparison, in one sentence.

    'Black-white gap at the 25th percentile (white minus Black children's income rank): 12.6 percentile
    points across the US; 11.5 in Wayne County (Detroit), 1.1 points narrower than the US gap.' Every gap, and
    the difference between two gaps, is worked out from the unrounded estimates and rounded when written (as
    ROUNDING_NOTE says on the page). Where the US gap lies inside a county's 95% interval the sentence says the
    difference may be chance.
    """
    rows = county_gaps[(county_gaps["comparison"] == comparison_label(group, reference)) & county_gaps["selected"]]
    higher = f"{race_word(group)} children ranked higher"
    us = round(national_gap, 1)
    parts = [f"{us:.1f} percentile points across the US" + (f" ({higher})" if us < 0 else "")]
    for row in rows.itertuples():
        if row.status != "estimate":
            parts.append(f"{row.status} in {row.label}")
            continue
        shown = round(row.gap, 1)
        difference = round(row.gap - national_gap, 1)
        if difference == 0:
            against = "the same as the US gap"
        elif shown >= 0 and us >= 0:
            against = f"{abs(difference):.1f} points {'wider' if difference > 0 else 'narrower'} than the US gap"
        else:
            against = f"{abs(difference):.1f} points {'above' if difference > 0 else 'below'} the US gap"
        if difference != 0 and not _nan(row.low) and row.low <= national_gap <= row.high:
            against += " (the US gap is inside this county's 95% interval, so this may be chance)"
        parts.append(f"{shown:.1f} in {row.label}" + (f" ({higher})" if shown < 0 else "") + f", {against}")
    return (f"{comparison_label(group, reference)} gap at the {ordinal(COUNTY_PERCENTILE)} percentile (white minus "
            f"{race_word(group)} children's income rank): {'; '.join(parts)}.")


def county_gap_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """The 'show as table' view of the county gap charts, rounded as shown."""
    table = gaps.drop(columns=["label", "selected"]).copy()
    table[["gap", "low", "high"]] = table[["gap", "low", "high"]].round(1)
    return table.rename(columns={"group_rank": "group's income rank", "white_rank": "white children's income rank",
                                 "gap": "gap (white minus group, percentile points)",
                                 "low": "95% interval low", "high": "95% interval high"})


def county_scatter_table(counties: pd.DataFrame, study: pd.DataFrame, outcome: str = "kfr") -> pd.DataFrame:
    """Every county with both a Black and a white estimate at p25 (0-100), and which city it belongs to.

    Only the columns the scatter needs, rounded to one decimal, to keep the chart light.
    """
    black, white = (f"{outcome}_{race}_pooled_p{COUNTY_PERCENTILE}" for race in ("black", "white"))
    both = counties.dropna(subset=[black, white])
    frame = pd.DataFrame({
        "county_fips": both["county_fips"],
        "county": [f"{county_label(n, s)}, {s}" for n, s in zip(both["county_name"], both["state_name"])],
        "black": (both[black] * PERCENT).round(1), "white": (both[white] * PERCENT).round(1)})
    cities = study.drop_duplicates("county_fips").set_index("county_fips")
    frame["city"] = frame["county_fips"].map(cities["city"]).fillna("")
    frame["label"] = frame["county_fips"].map(cities["label"]).fillna("")
    frame["group"] = frame["county_fips"].map(cities["selected"]).map(
        {True: "Selected city", False: "Other eight cities"}).fillna("Other US counties")
    return frame.sort_values("group", key=lambda g: g.map(SCATTER_ORDER)).reset_index(drop=True)


SCATTER_ORDER = {"Other US counties": 0, "Other eight cities": 1, "Selected city": 2}  # drawn last = on top


def scatter_summary(counties: pd.DataFrame, outcome: str = "kfr") -> str:
    """How many counties sit below the 45-degree line (Black children lower than white children).

    Counted from the unrounded estimates of the county table (the scatter's own values are rounded for
    drawing, and two counties one decimal apart can round to the same value)."""
    black, white = (f"{outcome}_{race}_pooled_p{COUNTY_PERCENTILE}" for race in ("black", "white"))
    both = counties.dropna(subset=[black, white])
    below = int((both[black] < both[white]).sum())
    return (f"In {below:,} of the {len(both):,} counties with both estimates, Black children from "
            f"25th-percentile families reach a lower income rank than white children from the same county.")


# ---------------------------------------------------------------- counties: 2014 class gradient

MOBILITY_2014 = ("relative_mobility_2014", "absolute_mobility_2014")


def mobility_positions(counties: pd.DataFrame, study: pd.DataFrame, metric_id: str) -> pd.DataFrame:
    """The study counties' 2014 mobility measure and the share of US counties with a lower value (0-100)."""
    column = config.METRICS[metric_id].column
    nation = counties[column].dropna().sort_values().to_numpy()
    values = study["county_fips"].map(counties.set_index("county_fips")[column])
    below = [100 * nation.searchsorted(v, side="left") / len(nation) if not _nan(v) else math.nan for v in values]
    frame = study[["city", "county", "label", "selected"]].assign(value=values.to_numpy(), below=below)
    frame["below"] = frame["below"].round(0)
    return frame


def national_spread(counties: pd.DataFrame, metric_id: str) -> dict[str, float]:
    """Quartiles of a county measure across all US counties with an estimate (and how many there are)."""
    values = counties[config.METRICS[metric_id].column].dropna()
    low, median, high = values.quantile([0.25, 0.5, 0.75])
    return {"low": float(low), "median": float(median), "high": float(high), "count": int(len(values))}


SLOPE_MEANING = (
    "A higher rank-rank slope means children's adult incomes follow their parents' more closely, so where a "
    "child starts matters more and children from poorer and richer families end up further apart; a lower "
    "slope means more mobility.")


def slope_sentence(counties: pd.DataFrame, step: int = 10) -> str:
    """The rank-rank slope in plain words, with the middle US county's slope as the worked example."""
    median = national_spread(counties, "relative_mobility_2014")["median"]
    return (f"In the middle US county the rank-rank slope is {median:.3f}: children whose parents stood {step} "
            f"percentiles higher on the income ladder ended up about {median * step:.1f} percentiles higher "
            f"as adults. {SLOPE_MEANING}")


def _nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _and(words: Sequence[str]) -> str:
    """['Black', 'white'] -> 'Black and white'; three or more get commas."""
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


# ---------------------------------------------------------------- words on the page ("how to read this")

INTRO = (
    "Two things shape where children end up as adults: their parents' income (the **class gradient**) "
    "and, at the same parents' income, their race (the **race gap**). The curves below follow every "
    "American child born 1978-83 into adulthood (incomes measured in 2014-15); the county charts show "
    "how the nine cities' counties compare with the nation.")

HOW_TO_READ = {
    "gradient": (
        "How to read this: each line is one group of children. Left to right, their parents were richer; "
        "the higher the line, the better the outcome for that group (for prison or jail, higher is worse). "
        "The distance between two lines at the dashed rule is the race gap for children whose parents had "
        "the same income. Hover over or tap the chart to read every line at one parent "
        "percentile."),
    "gender": (
        "How to read this: the same chart twice, once for sons and once for daughters, on the same scale. "
        "Each shows the individual income rank (their own earnings, not their household's) of Black and "
        "white children. Where the two lines sit apart, there is a gap; where they touch or cross, there is "
        "none."),
    "jail": (
        "How to read this: the share of each group who were in prison or jail on Census day, April 1, 2010 "
        "(aged about 27-32), for sons and for daughters, on the same scale. Lower is better. Lines stop "
        "where too few children were counted to publish an estimate."),
    "counties": (
        "How to read this: each row is a county in one of the nine cities' study areas. A dot right of the "
        "light 'no gap' line means white children from families at the 25th percentile reached a higher "
        "income rank than the group named above the chart. The bar is the 95% interval: the range the true "
        "gap most likely lies in, given how many children were counted. The dark dashed line is the same gap "
        "for the whole country. Your city's counties are solid and listed first."),
    "scatter": (
        "How to read this: each dot is a US county with enough Black and white children to estimate both. "
        "Across is the income rank white children from families at the 25th percentile reached; up is the "
        "same for Black children. On the dashed line the two would be equal; below it, Black children did "
        "worse. The nine cities' counties are named; hover over or tap any dot to see "
        "its county."),
    "mobility": (
        "How to read this: each dot is one of the nine cities' counties in the 2014 mobility study (children "
        "born 1980-82). The grey band holds the middle half of all US counties and the line inside it the "
        "median county. First chart: the rank-rank slope, how much a child's adult rank rises with each "
        "step up in parents' rank (a higher slope means where you start matters more). Second chart: "
        "absolute mobility, the expected adult rank of children whose parents were at the 25th percentile "
        "(higher is better). Your city's counties are the dark dots, listed first."),
}


def mobility_table(positions: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The 'show as table' view of the 2014 mobility charts: one row per county, both measures."""
    first = next(iter(positions.values()))
    table = first[["city", "county"]].copy()
    for metric_id, frame in positions.items():
        label = config.METRICS[metric_id].label
        table[label] = frame["value"].to_numpy()
        table[f"{label}: % of US counties lower"] = frame["below"].to_numpy()
    return table
