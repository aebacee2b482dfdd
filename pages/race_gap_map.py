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
from explorer.maps import deckgl, tract_details
from explorer.national import race_gaps, read, tract_views

COUNTY_KEY, OUTCOME_KEY, PCT_KEY, GENDER_KEY, SHOW_KEY, RACE_KEY, BASEMAP_KEY = links.widget_keys(
    "tract-gaps", "county", "outcome", "pctile", "gender", "show", "race", "basemap")
SHOW = {"gap": "Black-white gap", "group": "One group"}  # ids as in the link (explorer.links "show")
PARENTS = {25: "low (25th percentile)", 75: "high (75th percentile)"}


def no_pack() -> None:
    st.info(read.NOT_HERE, icon=":material/block:")
    st.markdown(read.UNLOCKS)


def pick(manifest: dict, counties: pd.DataFrame) -> dict:
    """The page's controls; a link sets them all (explorer.links: county, outcome, pctile, gender, show, race)."""
    labels = dict(zip(counties["county_fips"], counties["label"]))
    fips = ui.keep_valid(COUNTY_KEY, list(labels))
    home = ui.current_city().main_county
    st.session_state.setdefault(COUNTY_KEY, home if home in labels else fips[0])  # the city's, unless linked
    county = st.selectbox("County (type to search)", fips, format_func=labels.get, key=COUNTY_KEY)
    choices = manifest["choices"]
    left, middle, right = st.columns(3)
    outcomes = ui.keep_valid(OUTCOME_KEY, [o for o in read.TRACT_OUTCOMES if o in choices])
    outcome = left.selectbox("Outcome", outcomes, key=OUTCOME_KEY,
                             format_func=lambda o: read.TRACT_OUTCOMES[o].label)
    pcts = ui.keep_valid(PCT_KEY, [int(p) for p in choices[outcome]["pct"]])
    pct = middle.radio("Parents' income", pcts, key=PCT_KEY, horizontal=True, format_func=PARENTS.get)
    gender = right.radio("Children", ui.keep_valid(GENDER_KEY, choices[outcome]["gender"]),
                         key=GENDER_KEY, horizontal=True, format_func=config.GENDERS.get)
    st.session_state.setdefault(SHOW_KEY, "gap")
    view = st.segmented_control("Show", ui.keep_valid(SHOW_KEY, list(SHOW)), format_func=SHOW.get,
                                key=SHOW_KEY) or "gap"
    basemap = st.toggle("Street map underneath (needs internet)", key=BASEMAP_KEY)
    race = "black"
    if view == "group":
        race = st.radio("Race", ui.keep_valid(RACE_KEY, choices[outcome]["race"]), key=RACE_KEY,
                        horizontal=True, format_func=config.RACES.get)
    return {"county": county, "label": labels[county], "outcome": outcome, "pct": str(pct), "gender": gender,
            "view": view, "race": race, "basemap": basemap}


def gap_view(choice: dict, tracts: pd.DataFrame, shapes: deckgl.QuantizedShapes, outline: dict | None) -> None:
    spec = read.TRACT_OUTCOMES[choice["outcome"]]
    colours = tract_views.gap_colours(tracts, choice["outcome"], choice["gender"], choice["pct"])
    gaps = colours.frame
    if gaps.empty:
        st.info(f"No tract in {choice['label']} has estimates for both Black and white children in this group "
                "(each needs at least 20 children in the data).")
        return
    outcome = choice["outcome"]
    deck = tract_views.tract_deck(list(gaps["tract"]), colours.bins, colours.palette,
                               race_gaps.gap_properties(gaps, outcome, cache.tract_titles(choice["county"])),
                               race_gaps.gap_tooltip(outcome), shapes,
                               outline, choice["basemap"])
    st.pydeck_chart(deck, key="national_gap_map")
    if choice["basemap"]:
        st.caption(tract_details.STREET_MAP_ON)
    ui.how_to_read(race_gaps.HOW_TO_READ_GAP)
    ui.colour_legend(colours.legend, "What the colour means")
    clear = int(gaps["clearly_different"].fillna(False).sum())
    st.caption(f"{len(gaps)} of {len(tracts)} tracts have both estimates; the gap is clearly different from "
               f"zero in {clear}. Gap = white minus Black, in {spec.gap_unit}, as on the county map.")
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
        st.caption(tract_details.STREET_MAP_ON)
    ui.how_to_read(f"**How to read this map.** {read.TRACT_OUTCOMES[outcome].description} Colours are bands "
                   "of all US tracts for this group, so counties compare; blue is better. Grey: fewer than 20 children.")
    ui.colour_legend(colours.legend, read.TRACT_OUTCOMES[outcome].label)
    ui.table_with_download(values, f"tracts_{column}_{choice['county']}.csv", key="national_group")


def details(choice: dict, tracts: pd.DataFrame) -> None:
    st.subheader("Tract details", anchor=False)
    titles = cache.tract_titles(choice["county"])
    tract = st.selectbox("Tract", list(tracts["tract"]), key="national_tract",
                         format_func=lambda t: race_gaps.title_of(t, titles))
    row = tracts.loc[tracts["tract"] == tract].iloc[0]
    st.dataframe(tract_views.tract_details(row, choice["outcome"], choice["gender"], choice["pct"]), hide_index=True)
    st.caption("Neighborhood figures are from Opportunity Insights' tract covariates (Census and ACS data).")


def main() -> None:
    st.title(registry.BY_ID["tract-gaps"].title, anchor=False)
    if not read.has_pack(read.national_dir()):
        no_pack()
        return
    manifest, counties = cache.national_pack_summary()
    with st.container(key="controls_race_gap_map"):
        choice = pick(manifest, counties)
    tracts, shapes, outline = cache.national_county_data(choice["county"])
    if shapes is None:
        st.info(f"The tract boundaries for {choice['label']} are missing from this site's national data, so "
                "there is no map. Whoever runs the site can fetch the national data again to add them.")
    elif choice["view"] == "gap":
        gap_view(choice, tracts, shapes, outline)
    else:
        group_view(choice, tracts, shapes, outline, manifest)
    if not tracts.empty:
        details(choice, tracts)
    st.caption(f"Source: Opportunity Insights, Opportunity Atlas tract outcomes ({config.COHORT}); Census 1:500k "
               "tract boundaries (2010 tracts).")


main()
