"""Race gap by tract: any US county, tract maps by race and gender, the Black-white gap.

Its controls are all in the link (explorer.links: county, outcome, pctile, gender, show, race, basemap).
Needs the optional national pack (README, "The full national data"); without it the menu leaves the page
out and a link to it says in plain words that it is not available on this site.
"""
import pandas as pd
import streamlit as st

import ui
from explorer import config, links, registry
from explorer.data import cache
from explorer.i18n import N_, _, ngettext
from explorer.maps import deckgl, tract_details
from explorer.national import race_gaps, read, tract_views

COUNTY_KEY, OUTCOME_KEY, PCT_KEY, GENDER_KEY, SHOW_KEY, RACE_KEY, BASEMAP_KEY = links.widget_keys(
    "tract-gaps", "county", "outcome", "pctile", "gender", "show", "race", "basemap")
SHOW = {"gap": N_("Black-white gap"), "group": N_("One group")}  # ids as in the link (explorer.links "show")
PARENTS = {25: N_("low (25th percentile)"), 75: N_("high (75th percentile)")}


def no_pack() -> None:
    st.info(_(read.NOT_HERE), icon=":material/block:")
    st.markdown(_(read.UNLOCKS))


def pick(manifest: dict, counties: pd.DataFrame) -> dict:
    """The page's controls; a link sets them all (explorer.links: county, outcome, pctile, gender, show, race)."""
    labels = dict(zip(counties["county_fips"], counties["label"]))
    fips = ui.keep_valid(COUNTY_KEY, list(labels))
    home = ui.current_city().main_county
    st.session_state.setdefault(COUNTY_KEY, home if home in labels else fips[0])  # the city's, unless linked
    county = st.selectbox(_("County (type to search)"), fips, format_func=labels.get, key=COUNTY_KEY)
    choices = manifest["choices"]
    left, middle, right = st.columns(3)
    outcomes = ui.keep_valid(OUTCOME_KEY, [o for o in read.TRACT_OUTCOMES if o in choices])
    outcome = left.selectbox(_("Outcome"), outcomes, key=OUTCOME_KEY,
                             format_func=lambda o: read.TRACT_OUTCOMES[o].label)
    pcts = ui.keep_valid(PCT_KEY, [int(p) for p in choices[outcome]["pct"]])
    pct = middle.radio(_("Parents' income"), pcts, key=PCT_KEY, horizontal=True,
                       format_func=lambda p: _(PARENTS[p]))
    gender = right.radio(_("Children"), ui.keep_valid(GENDER_KEY, choices[outcome]["gender"]),
                         key=GENDER_KEY, horizontal=True, format_func=config.GENDERS.get)
    st.session_state.setdefault(SHOW_KEY, "gap")
    view = st.segmented_control(_("Show"), ui.keep_valid(SHOW_KEY, list(SHOW)), format_func=lambda v: _(SHOW[v]),
                                key=SHOW_KEY) or "gap"
    basemap = st.toggle(_("Street map underneath (needs internet)"), key=BASEMAP_KEY)
    race = "black"
    if view == "group":
        race = st.radio(_("Race"), ui.keep_valid(RACE_KEY, choices[outcome]["race"]), key=RACE_KEY,
                        horizontal=True, format_func=config.RACES.get)
    return {"county": county, "label": labels[county], "outcome": outcome, "pct": str(pct), "gender": gender,
            "view": view, "race": race, "basemap": basemap}


