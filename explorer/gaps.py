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

Every text is written in English and read in the reader's language (explorer.i18n). Spanish adjectives
agree with the children they describe ("hijas negras"), so a race inside a sentence is looked up as the
word said of children or sons, or of daughters (`race_word`); each sentence is one whole message per
gender and per variant, its numbers put in by name.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from explorer import config, stats
from explorer.config import county_label
from explorer.i18n import N_, _, localized

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


READINGS: dict[str, Reading] = {  # keyed by the unit in English (Metric.unit_en); texts translated where shown
    "national percentile rank": Reading(N_("Income rank (0 = poorest, 100 = richest)"), N_("percentile points"), ""),
    "share of children": Reading(N_("Percent of children"), N_("percentage points"), "%"),
}

# How the English sentences call the children of one gender (the sentences themselves: one message per gender).
CHILDREN = {"pooled": "children", "male": "sons", "female": "daughters"}

# A race inside a sentence, as said of children or sons, and of daughters ("Black"; in Spanish "negros",
# "negras"). The part before "|" only tells the two apart for the translator: it is never shown.
RACE_WORDS = {
    "children": {"pooled": N_("of children|all races"), "white": N_("of children|white"),
                 "black": N_("of children|Black"), "hisp": N_("of children|Hispanic"),
                 "asian": N_("of children|Asian"), "natam": N_("of children|Native American")},
    "daughters": {"pooled": N_("of daughters|all races"), "white": N_("of daughters|white"),
                  "black": N_("of daughters|Black"), "hisp": N_("of daughters|Hispanic"),
                  "asian": N_("of daughters|Asian"), "natam": N_("of daughters|Native American")},
}

# The parent percentile as a name: "25th percentile" ("percentil 25"), one message per English ending.
PERCENTILE_NAMES = {"st": N_("{n}st percentile"), "nd": N_("{n}nd percentile"), "rd": N_("{n}rd percentile"),
                    "th": N_("{n}th percentile")}

# Two groups compared (gap = reference minus group): a short label (the table's values) and the gap's name.
COMPARISONS = {("black", "white"): N_("Black-white"), ("hisp", "white"): N_("Hispanic-white")}
GAP_NAMES = {("black", "white"): N_("Black-white gap"), ("hisp", "white"): N_("Hispanic-white gap")}
TOO_FEW_ITEMS = {("black", "white"): N_("{county}, Black-white gap ({status})"),
                 ("hisp", "white"): N_("{county}, Hispanic-white gap ({status})")}

ESTIMATE = N_("estimate")  # a county gap's status when both groups have a published estimate

# The county gaps shown against the nation: each group against white children (gap = white minus group).
COMPARED_GROUPS = ("black", "hisp")
REFERENCE = "white"


def reading_of(metric: config.Metric) -> Reading:
    """The reading of a metric's values; a unit with no entry in READINGS is a registry error."""
    try:
        return READINGS[metric.unit_en]
    except KeyError:
        raise ValueError(f"No gap wording for unit {metric.unit_en!r} of {metric.id!r}") from None


def ordinal(number: int) -> str:
    """1 -> '1st', 22 -> '22nd', 13 -> '13th': parent percentiles in sentences."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def percentile_name(number: int) -> str:
    """'25th percentile' in English, 'percentil 25' in Spanish: a parent percentile on charts and in sentences."""
    return _(PERCENTILE_NAMES[ordinal(number)[-2:]]).format(n=number)


def comparison_label(group: str, reference: str = "white") -> str:
    """'Black-white', 'Hispanic-white'."""
    return _(COMPARISONS[_pair(group, reference)])


def gap_name(group: str, reference: str = "white") -> str:
    """'Black-white gap' ('Brecha entre blancos y negros'): a chart's title, a gap named in a note."""
    return _(GAP_NAMES[_pair(group, reference)])


def _pair(group: str, reference: str) -> tuple[str, str]:
    if (group, reference) not in COMPARISONS:
        raise ValueError(f"No comparison of {group!r} with {reference!r}; expected one of: "
                         f"{', '.join('-'.join(pair) for pair in COMPARISONS)}")
    return group, reference


