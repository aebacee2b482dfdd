"""Compare cities: the nine cities' key mobility numbers side by side, with the nation as a reference row."""
import streamlit as st

import ui
from explorer import config, links, profiles
from explorer.data import cache

(CITIES_KEY,) = links.widget_keys("compare-cities", "cities")
COLUMNS = [profiles.column_label(key) for key in profiles.KEY_NUMBERS.values()]


def key_numbers(city_ids: list[str]) -> dict:
    """City label -> its key numbers next to the nation (profiles.key_numbers)."""
    return {config.CITIES[c].label: cache.city_key_numbers(c) for c in city_ids}


def chart_follows_sort() -> None:
    """Choosing a number to sort by also charts it; the chart can still be changed on its own."""
    if st.session_state["compare_sort"] in COLUMNS:
        st.session_state["compare_chart"] = st.session_state["compare_sort"]


def main() -> None:
    st.title("Compare cities", anchor=False)
    st.markdown("The nine cities' key numbers side by side, with the United States as a reference row. "
                "Pick the cities, then sort and chart by any number.")
    controls = st.container(key="controls_compare")
    city_ids = controls.multiselect("Cities", options=list(config.CITIES), default=list(config.CITIES),
                              format_func=lambda c: config.CITIES[c].label, key=CITIES_KEY,
                              max_selections=len(config.CITIES), help="Choose 2 to 9 cities.")
    if len(city_ids) < 2:
        st.info("Pick at least two cities to compare.", icon=":material/info:")
        return
    left, middle, right = controls.columns([4, 2, 4])
    sort_column = left.selectbox("Sort by", options=["City", *COLUMNS], index=1, key="compare_sort",
                                 on_change=chart_follows_sort)
    descending = middle.toggle("Highest first", value=True, key="compare_descending")
    chart_column = right.selectbox("Chart", options=COLUMNS, key="compare_chart")
    per_city = key_numbers(city_ids)
    table = profiles.sort_cities(profiles.comparison_table(per_city), sort_column, descending)
    st.table(profiles.comparison_display(table), hide_index=True)
    st.caption("The last row is the United States. Each number's meaning is under \u201cHow to read this\u201d.")
    ui.csv_download(table, "compare-cities.csv", key="compare_csv")
    key = profiles.key_for_column(chart_column)
    st.subheader(key.label, anchor=False)
    st.caption(f"{key.help}")
    chart = profiles.comparison_chart(table, key, profiles.comparison_intervals(per_city, key.id))
    ui.chart(chart)
    ui.chart_downloads(chart, f"compare-cities-{key.id}", key="compare",
                       context=ui.chart_context("compare-cities", key.label, key.metric))
    with st.expander("How to read this", icon=":material/help:"):
        st.markdown(profiles.HOW_TO_READ_COMPARISON)
        st.markdown(profiles.column_meanings())


main()
