"""What the evidence says, on screen (explorer.evidence): a strategy with its study cards, on a city's profile and
on the What works page. Every text comes from data/evidence.yaml, made literal for Markdown; every source is
a link to the page it was read from."""
from __future__ import annotations

import streamlit as st

from explorer import config, evidence, pilots, registry
from explorer.i18n import _

# A strength's badge colour: the strongest design stands out, a description without comparison stays grey.
BADGE_COLOURS = {"randomized": "green", "quasi-experimental": "blue", "descriptive": "gray"}


def card(study: evidence.Card) -> None:
    """One study: who and when, how strong its design is, what it found, and its sources."""
    with st.container(border=True):
        st.markdown(f"**{pilots.escape_markdown(study.study)}**")
        st.markdown(f":{BADGE_COLOURS[study.strength]}-badge[{pilots.escape_markdown(study.strength_label)}]",
                    help=evidence.STRENGTH_HELP[study.strength])
        found = pilots.escape_markdown(study.found)
        st.markdown(found if study.confirmed else _("{text} **(unconfirmed)**").format(text=found))
        links = ", ".join(pilots.link_markdown(url, pilots.source_label(url)) for url in study.sources)
        st.caption(_("Source: {links}").format(links=links))


def strategy(found: evidence.Evidence, item: evidence.Strategy, profiles: pilots.Pilots) -> None:
    """A strategy: what it is, the bottom line, who among the nine tried it, and its cards side by side."""
    st.subheader(item.name, anchor=False)
    st.markdown(f"{pilots.escape_markdown(item.what)} **{pilots.escape_markdown(item.bottom_line)}**")
    tried = ", ".join(f"{config.CITIES[c].label} ({pilots.escape_markdown(profiles.profiles[c].pilot)})"
                      for c in item.cities)
    st.caption(_("Tried among the nine cities by: {cities}").format(cities=tried))
    cards = found.cards_for(item.id)
    for column, study in zip(st.columns(len(cards)), cards):
        with column:
            card(study)


def for_city(city: config.City) -> None:
    """A profile's "What the evidence says": the city's strategies with their cards, and the other cities of the
    nine that tried something similar."""
    from explorer.data import cache
    found, profiles = cache.evidence(), cache.pilots()
    st.header(_("What the evidence says"), anchor=False)
    st.markdown(_("What studies elsewhere found about the kind of program {city} piloted. The studies are not of "
                  "this pilot: they show what is known to work, and how sure that knowledge is.").format(
        city=city.name))
    own = found.of_city(city.id)
    for item in own:
        strategy(found, item, profiles)
    similar = found.similar(city.id)
    if similar:
        st.markdown(_("**Others of the nine that tried something similar:** {cities}.").format(
            cities="; ".join(f"{config.CITIES[other].label} ({item.name})" for other, item in similar)))
    st.page_link(registry.file_of("what-works"), label=_("All the strategies and their evidence, by theme"),
                 query_params={"theme": own[0].theme} if own else None,
                 icon=":material/fact_check:")
