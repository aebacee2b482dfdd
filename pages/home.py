"""Home: what the app is, the nine cities at a glance, where the data comes from."""
import streamlit as st

import ui
from explorer import config, home_text, registry, stats
from explorer.data import cache
from explorer.i18n import _, localized

RANK = config.METRICS["income_rank_p25"]


def city_card(city_id: str) -> None:
    numbers = cache.headline(city_id)
    gap = (numbers["county_rank"] - numbers["national_rank"]) * RANK.scale
    with st.container(border=True, height="stretch"):  # a row's cards as tall as its tallest
        st.subheader(numbers["city"], anchor=False)
        st.markdown(_(home_text.CARD_LABEL), help=_(home_text.HEADLINE_HELP))  # wraps, where a metric's label is cut
        st.metric(_(home_text.CARD_LABEL), RANK.format(numbers["county_rank"]), label_visibility="collapsed",
                  delta=_("{gap} vs. US ({us})").format(gap=localized(f"{gap:+.1f}"), us=RANK.format(numbers["national_rank"])),
                  delta_color="normal")
        low, high = stats.interval95(numbers["county_rank"], numbers["county_rank_se"])
        st.caption(_("{county} · 95% interval {low} to {high}").format(
            county=numbers["county"], low=RANK.format(low), high=RANK.format(high)))
        with st.container(horizontal=True):
            for page, label in home_text.CARD_LINKS.items():
                record = registry.BY_ID[page]
                st.page_link(record.file, label=_(label).format(city=config.get_city(city_id).name),
                             icon=record.icon, query_params={"city": city_id})


def next_steps() -> None:
    """Each page by its menu name, with what a reader finds there beside it."""
    for page, blurb in home_text.NEXT_STEPS.items():
        record = registry.BY_ID[page]
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.page_link(record.file, label=_(record.title), icon=record.icon, width="content",
                         query_params={"city": ui.current_city().id})
            st.markdown(_(blurb), width="content")


def main() -> None:
    st.title(_("Economic Mobility Explorer"), anchor=False)
    st.markdown(_(home_text.HOME_INTRO))
    ui.how_to_read(_(home_text.HOW_TO_READ_HEADLINE), _("How to read these cards"))
    cities = list(config.CITIES)
    for row in range(0, len(cities), 3):  # one row of columns per three cards: a phone stacks them in order
        for column, city_id in zip(st.columns(3), cities[row:row + 3]):
            with column:
                city_card(city_id)
    st.header(_("Where to go next"), anchor=False)
    next_steps()
    st.header(_("What the 2019 convening taught"), anchor=False)
    st.markdown(_(home_text.TAKEAWAYS))
    st.header(_("Where the numbers come from"), anchor=False)
    st.markdown(_(home_text.DATA_SOURCES))


main()