def race_word(race: str, gender: str = "pooled") -> str:
    """A race as written inside a sentence about children of `gender` ('Black', 'white', 'Hispanic', 'all
    races'; in Spanish 'negros' of children and sons, 'negras' of daughters)."""
    return _tagged(RACE_WORDS["daughters" if gender == "female" else "children"][race])


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


NO_NATIONAL_ESTIMATE = {
    "pooled": N_("No national estimate for {groups} children."),
    "male": N_("No national estimate for {groups} sons."),
    "female": N_("No national estimate for {groups} daughters."),
}
SOME_PERCENTILES_MISSING = {
    "pooled": N_("No estimate at some parent percentiles for {groups} children (too few children); "
                 "those lines stop short."),
    "male": N_("No estimate at some parent percentiles for {groups} sons (too few children); "
               "those lines stop short."),
    "female": N_("No estimate at some parent percentiles for {groups} daughters (too few children); "
                 "those lines stop short."),
}


def missing_note(national: pd.DataFrame, metric: config.Metric, gender: str,
                 races: Sequence[str] = tuple(config.RACES)) -> str | None:
    """A plain sentence naming the groups the chart cannot show (None when every line is complete)."""
    absent, partial = missing_races(national, metric, gender, races)
    parts = []
    if absent:
        parts.append(_(NO_NATIONAL_ESTIMATE[gender]).format(groups=_and([race_word(r, gender) for r in absent])))
    if partial:
        parts.append(_(SOME_PERCENTILES_MISSING[gender]).format(
            groups=_and([race_word(r, gender) for r in partial])))
    return " ".join(parts) or None


def wide_table(long: pd.DataFrame) -> pd.DataFrame:
    """One row per parent percentile, one column per group: the 'show as table' view of a curve chart."""
    wide = long.pivot(index=PARENT_PERCENTILE, columns="group", values="value")
    order = [label for label in config.RACES.values() if label in wide.columns]
    wide = wide[order].round(1).reset_index()
    return wide.rename(columns={PARENT_PERCENTILE: _(PARENTS_PERCENTILE)})


PARENTS_PERCENTILE = N_("Parents' income percentile")

# The gap sentence: one message per gender and per variant (see gap_sentence).
GAP_MISSING = {
    "pooled": N_("Children of parents at the {percentile}: no national estimate for {groups} children."),
    "male": N_("Sons of parents at the {percentile}: no national estimate for {groups} sons."),
    "female": N_("Daughters of parents at the {percentile}: no national estimate for {groups} daughters."),
}
GAP_NONE = {
    "pooled": N_("Children of parents at the {percentile}: {group} {group_value}, {reference} {reference_value}; "
                 "no gap to one decimal place."),
    "male": N_("Sons of parents at the {percentile}: {group} {group_value}, {reference} {reference_value}; "
               "no gap to one decimal place."),
    "female": N_("Daughters of parents at the {percentile}: {group} {group_value}, {reference} {reference_value}; "
                 "no gap to one decimal place."),
}
GAP_PLAIN = {
    "pooled": N_("Children of parents at the {percentile}: {group} {group_value}, {reference} {reference_value}; "
                 "a gap of {gap} {units}."),
    "male": N_("Sons of parents at the {percentile}: {group} {group_value}, {reference} {reference_value}; "
               "a gap of {gap} {units}."),
    "female": N_("Daughters of parents at the {percentile}: {group} {group_value}, {reference} {reference_value}; "
                 "a gap of {gap} {units}."),
}
GAP_HIGHER = {
    "pooled": N_("Children of parents at the {percentile}: {group} {group_value}, {reference} {reference_value}; "
                 "a gap of {gap} {units}, higher for {higher} children."),
    "male": N_("Sons of parents at the {percentile}: {group} {group_value}, {reference} {reference_value}; "
               "a gap of {gap} {units}, higher for {higher} sons."),
    "female": N_("Daughters of parents at the {percentile}: {group} {group_value}, {reference} {reference_value}; "
                 "a gap of {gap} {units}, higher for {higher} daughters."),
}


