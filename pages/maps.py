"""Neighborhood map: the city's census tracts coloured by an outcome, tract details and the tract table.

The link fields' widget keys are declared in explorer.links (FIELDS). The map's selection state is
read-only: a link's ?tracts= stands in for it until the user picks, and "Clear selection" moves it to a new
key (see ui.renewable_key). A partner's CSV stays in this session only.
"""
import streamlit as st

import ui
from ui import tract_search  # the map's finders (imports pandas: not in ui, which the home page loads)
from explorer import config, links
from explorer.data import cache
from explorer.maps import area_map, deckgl, own_layer, scales, tract_details, tract_map

PAGE = "neighborhoods"  # its id in explorer.registry
METRIC_KEY, SCALE_KEY, BASEMAP_KEY, MAP_KEY = links.widget_keys(PAGE, "metric", "scale", "basemap", "tracts")
AREA_KEY, OWN_KEY, CLEAR_KEY = "tract_area_map", "map_own_data", "map_cleared"
SEARCH_KEY = tract_search.SEARCH_KEY


def controls(study, city: config.City) -> tuple[str, str, bool, own_layer.OwnData | None]:
    ui.keep_valid(METRIC_KEY, config.TRACT_METRICS)
    ui.keep_valid(SCALE_KEY, scales.SCALES)
    box = st.container(key="controls_maps")  # presentation mode hides it, the upload panel included
    left, middle, right = box.columns([2, 2, 1], vertical_alignment="bottom")
    metric_id = left.selectbox("Outcome", config.TRACT_METRICS, key=METRIC_KEY, help=tract_details.OUTCOME_HELP,
                               format_func=lambda m: config.METRICS[m].label)
    scale_id = middle.radio("Colour scale", list(scales.SCALES), key=SCALE_KEY, horizontal=True,
                            format_func=lambda s: "Compared with the US" if s == "national" else "Within this area",
                            help=" ".join(tract_details.SCALE_HELP.values()))
    basemap = right.toggle("Street map", value=False, key=BASEMAP_KEY, help=tract_details.STREET_MAP_HELP)
    with box:
        own = ui.own_data_panel(set(study["tract"]), city.id, key=OWN_KEY)
    return metric_id, scale_id, basemap, own


def show_details(selected: list[str], metric_id: str, city: config.City, own) -> None:
    st.subheader("Tract details", anchor=False)
    if not selected:
        st.caption(tract_details.DETAILS_HOW_TO)
        return
    with st.container(key="controls_map_clear"):  # a control: presentation mode hides it
        st.button("Clear selection", icon=":material/deselect:", key="map_clear", on_click=clear_selection,
                  help="Unselect every tract (or click a selected tract again to unselect it).")
    for row in range(0, len(selected), 2):  # two tracts a row, so each table has room for its columns
        for column, tract_id in zip(st.columns(2), selected[row:row + 2]):
            title, comparison = cache.tract_comparison(city.id, metric_id, tract_id)
            with column.container(border=True):
                st.markdown(f"**{title}**")
                st.dataframe(comparison, hide_index=True, column_config=ui.fitted_text_columns(comparison))
            if (mine := tract_details.own_values(own, tract_id)) is not None:
                st.dataframe(mine, hide_index=True)


def show_table(metric_id: str, city: config.City, own) -> None:
    metric = config.METRICS[metric_id]
    st.subheader("All tracts in the area", anchor=False)
    table = tract_details.with_own_data(cache.tract_table(city.id, metric_id), own)
    query = st.session_state.get(SEARCH_KEY, "")
    if query.strip():
        st.caption("Showing the tracts that match the search above.")
    fmt = tract_details.TABLE_FORMATS.get(metric_id, "%.2f")
    st.dataframe(tract_details.search_tracts(table, query), hide_index=True, column_config={
        metric.label: st.column_config.NumberColumn(f"{metric.label} ({metric.unit})", format=fmt),
        "National percentile": st.column_config.NumberColumn(format="%.1f", help="0-100, among all US tracts"),
        "Tract": st.column_config.TextColumn(width=ui.fitted_width(table, "Tract"),
                                             help="Neighborhood and place (Opportunity Atlas labels), tract number"),
        "Tract ID": st.column_config.TextColumn(help="11-digit 2010 Census tract GEOID")})
    ui.csv_download(table, f"{city.id}_{metric_id}_tracts.csv", key="map_tracts_csv", label="Download CSV (all tracts)")


def map_key(kind: str) -> str:
    """The map's widget key ("tract_map" for the street-map version, "tract_area_map" for the app's own
    map): a new one after "Clear selection" (a map's selection can't be set from code)."""
    return ui.renewable_key(kind, CLEAR_KEY)


def clear_selection() -> None:
    ui.renew_key(CLEAR_KEY)
    ui.drop_linked("tracts")


