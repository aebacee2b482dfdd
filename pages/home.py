"""Home: what the app is, the nine cities at a glance, where the data comes from."""
import streamlit as st

import ui
from explorer import config, home_text, registry, stats
from explorer.data import cache

RANK = config.METRICS["income_rank_p25"]


def city_card(city_id: str) -> None:
    numbers = cache.headline(city_id)
    gap = (numbers["county_rank"] - numbers["national_rank"]) * RANK.scale
    with st.container(border=True):
        st.subheader(numbers["city"], anchor=False)
        st.metric("Income rank at about 35", RANK.format(numbers["county_rank"]),
                  delta=f"{gap:+.1f} vs. US ({RANK.format(numbers['national_rank'])})", delta_color="normal",
                  help=home_text.HEADLINE_HELP)
        low, high = stats.interval95(numbers["county_rank"], numbers["county_rank_se"])
        st.caption(f"{numbers['county']} · 95% interval {RANK.format(low)} to {RANK.format(high)}")


def main() -> None:
    st.title("Economic Mobility Explorer", anchor=False)
    st.markdown(home_text.HOME_INTRO)
    ui.how_to_read(home_text.HOW_TO_READ_HEADLINE, "How to read these cards")
    columns = st.columns(3)
    for index, city_id in enumerate(config.CITIES):
        with columns[index % 3]:
            city_card(city_id)
    st.header("Where to go next", anchor=False)
    for page, blurb in home_text.NEXT_STEPS.items():
        st.page_link(registry.file_of(page), label=blurb, query_params={"city": ui.current_city().id})
    st.header("What the 2019 convening taught", anchor=False)
    st.markdown(home_text.TAKEAWAYS)
    st.header("Where the numbers come from", anchor=False)
    st.markdown(home_text.DATA_SOURCES)


main()
