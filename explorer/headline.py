"""What a view shows, in one line of words: the headline above the map or chart in presentation mode, so a
room looking at a projector (where the controls are hidden) can tell which city, group, outcome, parents'
income and colour scale it is looking at. Built from a page's link state (explorer.links), nothing else.

Each page's headline is one whole message of the catalog (explorer.i18n), its parts separated by SEPARATOR
and its values (the city, the group, the outcome) put in by name, so that a language words it by its own
grammar."""
from __future__ import annotations

from typing import Any, Mapping

from explorer import config, links, pilots
from explorer.i18n import N_, _

SEPARATOR = " - "

# The children a view shows, by race and gender: each its own phrase ("Black children, men").
CHILDREN = {
    ("pooled", "pooled"): N_("all children"), ("pooled", "male"): N_("all children, men"),
    ("pooled", "female"): N_("all children, women"),
    ("white", "pooled"): N_("White children"), ("white", "male"): N_("White children, men"),
    ("white", "female"): N_("White children, women"),
    ("black", "pooled"): N_("Black children"), ("black", "male"): N_("Black children, men"),
    ("black", "female"): N_("Black children, women"),
    ("hisp", "pooled"): N_("Hispanic children"), ("hisp", "male"): N_("Hispanic children, men"),
    ("hisp", "female"): N_("Hispanic children, women"),
    ("asian", "pooled"): N_("Asian children"), ("asian", "male"): N_("Asian children, men"),
    ("asian", "female"): N_("Asian children, women"),
    ("natam", "pooled"): N_("Native American children"), ("natam", "male"): N_("Native American children, men"),
    ("natam", "female"): N_("Native American children, women"),
}
BLACK_WHITE_GAP = {"pooled": N_("the Black-white gap"), "male": N_("the Black-white gap, men"),
                   "female": N_("the Black-white gap, women")}
ORDINALS = {"st": N_("{number}st"), "nd": N_("{number}nd"), "rd": N_("{number}rd"), "th": N_("{number}th")}


def ordinal(number: int) -> str:
    """25 -> '25th', 1 -> '1st', 22 -> '22nd', 13 -> '13th' (in Spanish the number itself: 'el percentil 25')."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return _(ORDINALS[suffix]).format(number=number)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def children(race: str, gender: str) -> str:
    """'Black children, men', 'all children', 'White children, women'."""
    return _(CHILDREN[(race, gender)])


def black_white_gap(gender: str) -> str:
    """'the Black-white gap', 'the Black-white gap, men'."""
    return _(BLACK_WHITE_GAP[gender])


def _neighborhoods(state: Mapping[str, Any], city: config.City) -> str:
    metric = _lower_first(config.METRICS[state["metric"]].label)
    if state["scale"] == "national":
        return _("{city} - {metric} - children of low-income families (parents at the 25th percentile) - "
                 "colours compared with the US").format(city=city.label, metric=metric)
    return _("{city} - {metric} - children of low-income families (parents at the 25th percentile) - "
             "colours compared within the {area} area").format(city=city.label, metric=metric, area=city.name)


def _counties(state: Mapping[str, Any]) -> str:
    gender = state["gender"]
    if state["group"] == "black_white_gap":
        return _("Every US county - {gap} - white minus Black household income rank at about age 35, parents "
                 "at the 25th percentile - colours compared with the US").format(gap=black_white_gap(gender))
    return _("Every US county - {children} - household income rank at about age 35, parents at the 25th "
             "percentile - colours compared with the US").format(children=children(state["group"], gender))


def _gaps(state: Mapping[str, Any], city: config.City) -> str:
    outcome = _lower_first(config.NATIONAL_OUTCOMES[state["outcome"]].label)
    values = {"city": city.label, "outcome": outcome, "percentile": ordinal(state["pctile"])}
    if state["gender"] == "male":
        return _("{city} and the US - sons by race and parents' income - {outcome}, parents at the {percentile} "
                 "percentile").format(**values)
    if state["gender"] == "female":
        return _("{city} and the US - daughters by race and parents' income - {outcome}, parents at the "
                 "{percentile} percentile").format(**values)
    return _("{city} and the US - children by race and parents' income - {outcome}, parents at the {percentile} "
             "percentile").format(**values)


def _tract_gaps(state: Mapping[str, Any], city: config.City, county_label: str | None) -> str:
    outcome = _lower_first(config.NATIONAL_OUTCOMES[state["outcome"]].label)
    who = black_white_gap(state["gender"]) if state["show"] == "gap" else children(state["race"], state["gender"])
    county = county_label or _("the main county of {city}").format(city=city.label)
    if state["pctile"] == 25:
        text = _("{county} - {who} - {outcome}, low-income parents (25th percentile) - each tract of the county")
    else:
        text = _("{county} - {who} - {outcome}, high-income parents (75th percentile) - each tract of the county")
    return text.format(county=county, who=who, outcome=outcome)


def view_headline(page: str, state: Mapping[str, Any], county_label: str | None = None) -> str:
    """The headline of one page's view. `state` is (part of) its link state; missing fields read as their
    defaults. `county_label` names the tract race gap page's county ('Wayne County, Michigan')."""
    full = links.complete(state)
    city = config.get_city(full["city"])
    if page == "neighborhoods":
        return _neighborhoods(full, city)
    if page == "us-counties":
        return _counties(full)
    if page == "race-class-gaps":
        return _gaps(full, city)
    if page == "tract-gaps":
        return _tract_gaps(full, city, county_label)
    if page == "pilot":
        return _("{city} - the city's pilot, beside its main county's key numbers").format(city=city.label)
    if page == "what-works":
        theme = pilots.declared_themes()[full["theme"]]
        return _("What works: {theme} - what studies elsewhere found, beside the pilot cities' key numbers").format(
            theme=theme)
    if page == "compare-cities":
        names = ", ".join(config.CITIES[c].name for c in full["cities"])
        return _("{count} cities side by side ({names}) - each city's main county, with the US").format(
            count=len(full["cities"]), names=names)
    return _("The nine cities - household income rank at about age 35, children of low-income families (parents "
             "at the 25th percentile) - each city's main county next to the US")  # the home page