def linked_tracts(shown) -> list[str]:
    """A shared link's tracts that this map draws, at most MAX_SELECTED (more get a plain warning)."""
    return warned(tract_details.capped(list(ui.linked("tracts", ())), set(shown["tract"])))


def warned(capped: tuple[list[str], bool]) -> list[str]:
    tracts, too_many = capped
    if too_many:
        st.warning(tract_details.TOO_MANY_TRACTS, icon=":material/block:")
    return tracts


def draw_map(city: config.City, study, metric_id: str, scale_id: str, basemap: bool, own, shown,
             found: list[str]) -> list[str]:
    """The tract map; returns the tracts selected on it. Without the street map it is the app's own map
    (shapes sent once, clicks handled in the browser; `found`, the search's matches, outlined); the street map
    needs pydeck's basemap."""
    chosen = tract_search.chosen()  # search results just picked: they become the selection
    shapes, metric = cache.quantized_tract_shapes(city.id), config.METRICS[metric_id]
    label = f"Map of {city.label}'s census tracts by {metric.label}"
    scale = cache.tract_scale(metric_id, scale_id, city.id) if basemap or own is not None else None
    if not basemap:
        styling = cache.tract_styling(city.id, metric_id, scale_id) if own is None else \
            area_map.tract_styling(shown, metric_id, scale, own, shapes)
        return ui.area_map(cache.tract_map_shapes(city.id), styling, key=map_key(AREA_KEY), height=deckgl.MAP_HEIGHT,
                           label=label, selected=linked_tracts(shown), max_selected=tract_details.MAX_SELECTED,
                           too_many=tract_details.TOO_MANY_TRACTS, choose=chosen,
                           highlight=found[:tract_details.MAX_OUTLINED])
    if chosen is not None:  # pydeck's selection cannot be set: a new, empty map with the picks as a link's
        ui.renew_key(CLEAR_KEY)
        ui.set_linked("tracts", tuple(chosen))
    picked = tract_details.selected_tracts(st.session_state.get(map_key(MAP_KEY), {}).get("selection"), shown,
                                           limit=None)
    selected = warned(tract_details.capped(picked)) if picked else linked_tracts(shown)  # a link's, until a pick
    outlines = [cache.county_outline(fips) for fips in cache.study_counties(city.id)["county_fips"]]
    deck = tract_map.city_tract_deck(study, shapes, cache.city_boundary(city.id), outlines, metric_id, scale,
                                basemap=basemap, selected=tuple(selected), own=own)
    st.pydeck_chart(deck, on_select=lambda: ui.drop_linked("tracts"), selection_mode="multi-object",
                    key=map_key(MAP_KEY), height=deckgl.MAP_HEIGHT, alt=label)
    st.caption(tract_details.STREET_MAP_ON)  # the tiles load in the browser: the server cannot tell
    return selected


def main() -> None:
    city = ui.current_city()
    st.title(f"Neighborhoods of {city.label}", anchor=False)
    ui.how_to_read(tract_details.HOW_TO_READ_TRACTS)
    study = cache.study_tracts(city.id)
    ui.partial(lambda: explore(city, study))  # a click, outcome or scale switch reruns only this part


def explore(city: config.City, study) -> None:
    """The controls, the map and its legend, the tract details and the table."""
    metric_id, scale_id, basemap, own = controls(study, city)
    metric = config.METRICS[metric_id]
    if tract_details.no_estimates(study, metric_id):
        st.info(tract_details.no_estimates_text(metric_id, city))
        return
    shapes, scale = cache.quantized_tract_shapes(city.id), cache.tract_scale(metric_id, scale_id, city.id)
    shown = tract_map.mapped_tracts(study, shapes)
    map_column, legend_column = st.columns([3, 2])  # room for the legend's longest row whole
    with legend_column:
        st.markdown(f"**{metric.label}** ({metric.unit})")
        ui.colour_legend(scales.legend_table(study[metric_id], scale), "Range")
        st.caption(f"{tract_details.SCALE_HELP[scale_id]} The lowest and highest bins are open-ended.")
        if own is not None:
            ui.own_data_legend(own, shapes)
    st.caption(tract_details.ABOUT_TRACT_DATA)
    details = st.container()
    with map_column:  # a tract click reruns only the map and the details
        found = tract_search.search(city, metric_id)
        ui.partial(lambda: pick_tracts(city, study, metric_id, scale_id, basemap, own, shown, details, found),
                   name="map")
    show_table(metric_id, city, own)


def pick_tracts(city: config.City, study, metric_id: str, scale_id: str, basemap: bool, own, shown, details,
                found: list[str]) -> None:
    """The map, and in `details` (a container further down the page) the tracts selected on it."""
    selected = draw_map(city, study, metric_id, scale_id, basemap, own, shown, found)
    ui.share_extra(tracts=tuple(selected))
    with details:
        show_details(selected, metric_id, city, own)


main()