def gap_view(choice: dict, tracts: pd.DataFrame, shapes: deckgl.QuantizedShapes, outline: dict | None) -> None:
    spec = read.TRACT_OUTCOMES[choice["outcome"]]
    colours = tract_views.gap_colours(tracts, choice["outcome"], choice["gender"], choice["pct"])
    gaps = colours.frame
    if gaps.empty:
        st.info(_("No tract in {county} has estimates for both Black and white children in this group "
                  "(each needs at least 20 children in the data).").format(county=choice["label"]))
        return
    outcome = choice["outcome"]
    deck = tract_views.tract_deck(list(gaps["tract"]), colours.bins, colours.palette,
                               race_gaps.gap_properties(gaps, outcome, cache.tract_titles(choice["county"])),
                               race_gaps.gap_tooltip(outcome), shapes,
                               outline, choice["basemap"])
    st.pydeck_chart(deck, key="national_gap_map")
    if choice["basemap"]:
        st.caption(_(tract_details.STREET_MAP_ON))
    ui.how_to_read(_(race_gaps.HOW_TO_READ_GAP))
    ui.colour_legend(colours.legend, _("What the colour means"))
    clear = int(gaps["clearly_different"].fillna(False).sum())
    st.caption(ngettext("{both} of {total} tract has both estimates; the gap is clearly different from zero in "
                        "{clear}. Gap = white minus Black, in {unit}, as on the county map.",
                        "{both} of {total} tracts have both estimates; the gap is clearly different from zero in "
                        "{clear}. Gap = white minus Black, in {unit}, as on the county map.", len(tracts)
                        ).format(both=len(gaps), total=len(tracts), clear=clear, unit=spec.gap_unit))
    ui.table_with_download(race_gaps.gap_table(gaps, choice["outcome"]), f"tract_gaps_{choice['county']}.csv",
                           key="national_gap")


def group_view(choice: dict, tracts: pd.DataFrame, shapes: deckgl.QuantizedShapes, outline: dict | None,
               manifest: dict) -> None:
    outcome = choice["outcome"]
    column = read.outcome_column(outcome, choice["race"], choice["gender"], choice["pct"])
    colours = tract_views.group_colours(tracts, outcome, choice["race"], choice["gender"], choice["pct"],
                                        manifest["breaks"].get(column, []))
    values = colours.frame
    group = f"{config.RACES[choice['race']]}, {config.GENDERS[choice['gender']].lower()}"
    deck = tract_views.tract_deck(list(values["tract"]), colours.bins, colours.palette,
                               tract_views.group_properties(values, outcome, cache.tract_titles(choice["county"])),
                               tract_views.group_tooltip(outcome, group),
                               shapes, outline, choice["basemap"])
    st.pydeck_chart(deck, key="national_group_map")
    if choice["basemap"]:
        st.caption(_(tract_details.STREET_MAP_ON))
    ui.how_to_read(_("**How to read this map.** {description} Colours are bands of all US tracts for this group, "
                     "so counties compare; blue is better. Grey: fewer than 20 children.").format(
                         description=read.TRACT_OUTCOMES[outcome].description))
    ui.colour_legend(colours.legend, read.TRACT_OUTCOMES[outcome].label)
    ui.table_with_download(tract_views.group_table(values), f"tracts_{column}_{choice['county']}.csv",
                           key="national_group")


def details(choice: dict, tracts: pd.DataFrame) -> None:
    st.subheader(_("Tract details"), anchor=False)
    titles = cache.tract_titles(choice["county"])
    tract = st.selectbox(_("Tract"), list(tracts["tract"]), key="national_tract",
                         format_func=lambda t: race_gaps.title_of(t, titles))
    row = tracts.loc[tracts["tract"] == tract].iloc[0]
    st.dataframe(tract_views.tract_details(row, choice["outcome"], choice["gender"], choice["pct"]), hide_index=True)
    st.caption(_("Neighborhood figures are from Opportunity Insights' tract covariates (Census and ACS data)."))


def main() -> None:
    page = registry.BY_ID["tract-gaps"]  # its title is marked in the registry (a literal here would be extracted)
    st.title(_(page.title), anchor=False)
    if not read.has_pack(read.national_dir()):
        no_pack()
        return
    manifest, counties = cache.national_pack_summary()
    with st.container(key="controls_race_gap_map"):
        choice = pick(manifest, counties)
    tracts, shapes, outline = cache.national_county_data(choice["county"])
    if shapes is None:
        st.info(_("The tract boundaries for {county} are missing from this site's national data, so there is no "
                  "map. Whoever runs the site can fetch the national data again to add them.").format(
                      county=choice["label"]))
    elif choice["view"] == "gap":
        gap_view(choice, tracts, shapes, outline)
    else:
        group_view(choice, tracts, shapes, outline, manifest)
    if not tracts.empty:
        details(choice, tracts)
    st.caption(_("Source: Opportunity Insights, Opportunity Atlas tract outcomes ({cohort}); Census 1:500k tract "
                 "boundaries (2010 tracts).").format(cohort=_(config.COHORT)))


main()
