"""What a view shows, in one line of words: the headline above the map or chart in presentation mode, so a
room looking at a projector (where the controls are hidden) can tell which city, group, outcome, parents'
income and colour scale it is looking at. Built from a page's link state (explorer.links), nothing else."""
from __future__ import annotations

from typing import Any, Mapping

from explorer import config, links

SEPARATOR = " - "
LOW_INCOME = "children of low-income families (parents at the 25th percentile)"


def ordinal(number: int) -> str:
    """25 -> '25th', 1 -> '1st', 22 -> '22nd', 13 -> '13th'."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def children(race: str, gender: str) -> str:
    """'Black children, men', 'all children', 'white children, women'."""
    group = "all children" if race == "pooled" else f"{config.RACES[race]} children"
    return group if gender == "pooled" else f"{group}, {config.GENDERS[gender].lower()}"


def black_white_gap(gender: str) -> str:
    """'the Black-white gap', 'the Black-white gap, men'."""
    return "the Black-white gap" + ("" if gender == "pooled" else f", {config.GENDERS[gender].lower()}")


def _neighborhoods(state: Mapping[str, Any], city: config.City) -> list[str]:
    metric = config.METRICS[state["metric"]]
    scale = "colours compared with the US" if state["scale"] == "national" else f"colours compared within the {city.name} area"
    return [city.label, _lower_first(metric.label), LOW_INCOME, scale]


def _counties(state: Mapping[str, Any], city: config.City) -> list[str]:
    gender = state["gender"]
    if state["group"] == "black_white_gap":
        who = black_white_gap(gender)
        what = "white minus Black household income rank at about age 35, parents at the 25th percentile"
    else:
        who = children(state["group"], gender)
        what = "household income rank at about age 35, parents at the 25th percentile"
    return ["Every US county", who, what, "colours compared with the US"]


def _gaps(state: Mapping[str, Any], city: config.City) -> list[str]:
    outcome = config.NATIONAL_OUTCOMES[state["outcome"]]
    who = {"pooled": "children", "male": "sons", "female": "daughters"}[state["gender"]]
    return [f"{city.label} and the US", f"{who} by race and parents' income",
            f"{_lower_first(outcome.label)}, parents at the {ordinal(state['pctile'])} percentile"]


def _tract_gaps(state: Mapping[str, Any], city: config.City, county_label: str | None) -> list[str]:
    outcome = config.NATIONAL_OUTCOMES[state["outcome"]]
    who = black_white_gap(state["gender"]) if state["show"] == "gap" else children(state["race"], state["gender"])
    parents = "low-income parents (25th percentile)" if state["pctile"] == 25 else "high-income parents (75th percentile)"
    return [county_label or f"the main county of {city.label}", who, f"{_lower_first(outcome.label)}, {parents}",
            "each tract of the county"]


def view_headline(page: str, state: Mapping[str, Any], county_label: str | None = None) -> str:
    """The headline of one page's view. `state` is (part of) its link state; missing fields read as their
    defaults. `county_label` names the tract race gap page's county ('Wayne County, Michigan')."""
    full = links.complete(state)
    city = config.get_city(full["city"])
    if page == "neighborhoods":
        parts = _neighborhoods(full, city)
    elif page == "us-counties":
        parts = _counties(full, city)
    elif page == "race-class-gaps":
        parts = _gaps(full, city)
    elif page == "tract-gaps":
        parts = _tract_gaps(full, city, county_label)
    elif page == "pilot":
        parts = [city.label, "the city's pilot, beside its main county's key numbers"]
    elif page == "compare-cities":
        names = ", ".join(config.CITIES[c].name for c in full["cities"])
        parts = [f"{len(full['cities'])} cities side by side ({names})", "each city's main county, with the US"]
    else:  # the home page
        parts = ["The nine cities", "household income rank at about age 35, " + LOW_INCOME,
                 "each city's main county next to the US"]
    return SEPARATOR.join(parts)
