"""Neighborhood map: the city's census tracts coloured by an outcome, tract details and the tract table.

The link fields' widget keys are declared in explorer.links (FIELDS); the map and its selection are drawn by
ui.tract_map_view, its finders by ui.tract_search. A partner's CSV stays in this session only.
"""
import streamlit as st

import ui
from ui import tract_map_view, tract_search  # the map and its finders (they import pandas: not in ui, which
# the home page loads)
from explorer import config, links
from explorer.data import cache
from explorer.i18n import _
from explorer.maps import own_layer, scales, tract_details, tract_map

PAGE = "neighborhoods"  # its id in explorer.registry
METRIC_KEY, SCALE_KEY, BASEMAP_KEY = links.widget_keys(PAGE, "metric", "scale", "basemap")
OWN_KEY = "map_own_data"


def controls(study, city: config.City) -> tuple[str, str, bool, own_layer.OwnData | None]:
    ui.keep_valid(METRIC_KEY, config.TRACT_METRICS)
    ui.keep_valid(SCALE_KEY, scales.SCALES)
    box = st.container(key="controls_maps")  # presentation mode hides it, the upload panel included
    left, middle, right = box.columns([2, 2, 1], vertical_alignment="bottom")
    metric_id = left.selectbox(_("Outcome"), config.TRACT_METRICS, key=METRIC_KEY, help=_(tract_details.OUTCOME_HELP),
                               format_func=lambda m: config.METRICS[m].label)
    scale_id = middle.radio(_("Colour scale"), list(scales.SCALES), key=SCALE_KEY, horizontal=True,
                            format_func=lambda s: _("Compared with the US") if s == "national" else _("Within this area"),
                            help=" ".join(_(text) for text in tract_details.SCALE_HELP.values()))
    basemap = right.toggle(_("Street map"), value=False, key=BASEMAP_KEY, help=_(tract_details.STREET_MAP_HELP))
    with box:
        own = ui.own_data_panel(set(study["tract"]), city.id, key=OWN_KEY)
    return metric_id, scale_id, basemap, own


def show_details(selected: list[str], metric_id: str, city: config.City, own) -> None:
    st.subheader(_("Tract details"), anchor=False)
    if not selected:
        st.caption(tract_details.details_how_to())
        return
    with st.container(key="controls_map_clear"):  # a control: presentation mode hides it
        st.button(_("Clear selection"), icon=":material/deselect:", key="map_clear",
                  on_click=tract_map_view.clear_selection,
                  help=_("Unselect every tract (or click a selected tract again to unselect it)."))
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
    st.subheader(_("All tracts in the area"), anchor=False)
    table = tract_details.with_own_data(cache.tract_table(city.id, metric_id), own)
    query = st.session_state.get(tract_search.SEARCH_KEY, "")
    if query.strip():
        st.caption(_("Showing the tracts that match the search above."))
    fmt = tract_details.TABLE_FORMATS.get(metric_id, "%.2f")
    column, help_text = tract_details.column, tract_details.table_help
    shown = table[table[column("id")].isin(cache.tract_matches(city.id, query))] if query.strip() else table
    st.dataframe(shown, hide_index=True, column_config={
        metric.label: st.column_config.NumberColumn(f"{metric.label} ({metric.unit})", format=fmt),
        column("pctile"): st.column_config.NumberColumn(format="%.1f", help=help_text("pctile")),
        column("tract"): st.column_config.TextColumn(width=ui.fitted_width(table, column("tract")),
                                                     help=help_text("tract")),
        column("id"): st.column_config.TextColumn(help=help_text("id"))})
    ui.csv_download(table, f"{city.id}_{metric_id}_tracts.csv", key="map_tracts_csv",
                    label=_("Download CSV (all tracts)"))


def main() -> None:
    city = ui.current_city()
    st.title(_("Neighborhoods of {city}").format(city=city.label), anchor=False)
    ui.how_to_read(_(tract_details.HOW_TO_READ_TRACTS), _("How to read this map"))
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
        ui.colour_legend(scales.legend_table(study[metric_id], scale), _("Range"), count_label=_("Tracts"))
        st.caption(" ".join([_(tract_details.SCALE_HELP[scale_id]), _("The lowest and highest bins are open-ended.")]))
        if own is not None:
            ui.own_data_legend(own, shapes)
    st.caption(tract_details.about_tract_data())
    details = st.container()
    with map_column:  # a tract click reruns only the map and the details
        found = tract_search.search(city, metric_id)
        ui.partial(lambda: pick_tracts(city, study, metric_id, scale_id, basemap, own, shown, details, found),
                   name="map")
    show_table(metric_id, city, own)


def pick_tracts(city: config.City, study, metric_id: str, scale_id: str, basemap: bool, own, shown, details,
                found: list[str]) -> None:
    """The map, and in `details` (a container further down the page) the tracts selected on it."""
    selected = tract_map_view.draw_map(city, study, metric_id, scale_id, basemap, own, shown, found)
    ui.share_extra(tracts=tuple(selected))
    with details:
        show_details(selected, metric_id, city, own)


main()
