"""City pilot profile: what the city's pilot tried and learned, its key numbers next to the nation, and what studies
elsewhere found about that kind of program."""
import streamlit as st

import ui
from explorer import config, pilots, profiles, registry
from explorer.data import cache
from explorer.i18n import N_, _, ngettext
from explorer.maps import area_map, scales, tract_map

# Pages this one links to (ids in explorer.registry), opened on the same city.
LINKED_PAGES = {"neighborhoods": N_("Open {city}'s neighborhood map"),
                "race-class-gaps": N_("Open the race and class gaps for {city}")}

MAP_METRIC = "top20_p25"  # the tract number behind the "top 20%" key number
MAP_HEIGHT = 320  # pixels at most (the map takes the height its city's shape needs at the column's width)


def takeaway_note(profile_pilots: pilots.Pilots, place: str) -> None:
    takeaway = profile_pilots.takeaway(place)
    if takeaway:
        source = pilots.link_markdown(takeaway.sources[0], _("2019 convening"))
        st.info(f"**{pilots.escape_markdown(takeaway.title)}** ({source}). "
                f"{pilots.escape_markdown(takeaway.connects)}", icon=":material/lightbulb:")


def story(profile_pilots: pilots.Pilots, profile: pilots.Profile) -> None:
    st.header(_("The pilot"), anchor=False)
    columns = st.columns(2, gap="large")
    for index, (key, heading) in enumerate(pilots.SECTIONS.items()):
        with columns[index * 2 // len(pilots.SECTIONS)]:
            st.subheader(heading, anchor=False)
            facts = profile.sections[key]
            if facts:
                st.markdown("\n".join(f"- {pilots.fact_markdown(fact)}" for fact in facts))
            else:
                st.markdown(pilots.NO_PUBLIC_ACCOUNT[key])
    takeaway_note(profile_pilots, "story")


def key_numbers(city: config.City) -> None:
    numbers = cache.city_key_numbers(city.id)
    st.markdown(_("County numbers are for **{county}**, the county that holds most of {city}; "
                  "the top-20% chance is the middle tract of {city} itself.").format(
        county=cache.headline(city.id)["county"], city=city.name))
    table = profiles.profile_table(numbers)
    st.dataframe(table, hide_index=True)
    st.caption(profiles.reference_note())
    ui.csv_download(table, f"key-numbers-{city.id}.csv", key="profile_csv")
    with st.expander(_("How to read this"), expanded=False, icon=":material/help:"):
        st.markdown(_(profiles.HOW_TO_READ_KEY_NUMBERS))


def small_map(city: config.City) -> None:
    """The tracts behind the top-20% key number (mostly inside the city), in national bins; no pan or zoom."""
    study = cache.study_tracts(city.id)
    study = study[study["in_city"]]
    scale = cache.tract_scale(MAP_METRIC, "national", city.id)
    shapes = cache.tract_map_shapes(city.id, city_only=True)  # framed on the city itself, not its county area
    shown = tract_map.mapped_tracts(study, cache.quantized_tract_shapes(city.id))
    metric = config.METRICS[MAP_METRIC]
    st.subheader(_("{metric}, by tract").format(metric=metric.label), anchor=False)
    ui.area_map(shapes, area_map.tract_styling(shown, MAP_METRIC, scale), key="profile_area_map", height=MAP_HEIGHT,
                label=_("Map of {city}'s census tracts by {metric}").format(city=city.label, metric=metric.label),
                interactive=False)
    st.caption(ngettext("The {count} census tract mostly inside {city}, coloured in {groups} groups holding equal "
                        "numbers of US tracts (blue: higher chance, red: lower, grey: no estimate); the dark line "
                        "is the city limit.",
                        "The {count} census tracts mostly inside {city}, coloured in {groups} groups holding equal "
                        "numbers of US tracts (blue: higher chance, red: lower, grey: no estimate); the dark line "
                        "is the city limit.", len(study)).format(count=len(study), city=city.name,
                                                                 groups=len(scale.colours)))
    with st.expander(_("Colour key"), icon=":material/palette:"):
        ui.colour_legend(scales.legend_table(study[MAP_METRIC], scale), f"{metric.label} ({metric.unit})")


def links(city: config.City) -> None:
    for page, label in LINKED_PAGES.items():
        st.page_link(registry.file_of(page), label=_(label).format(city=city.name), query_params={"city": city.id},
                     icon=":material/arrow_forward:")


def open_profile(city_id: str) -> None:
    st.session_state[ui.CITY_KEY] = city_id  # the sidebar picker's state: every page follows it


def peer_cities(profile_pilots: pilots.Pilots, city: config.City) -> None:
    st.header(_("Peer cities"), anchor=False)
    found = pilots.peers(profile_pilots, city.id)
    if not found:
        st.markdown(_("No other city in the group shared a theme with {city}'s pilot.").format(city=city.name))
    for peer in found:
        label = config.CITIES[peer.city_id].label
        st.markdown(f"**{label}** ({', '.join(peer.shared_themes)}): {pilots.fact_markdown(peer.summary)}")
        st.button(_("Open {city}'s profile").format(city=config.CITIES[peer.city_id].name), key=f"peer_{peer.city_id}",
                  on_click=open_profile, args=(peer.city_id,), type="tertiary", icon=":material/arrow_forward:")
    st.page_link(registry.file_of("compare-cities"), label=_("Compare all nine cities side by side"),
                 icon=":material/compare_arrows:")
    takeaway_note(profile_pilots, "peers")


def initiative(profile_pilots: pilots.Pilots) -> None:
    with st.expander(_("About the initiative"), icon=":material/info:"):
        st.markdown("\n".join(f"- {pilots.fact_markdown(fact)}" for fact in profile_pilots.initiative))


def main() -> None:
    city = ui.current_city()
    profile_pilots = cache.pilots()
    profile = profile_pilots.profiles[city.id]
    st.title(city.label, anchor=False)
    st.subheader(profile.pilot, anchor=False)
    st.caption(_("Themes: {themes}").format(themes=", ".join(profile_pilots.theme_labels(city.id))))
    st.markdown(pilots.fact_markdown(profile.summary))
    story(profile_pilots, profile)
    st.header(_("Key numbers next to the nation"), anchor=False)
    key_numbers(city)
    ui.city_brief_download(city)
    map_column, note_column = st.columns([3, 2], gap="large")
    with map_column:
        small_map(city)
    with note_column:
        takeaway_note(profile_pilots, "numbers")
        links(city)
    ui.evidence_for_city(city)
    peer_cities(profile_pilots, city)
    initiative(profile_pilots)


main()