def gap_sentence(national: pd.DataFrame, metric: config.Metric, gender: str, pctile: int,
                 group: str = "black", reference: str = "white") -> str:
    """'Children of parents at the 25th percentile: Black 32.6, white 45.2; a gap of 12.6 percentile points.'

    The gap is reference minus group on the 0-100 scale, worked out from the unrounded values and then
    rounded (so it can differ by 0.1 from subtracting the rounded values shown; ROUNDING_NOTE says so on
    the page). When the group is the higher one (or higher is worse, as for incarceration) the sentence
    says which is higher; a missing estimate is named, not guessed.
    """
    reading = reading_of(metric)
    percentile = percentile_name(pctile)
    values = {race: value_at(national, metric.source_column(race, gender), pctile) for race in (group, reference)}
    missing = [race for race, value in values.items() if math.isnan(value)]
    if missing:
        return _(GAP_MISSING[gender]).format(percentile=percentile,
                                             groups=_and([race_word(r, gender) for r in missing]))
    shown = {race: localized(f"{round(value * PERCENT, 1):.1f}") + reading.suffix for race, value in values.items()}
    listed = {"percentile": percentile, "group": race_word(group, gender), "group_value": shown[group],
              "reference": race_word(reference, gender), "reference_value": shown[reference]}
    difference = (values[reference] - values[group]) * PERCENT  # unrounded: rounded only when written
    if f"{abs(difference):.1f}" == "0.0":
        return _(GAP_NONE[gender]).format(**listed)
    gap = {"gap": localized(f"{abs(difference):.1f}"), "units": _(reading.gap_words)}
    higher = reference if difference > 0 else group
    if higher == reference and metric.higher_is_better:
        return _(GAP_PLAIN[gender]).format(**listed, **gap)
    return _(GAP_HIGHER[gender]).format(**listed, **gap, higher=race_word(higher, gender))


