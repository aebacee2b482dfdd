"""Home: what the app is, the nine cities at a glance, where the data comes from."""
import streamlit as st

import ui
from explorer import config, home_text, registry, stats
from explorer.data import cache

RANK = config.METRICS["income_rank_p25"]


def city_card(city_id: str) -> None:
    numbers = cache.headline(city_id)
    gap = (numbers["county_rank"] - numbers["national_rank"]) * RANK.scale
    with st.container(border=True, height="stretch"):  # a row's cards as tall as its tallest
        st.subheader(numbers["city"], anchor=False)
        st.markdown(home_text.CARD_LABEL, help=home_text.HEADLINE_HELP)  # wraps, where a metric's label is cut
        st.metric(home_text.CARD_LABEL, RANK.format(numbers["county_rank"]), label_visibility="collapsed",
                  delta=f"{gap:+.1f} vs. US ({RANK.format(numbers['national_rank'])})", delta_color="normal")
        low, high = stats.interval95(numbers["county_rank"], numbers["county_rank_se"])
        st.caption(f"{numbers['county']} · 95% interval {RANK.format(low)} to {RANK.format(high)}")
        with st.container(horizontal=True):
            for page, label in home_text.CARD_LINKS.items():
                record = registry.BY_ID[page]
                st.page_link(record.file, label=label.format(city=config.get_city(city_id).name),
                             icon=record.icon, query_params={"city": city_id})


def next_steps() -> None:
    """Each page by its menu name, with what a reader finds there beside it."""
    for page, blurb in home_text.NEXT_STEPS.items():
        record = registry.BY_ID[page]
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.page_link(record.file, label=record.title, icon=record.icon, width="content",
                         query_params={"city": ui.current_city().id})
            st.markdown(blurb, width="content")


def main() -> None:
    st.title("Economic Mobility Explorer", anchor=False)
    st.markdown(home_text.HOME_INTRO)
    ui.how_to_read(home_text.HOW_TO_READ_HEADLINE, "How to read these cards")
    cities = list(config.CITIES)
    for row in range(0, len(cities), 3):  # one row of columns per three cards: a phone stacks them in order
        for column, city_id in zip(st.columns(3), cities[row:row + 3]):
            with column:
                city_card(city_id)
    st.header("Where to go next", anchor=False)
    next_steps()
    st.header("What the 2019 convening taught", anchor=False)
    st.markdown(home_text.TAKEAWAYS)
    st.header("Where the numbers come from", anchor=False)
    st.markdown(home_text.DATA_SOURCES)


main()
