"""City pilot profile: what the city's pilot tried and learned, and its key numbers next to the nation."""
import streamlit as st

import ui
from explorer import config, data, pilots, profiles, store

# Pages this one links to, opened on the same city (only pages registered in app.py).
LINKED_PAGES: dict[str, str] = {}

HOW_TO_READ = """
**How to read this.** Each row is one outcome for children who grew up in low-income families (parents
at the 25th percentile of US incomes, about \\$27,000 a year), born 1978-83 and measured at about age 35.
*Income rank* is where they ended up on the national income ladder (0 = bottom, 100 = top).
The *95% interval* is the range the true value very likely lies in; where it overlaps the US value,
the difference may be chance. *In prison or jail* counts those held on Census day 2010. *Economic
connectedness* (2022) is how many higher-income friends people with lower incomes have (1 = as many as if
income did not matter). The 2014 study's *absolute mobility* is an income rank like the first rows;
*relative mobility* says how much parents' rank matters (higher = more). "No estimate" means the source
published none, usually because fewer than 20 children were counted.
"""
NO_ACCOUNT = {"learned": "No public account of lessons learned was found for this pilot.",
              "results": "No public result was found for this pilot. None is shown rather than guessed."}


def takeaway_note(profile_pilots: pilots.Pilots, place: str) -> None:
    takeaway = profile_pilots.takeaway(place)
    if takeaway:
        source = pilots.link_markdown(takeaway.sources[0], "2019 convening")
        st.info(f"**{pilots.escape_markdown(takeaway.title)}** ({source}). "
                f"{pilots.escape_markdown(takeaway.connects)}", icon=":material/lightbulb:")


def story(profile_pilots: pilots.Pilots, profile: pilots.Profile) -> None:
    st.header("The pilot", anchor=False)
    columns = st.columns(2, gap="large")
    for index, (key, heading) in enumerate(pilots.SECTIONS.items()):
        with columns[index * 2 // len(pilots.SECTIONS)]:
            st.subheader(heading, anchor=False)
            facts = profile.sections[key]
            if facts:
                st.markdown("\n".join(f"- {pilots.fact_markdown(fact)}" for fact in facts))
            else:
                st.markdown(NO_ACCOUNT[key])
    takeaway_note(profile_pilots, "story")


def key_numbers(city: config.City) -> None:
    county = data.county(city.main_county)
    national = profiles.national_values(data.counties(), data.tracts(), data.national_percentiles())
    numbers = profiles.key_numbers(county, data.study_tracts(city.id), national)
    county_name = store.county_label(county["county_name"], county["state_name"])
    st.markdown(f"County numbers are for **{county_name}**, the county that holds most of {city.name}; "
                f"the top-20% chance is the middle tract of {city.name} itself.")
    table = profiles.profile_table(numbers)
    st.dataframe(table, hide_index=True)
    st.caption("US value: " + profiles.reference_note())
    st.download_button("Download CSV", table.to_csv(index=False).encode("utf-8"),
                       file_name=f"key-numbers-{city.id}.csv", mime="text/csv", key="profile_csv",
                       icon=":material/download:")
    with st.expander("How to read this", expanded=False, icon=":material/help:"):
        st.markdown(HOW_TO_READ)


def links(city: config.City) -> None:
    for file, label in LINKED_PAGES.items():
        st.page_link(file, label=label.format(city=city.name), query_params={"city": city.id},
                     icon=":material/arrow_forward:")


def peer_cities(profile_pilots: pilots.Pilots, city: config.City) -> None:
    st.header("Peer cities", anchor=False)
    found = pilots.peers(profile_pilots, city.id)
    if not found:
        st.markdown(f"No other city in the group shared a theme with {city.name}'s pilot. "
                    "Compare all nine cities' numbers on the *Compare cities* page.")
    for peer in found:
        st.markdown(f"- **{config.CITIES[peer.city_id].label}** ({', '.join(peer.shared_themes)}): "
                    f"{pilots.fact_markdown(peer.summary)}")
    takeaway_note(profile_pilots, "peers")


def main() -> None:
    city = ui.current_city()
    profile_pilots = data.pilots()
    profile = profile_pilots.profiles[city.id]
    st.title(city.label, anchor=False)
    st.subheader(profile.pilot, anchor=False)
    st.caption("Themes: " + ", ".join(profile_pilots.theme_labels(city.id)))
    st.markdown(pilots.fact_markdown(profile.summary))
    story(profile_pilots, profile)
    st.header("Key numbers next to the nation", anchor=False)
    key_numbers(city)
    takeaway_note(profile_pilots, "numbers")
    links(city)
    peer_cities(profile_pilots, city)


main()
