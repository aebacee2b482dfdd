"""Compare cities: the nine cities' key mobility numbers side by side, with the nation as a reference row."""
import streamlit as st

import ui
from explorer import config, i18n, links, profiles
from explorer.data import cache
from explorer.i18n import _

(CITIES_KEY,) = links.widget_keys("compare-cities", "cities")
# The sort and chart choices are the columns' English headers (the same in every language, so a choice survives
# a switch of language); each is shown, and looked up in the table, in the reader's words (header()).
COLUMNS = [profiles.column_id(key) for key in profiles.KEY_NUMBERS.values()]


def header(option: str) -> str:
    """A sort or chart choice as the table's header in the reader's language."""
    if option == profiles.CITY:
        return profiles.city_column()
    return profiles.column_label(profiles.key_for_column(option))


def headers_of_this_run():
    """header() in this run's language, wherever it is called from (Streamlit may format a choice again
    outside the run, as a test's thread does)."""
    lang = i18n.current()

    def shown(option: str) -> str:
        with i18n.speaking(lang):
            return header(option)
    return shown


def chart_follows_sort() -> None:
    """Choosing a number to sort by also charts it; the chart can still be changed on its own."""
    if st.session_state["compare_sort"] in COLUMNS:
        st.session_state["compare_chart"] = st.session_state["compare_sort"]


def main() -> None:
    st.title(_("Compare cities"), anchor=False)
    st.markdown(_("The nine cities' key numbers side by side, with the United States as a reference row. "
                  "Pick the cities, then sort and chart by any number."))
    controls = st.container(key="controls_compare")
    city_ids = controls.multiselect(_("Cities"), options=list(config.CITIES), default=list(config.CITIES),
                              format_func=lambda c: config.CITIES[c].label, key=CITIES_KEY,
                              max_selections=len(config.CITIES), help=_("Choose 2 to 9 cities."))
    if len(city_ids) < 2:
        st.info(_("Pick at least two cities to compare."), icon=":material/info:")
        return
    left, middle, right = controls.columns([4, 2, 4])
    sort_column = left.selectbox(_("Sort by"), options=[profiles.CITY, *COLUMNS], index=1, key="compare_sort",
                                 format_func=headers_of_this_run(), on_change=chart_follows_sort)
    descending = middle.toggle(_("Highest first"), value=True, key="compare_descending")
    chart_column = right.selectbox(_("Chart"), options=COLUMNS, key="compare_chart",
                                   format_func=headers_of_this_run())
    table, chart = cache.comparison(city_ids, header(sort_column), descending, chart_column)
    st.table(profiles.comparison_display(table), hide_index=True)
    st.caption(_("The last row is the United States. Each number's meaning is under \u201cHow to read this\u201d."))
    ui.csv_download(table, "compare-cities.csv", key="compare_csv")
    key = profiles.key_for_column(chart_column)
    st.subheader(key.label, anchor=False)
    st.caption(f"{key.help}")
    ui.chart(chart)
    ui.chart_downloads(chart, f"compare-cities-{key.id}", key="compare",
                       context=ui.chart_context("compare-cities", key.label, key.metric))
    with st.expander(_("How to read this"), icon=":material/help:"):
        st.markdown(_(profiles.HOW_TO_READ_COMPARISON))
        st.markdown(profiles.column_meanings())


main()