ROUNDING_NOTE = N_("Values are rounded to one decimal place. Each gap is worked out from the unrounded "
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
            status = _("too few {groups} children to estimate").format(groups=_and(short)) if short else _(ESTIMATE)
            rows.append({"city": county.city, "county": county.county, "label": county.label,
                         "county_fips": county.county_fips, "selected": county.selected,
                         "comparison": comparison_label(group, reference),
                         "group_rank": round(group_value * PERCENT, 1),
                         "white_rank": round(ref_value * PERCENT, 1),
                         "gap": gap * PERCENT, "low": low * PERCENT, "high": high * PERCENT,
                         "status": status})
    return pd.DataFrame(rows)


def estimated(status) -> bool:
    """Whether a county gap's `status` says both groups have an estimate (`county_gaps`, same language)."""
    return status == _(ESTIMATE)


def too_few_note(gaps: pd.DataFrame) -> str | None:
    """'Too few children to estimate: Osage County (Tulsa), Hispanic-white gap (too few Hispanic children ...)'."""
    missing = gaps[~gaps["status"].map(estimated)]
    if missing.empty:
        return None
    pairs = {comparison_label(g, REFERENCE): (g, REFERENCE) for g in COMPARED_GROUPS}
    items = [_(TOO_FEW_ITEMS[pairs[r.comparison]]).format(county=r.label, status=r.status)
             for r in missing.itertuples()]
    return _("Too few children to estimate: {items}.").format(items="; ".join(items))


# The selected city's counties against the US gap (county_gap_sentence): each clause one message.
US_GAP = N_("{gap} percentile points across the US")
US_GAP_GROUP_HIGHER = N_("{gap} percentile points across the US ({group} children ranked higher)")
COUNTY_NO_ESTIMATE = N_("{status} in {county}")
COUNTY_AGAINST_US = {
    "same": N_("{gap} in {county}, the same as the US gap"),
    "wider": N_("{gap} in {county}, {difference} points wider than the US gap"),
    "narrower": N_("{gap} in {county}, {difference} points narrower than the US gap"),
    "above": N_("{gap} in {county}, {difference} points above the US gap"),
    "below": N_("{gap} in {county}, {difference} points below the US gap"),
}
COUNTY_AGAINST_US_GROUP_HIGHER = {  # a county where the group ranked higher than white children (a gap below 0)
    "same": N_("{gap} in {county} ({group} children ranked higher), the same as the US gap"),
    "above": N_("{gap} in {county} ({group} children ranked higher), {difference} points above the US gap"),
    "below": N_("{gap} in {county} ({group} children ranked higher), {difference} points below the US gap"),
}
MAY_BE_CHANCE = N_("{clause} (the US gap is inside this county's 95% interval, so this may be chance)")
COUNTY_GAP_SENTENCE = N_("{gap_name} at the {percentile} ({reference} minus {group} children's income rank): "
                         "{clauses}.")


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
    word = race_word(group)
    us = round(national_gap, 1)
    parts = [_(US_GAP_GROUP_HIGHER if us < 0 else US_GAP).format(gap=localized(f"{us:.1f}"), group=word)]
    for row in rows.itertuples():
        if not estimated(row.status):
            parts.append(_(COUNTY_NO_ESTIMATE).format(status=row.status, county=row.label))
            continue
        shown = round(row.gap, 1)
        difference = round(row.gap - national_gap, 1)
        if difference == 0:
            against = "same"
        elif shown >= 0 and us >= 0:
            against = "wider" if difference > 0 else "narrower"
        else:
            against = "above" if difference > 0 else "below"
        clauses = COUNTY_AGAINST_US_GROUP_HIGHER if shown < 0 else COUNTY_AGAINST_US
        clause = _(clauses[against]).format(gap=localized(f"{shown:.1f}"), county=row.label, group=word,
                                            difference=localized(f"{abs(difference):.1f}"))
        if difference != 0 and not _nan(row.low) and row.low <= national_gap <= row.high:
            clause = _(MAY_BE_CHANCE).format(clause=clause)
        parts.append(clause)
    return _(COUNTY_GAP_SENTENCE).format(gap_name=gap_name(group, reference),
                                         percentile=percentile_name(COUNTY_PERCENTILE),
                                         reference=race_word(reference), group=word, clauses="; ".join(parts))


def county_gap_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """The 'show as table' view of the county gap charts, rounded as shown."""
    table = gaps.drop(columns=["label", "selected"]).copy()
    table[["gap", "low", "high"]] = table[["gap", "low", "high"]].round(1)
    return table.rename(columns={column: _(header) for column, header in COUNTY_GAP_HEADERS.items()})


COUNTY_GAP_HEADERS = {"city": N_("city"), "county": N_("county"), "county_fips": N_("county_fips"),
                      "comparison": N_("comparison"), "group_rank": N_("group's income rank"),
                      "white_rank": N_("white children's income rank"),
                      "gap": N_("gap (white minus group, percentile points)"),
                      "low": N_("95% interval low"), "high": N_("95% interval high"), "status": N_("status")}
SCATTER_HEADERS = {"county_fips": N_("county_fips"), "county": N_("county"), "black": N_("black"),
                   "white": N_("white"), "city": N_("city")}


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
    frame["label"] = frame["county_fips"].map(cities["county_name"]).fillna("")  # the short name the chart writes
    frame["group"] = frame["county_fips"].map(cities["selected"]).map(
        {True: _(SELECTED_CITY), False: _(OTHER_CITIES)}).fillna(_(OTHER_COUNTIES))
    order = {_(group): rank for group, rank in SCATTER_ORDER.items()}
    return frame.sort_values("group", key=lambda g: g.map(order)).reset_index(drop=True)


def scatter_display_table(scatter: pd.DataFrame) -> pd.DataFrame:
    """The 'show as table' view of the all-county scatter: its columns, with headers in the reader's language."""
    return scatter.drop(columns=["group", "label"]).rename(
        columns={column: _(header) for column, header in SCATTER_HEADERS.items()})


SELECTED_CITY, OTHER_CITIES, OTHER_COUNTIES = N_("Selected city"), N_("Other eight cities"), N_("Other US counties")
SCATTER_ORDER = {OTHER_COUNTIES: 0, OTHER_CITIES: 1, SELECTED_CITY: 2}  # drawn last = on top; the reader's words: _()


def scatter_summary(counties: pd.DataFrame, outcome: str = "kfr") -> str:
    """How many counties sit below the 45-degree line (Black children lower than white children).

    Counted from the unrounded estimates of the county table (the scatter's own values are rounded for
    drawing, and two counties one decimal apart can round to the same value)."""
    black, white = (f"{outcome}_{race}_pooled_p{COUNTY_PERCENTILE}" for race in ("black", "white"))
    both = counties.dropna(subset=[black, white])
    below = int((both[black] < both[white]).sum())
    return _("In {below} of the {total} counties with both estimates, Black children from 25th-percentile "
             "families reach a lower income rank than white children from the same county.").format(
        below=localized(f"{below:,}"), total=localized(f"{len(both):,}"))


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


SLOPE_MEANING = N_(
    "A higher rank-rank slope means children's adult incomes follow their parents' more closely, so where a "
    "child starts matters more and children from poorer and richer families end up further apart; a lower "
    "slope means more mobility.")


def slope_sentence(counties: pd.DataFrame, step: int = 10) -> str:
    """The rank-rank slope in plain words, with the middle US county's slope as the worked example."""
    median = national_spread(counties, "relative_mobility_2014")["median"]
    example = _("In the middle US county the rank-rank slope is {slope}: children whose parents stood {step} "
                "percentiles higher on the income ladder ended up about {rise} percentiles higher as adults.").format(
        slope=localized(f"{median:.3f}"), step=step, rise=localized(f"{median * step:.1f}"))
    return f"{example} {_(SLOPE_MEANING)}"


def _nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


AND = N_("{first} and {last}")
# Spanish writes "e" for "y" before a word that starts with the sound i ("blancos e hispanos"): its own message,
# the same in English (the part before "|" only tells the two apart for the translator).
AND_BEFORE_I = N_("before the sound i|{first} and {last}")


def _and(words: Sequence[str]) -> str:
    """['Black', 'white'] -> 'Black and white'; three or more get commas."""
    words = list(words)
    if len(words) == 1:
        return words[0]
    last = words[-1].lower()
    sound_i = last.startswith(("i", "hi")) and not last.startswith(("ia", "ie", "io", "iu", "hia", "hie", "hio",
                                                                    "hiu"))
    return _tagged(AND_BEFORE_I if sound_i else AND).format(first=", ".join(words[:-1]), last=words[-1])


def _tagged(message: str) -> str:
    """A message whose id starts with a tag for the translator ("of daughters|Black"): its translation, or
    where there is none (English) the text after the tag."""
    text = _(message)
    return text.split("|", 1)[-1] if text == message else text


# ---------------------------------------------------------------- words on the page ("how to read this")

INTRO = N_(
    "Two things shape where children end up as adults: their parents' income (the **class gradient**) "
    "and, at the same parents' income, their race (the **race gap**). The curves below follow every "
    "American child born 1978-83 into adulthood (incomes measured in 2014-15); the county charts show "
    "how the nine cities' counties compare with the nation.")

HOW_TO_READ = {
    "gradient": N_(
        "How to read this: each line is one group of children. Left to right, their parents were richer; "
        "the higher the line, the better the outcome for that group (for prison or jail, higher is worse). "
        "The distance between two lines at the dashed rule is the race gap for children whose parents had "
        "the same income. Hover over or tap the chart to read every line at one parent "
        "percentile."),
    "gender": N_(
        "How to read this: the same chart twice, once for sons and once for daughters, on the same scale. "
        "Each shows the individual income rank (their own earnings, not their household's) of Black and "
        "white children. Where the two lines sit apart, there is a gap; where they touch or cross, there is "
        "none."),
    "jail": N_(
        "How to read this: the share of each group who were in prison or jail on Census day, April 1, 2010 "
        "(aged about 27-32), for sons and for daughters, on the same scale. Lower is better. Lines stop "
        "where too few children were counted to publish an estimate."),
    "counties": N_(
        "How to read this: each row is a county in one of the nine cities' study areas. A dot right of the "
        "light 'no gap' line means white children from families at the 25th percentile reached a higher "
        "income rank than the group named above the chart. The bar is the 95% interval: the range the true "
        "gap most likely lies in, given how many children were counted. The dark dashed line is the same gap "
        "for the whole country. Your city's counties are solid and listed first."),
    "scatter": N_(
        "How to read this: each dot is a US county with enough Black and white children to estimate both. "
        "Across is the income rank white children from families at the 25th percentile reached; up is the "
        "same for Black children. On the dashed line the two would be equal; below it, Black children did "
        "worse. The nine cities' counties are named; hover over or tap any dot to see "
        "its county."),
    "mobility": N_(
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
    table = first[["city", "county"]].rename(columns={"city": _("city"), "county": _("county")})
    for metric_id, frame in positions.items():
        label = config.METRICS[metric_id].label
        table[label] = frame["value"].to_numpy()
        table[_("{measure}: % of US counties lower").format(measure=label)] = frame["below"].to_numpy()
    return table
