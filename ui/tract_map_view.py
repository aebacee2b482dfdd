"""The neighborhood map itself: the app's own map, or pydeck's with the street map, and its selection.

A map's selection cannot be set from code: a link's ?tracts= (or a search's pick) stands in for it until the
visitor picks, and "Clear selection" moves the map to a new key (ui.renewable_key).
"""
from __future__ import annotations

import streamlit as st

from explorer import config, links
from explorer.data import cache
from explorer.i18n import _
from explorer.maps import area_map, deckgl, tract_details, tract_map
from ui import tract_search
from ui.address import drop_linked, linked, set_linked
from ui.map_component import area_map as draw_area_map
from ui.widgets import renew_key, renewable_key

AREA_KEY, CLEAR_KEY = "tract_area_map", "map_cleared"
(MAP_KEY,) = links.widget_keys("neighborhoods", "tracts")  # the street map's selection, as a link restores it


def map_key(kind: str) -> str:
    """The map's widget key ("tract_map" for the street-map version, "tract_area_map" for the app's own
    map): a new one after "Clear selection" (a map's selection can't be set from code)."""
    return renewable_key(kind, CLEAR_KEY)


def clear_selection() -> None:
    renew_key(CLEAR_KEY)
    drop_linked("tracts")


def linked_tracts(shown) -> list[str]:
    """A shared link's tracts that this map draws, at most MAX_SELECTED (more get a plain warning)."""
    return warned(tract_details.capped(list(linked("tracts", ())), set(shown["tract"])))


def warned(capped: tuple[list[str], bool]) -> list[str]:
    tracts, too_many = capped
    if too_many:
        st.warning(tract_details.too_many_tracts(), icon=":material/block:")
    return tracts


def draw_map(city: config.City, study, metric_id: str, scale_id: str, basemap: bool, own, shown,
             found: list[str]) -> list[str]:
    """The tract map; returns the tracts selected on it. Without the street map it is the app's own map
    (shapes sent once, clicks handled in the browser; `found`, the search's matches, outlined); the street map
    needs pydeck's basemap."""
    chosen = tract_search.chosen()  # search results just picked: they become the selection
    shapes, metric = cache.quantized_tract_shapes(city.id), config.METRICS[metric_id]
    label = _("Map of {city}'s census tracts by {outcome}").format(city=city.label, outcome=metric.label)
    scale = cache.tract_scale(metric_id, scale_id, city.id) if basemap or own is not None else None
    if not basemap:
        styling = cache.tract_styling(city.id, metric_id, scale_id) if own is None else \
            area_map.tract_styling(shown, metric_id, scale, own, shapes)
        return draw_area_map(cache.tract_map_shapes(city.id), styling, key=map_key(AREA_KEY), height=deckgl.MAP_HEIGHT,
                           label=label, selected=linked_tracts(shown), max_selected=tract_details.MAX_SELECTED,
                           too_many=tract_details.too_many_tracts(), choose=chosen,
                           highlight=found[:tract_details.MAX_OUTLINED])
    if chosen is not None:  # pydeck's selection cannot be set: a new, empty map with the picks as a link's
        renew_key(CLEAR_KEY)
        set_linked("tracts", tuple(chosen))
    picked = tract_details.selected_tracts(st.session_state.get(map_key(MAP_KEY), {}).get("selection"), shown,
                                           limit=None)
    selected = warned(tract_details.capped(picked)) if picked else linked_tracts(shown)  # a link's, until a pick
    outlines = [cache.county_outline(fips) for fips in cache.study_counties(city.id)["county_fips"]]
    deck = tract_map.city_tract_deck(study, shapes, cache.city_boundary(city.id), outlines, metric_id, scale,
                                basemap=basemap, selected=tuple(selected), own=own,
                                found=tuple(found[:tract_details.MAX_OUTLINED]))
    st.pydeck_chart(deck, on_select=lambda: drop_linked("tracts"), selection_mode="multi-object",
                    key=map_key(MAP_KEY), height=deckgl.MAP_HEIGHT, alt=label)
    st.caption(_(tract_details.STREET_MAP_ON))  # the tiles load in the browser: the server cannot tell
    return selected
