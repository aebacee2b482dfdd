"""National county map: household income rank at p25 by race and gender, or the Black-white gap.

Its controls are all in the link (explorer.links: group, gender, basemap, with their widgets' keys).
"""
import pandas as pd
import streamlit as st

import ui
from explorer import config, links
from explorer.data import cache
from explorer.i18n import N_, _
from explorer.maps import county_map, scales, tract_details

GROUP_KEY, GENDER_KEY, BASEMAP_KEY = links.widget_keys("us-counties", "group", "gender", "basemap")

HOW_TO_READ = N_(
    "**How to read this map.** Each shape is a US county. For children who grew up there in "
    "low-income families (parents at the 25th percentile), the colour shows where they ended up on the "
    "national income ladder at about age 35 (0 = bottom, 100 = top): red and orange = lower, blue = "
    "higher. The colour bins are the same for every group, so switching from one group to another shows "
    "real differences. For the Black-white gap, red means white children ended up much higher than Black "
    "children from families with the same income. Grey: no estimate for that group (fewer than 20 "
    "children). The nine cities' counties are outlined in black; on a small screen, zoom in to see every "
    "city's name. Hover over or tap a county for the value and its 95% interval."
)
ABOUT = N_("Data: Opportunity Insights, county outcomes (children born 1978-83, household incomes "
         "measured in 2014-15). Ranks are national percentile ranks of household income.")


def controls() -> tuple[str, str, bool]:
    ui.keep_valid(GROUP_KEY, county_map.COUNTY_GROUPS)
    ui.keep_valid(GENDER_KEY, config.GENDERS)
    left, middle, right = st.container(key="controls_county_map").columns([3, 2, 1], vertical_alignment="bottom")
    group = left.selectbox(_("Children's group"), list(county_map.COUNTY_GROUPS), key=GROUP_KEY,
                           format_func=county_map.COUNTY_GROUPS.get)
    gender = middle.radio(_("Gender"), list(config.GENDERS), key=GENDER_KEY, horizontal=True,
                          format_func=config.GENDERS.get)
    basemap = right.toggle(_("Street map"), value=False, key=BASEMAP_KEY,
                           help=_("Needs an internet connection. Off: only our own layers are drawn."))
    return group, gender, basemap


def county_table(values: pd.DataFrame, metric: config.Metric) -> pd.DataFrame:
    names = cache.counties()[["county_fips", "county_name", "state_name"]]
    frame = names.merge(values, on="county_fips", how="left")
    shown = frame[["value", "low", "high"]] * metric.scale
    return pd.DataFrame({_("County FIPS"): frame["county_fips"], _("County"): frame["county_name"],
                         _("State"): frame["state_name"], metric.label: shown["value"],
                         _("95% interval low"): shown["low"], _("95% interval high"): shown["high"]})


def main() -> None:
    st.title(_("Upward mobility across the US, by county"), anchor=False)
    ui.how_to_read(_(HOW_TO_READ), _("How to read this map"))
    ui.partial(explore)  # a switch of group or gender reruns only this part


def explore() -> None:
    """The controls, the map and its legend, and the county table."""
    group, gender, basemap = controls()
    counties, metric = cache.counties(), county_map.county_metric(group)
    values, scale = county_map.county_values(counties, group, gender), county_map.county_scale(counties, group)
    map_column, legend_column = st.columns([5, 2])
    label = _("US county map of {outcome}").format(outcome=metric.label.lower())
    with map_column:
        if basemap:  # the street map needs pydeck's basemap (and the internet)
            st.pydeck_chart(cache.county_deck(group, gender, basemap), height=county_map.COUNTY_MAP_HEIGHT, alt=label)
            st.caption(_(tract_details.STREET_MAP_ON))  # the tiles load in the browser: the server cannot tell
        else:  # the app's own map: the shapes cross the wire once, a switch sends new colours only
            ui.area_map(cache.county_shapes(), cache.county_styling(group, gender), key="county_area_map",
                        height=county_map.COUNTY_MAP_HEIGHT, label=label)
    with legend_column:
        legend = scales.legend_table(values["value"], scale)
        legend.loc[legend.index[-1], "range"] = _("no estimate for this group")  # the last row: the grey one
        st.markdown(f"**{metric.label}** ({metric.unit})")
        ui.colour_legend(legend, _("Range"), count_label=_("Counties"))
        st.caption(_("Bins: seven equal-sized groups of {basis}.").format(basis=scale.basis))
    st.caption(_(ABOUT))
    ui.table_with_download(county_table(values, metric), f"county_{group}_{gender}.csv", key="county_map",
                           label=_("Show as table"))


main()
