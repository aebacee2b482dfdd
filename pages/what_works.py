"""What works: the pilots' themes, the strategies the cities tried in each, what studies elsewhere found, and the
pilot cities' key numbers beside them, so a room can move from where mobility is low to what has worked."""
import streamlit as st

import ui
from explorer import config, links, pilots, profiles
from explorer.data import cache
from explorer.i18n import N_, _

(THEME_KEY,) = links.widget_keys("what-works", "theme")

HOW_TO_READ = N_("""
**How to read this.** Pick a theme. Each strategy below is a kind of program one or more of the nine cities
piloted; its cards sum up the best studies we found of the same kind of program elsewhere: who ran the study and
when, how strong its design is, and what it found, with the numbers the study states and links to where we read
them. A **randomized trial** is the strongest evidence; a **quasi-experimental study** compares with a similar
group chosen by circumstance; a **descriptive study** has no comparison group and cannot show what a program
caused. The table shows the pilot cities' key numbers next to the nation.
""")


def key_numbers(city_ids: list[str]) -> None:
    """The theme's pilot cities' key numbers with the US row (the compare page's table, for these cities)."""
    key = next(iter(profiles.KEY_NUMBERS.values()))  # sorted by the first: the county's income rank at p25
    table, _chart = cache.comparison(city_ids, profiles.column_label(key), True, profiles.column_id(key))
    st.table(profiles.comparison_display(table), hide_index=True)
    st.caption(_("The last row is the United States. Each number's meaning is on the Compare cities page."))


def show_theme(theme: str) -> None:
    st.session_state[THEME_KEY] = theme


def own_city(found, theme: str) -> None:
    """What the city picked in the sidebar piloted, and a way to its theme (every page follows the city)."""
    city = ui.current_city()
    own = found.of_city(city.id)
    themes = pilots.declared_themes()
    st.markdown(_("**{city}** piloted: {strategies}.").format(
        city=city.label, strategies="; ".join(f"{item.name} ({themes[item.theme]})" for item in own)))
    if own and theme not in {item.theme for item in own}:
        st.button(_("Show {city}'s theme").format(city=city.name), key="works_own_theme", on_click=show_theme,
                  args=(own[0].theme,), type="tertiary", icon=":material/arrow_forward:")


def main() -> None:
    found, profile_pilots = cache.evidence(), cache.pilots()
    st.title(_("What works"), anchor=False)
    ui.how_to_read(_(HOW_TO_READ), _("How to read this"))
    ui.keep_valid(THEME_KEY, pilots.theme_ids())
    with st.container(key="controls_works"):
        theme = st.radio(_("Theme"), pilots.theme_ids(), key=THEME_KEY, horizontal=True,
                         format_func=pilots.declared_themes().get)
    own_city(found, theme)
    cities = found.cities_in(theme)
    st.header(pilots.declared_themes()[theme], anchor=False)
    if not cities:
        st.info(_("None of the nine cities piloted a strategy in this theme."), icon=":material/info:")
        return
    st.markdown(_("**Pilot cities:** {cities}.").format(cities=", ".join(config.CITIES[c].label for c in cities)))
    key_numbers(cities)
    for item in found.in_theme(theme):
        ui.evidence_strategy(found, item, profile_pilots)


main()
