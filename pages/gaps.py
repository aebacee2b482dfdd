"""Race and class gaps: national curves by race and gender, and the nine cities' county gaps.

Its controls are in the link (explorer.links: outcome, gender, pctile, with their widgets' keys); each
chart's "Show as table" toggle and downloads are keyed by the chart (gap_<chart>...).

Charts are built by explorer.charts (Altair) once per outcome, gender or city and kept as
Vega-Lite specs; moving the percentile slider only moves the dashed rule in those specs.
"""
import pandas as pd
import streamlit as st

import ui
from explorer import charts, config, gaps, links
from explorer.data import cache
from explorer.i18n import _

PAGE = "race-class-gaps"  # its id in explorer.registry
OUTCOME_KEY, GENDER_KEY, PCTILE_KEY = links.widget_keys(PAGE, "outcome", "gender", "pctile")
OUTCOMES = config.NATIONAL_OUTCOMES
SPLIT = ("male", "female")
def show(shown: charts.Shown, key: str, pctile: int, side_by_side: bool = True, *, title: str, metrics: tuple,
         fixed: dict | None = None) -> None:
    """Charts (side by side, or one under another when their labels need the width), the
    plain-language caption, any missing-data note, the table and its CSV download. `title`, `metrics` and
    `fixed` (what the section shows whatever the controls say) go onto the exported images."""
    specs, table, note, summary = shown
    if summary:
        st.markdown(summary)
    places = st.columns(len(specs)) if side_by_side else [st.container() for _ in specs]
    context = ui.chart_context(PAGE, title, *metrics, **(fixed or {}))  # one per section: its charts share it
    for number, (place, spec) in enumerate(zip(places, specs), start=1):
        shown_spec = charts.set_percentile(spec, pctile)
        ui.chart(shown_spec, place)
        with place:
            ui.chart_downloads(shown_spec, f"{key}-gaps-{number}", key=f"gap_{key}_{number}",
                               context=context)
    st.caption(_(gaps.HOW_TO_READ[key]))
    if note:
        st.info(note, icon=":material/info:")
    ui.table_with_download(table, f"{key}-gaps.csv", key=f"gap_{key}")


def sentences(national: pd.DataFrame, outcome: str, genders, groups, pctile: int, bold: bool = False) -> None:
    for gender in genders:
        for group in groups:
            sentence = gaps.gap_sentence(national, OUTCOMES[outcome], gender, pctile, group)
            st.markdown(f"**{sentence}**" if bold else sentence)


def main() -> None:
    city = ui.current_city()
    national = cache.national_percentiles()
    st.title(_("Race and class gaps"), anchor=False)
    ui.how_to_read(_(gaps.INTRO), _("What these charts show"))

    ui.keep_valid(OUTCOME_KEY, OUTCOMES)
    ui.keep_valid(GENDER_KEY, config.GENDERS)
    ui.keep_valid(PCTILE_KEY, range(1, 101))
    left, middle, right = st.container(key="controls_gaps").columns([3, 3, 4])
    outcome = left.selectbox(_("Outcome"), list(OUTCOMES), key=OUTCOME_KEY, format_func=lambda o: OUTCOMES[o].label)
    gender = middle.radio(_("Children"), list(config.GENDERS), key=GENDER_KEY, horizontal=True,
                          format_func=config.GENDERS.get)
    pctile = right.slider(_("Parents' income percentile"), 1, 100, 25, key=PCTILE_KEY,
                          help=_("1 = the poorest families in the US, 100 = the richest."))

    title = _("{outcome}, by parents' income and race").format(outcome=OUTCOMES[outcome].label)
    st.header(title, anchor=False)
    sentences(national, outcome, (gender,), gaps.COMPARED_GROUPS, pctile, bold=True)
    st.caption(_(gaps.ROUNDING_NOTE))
    show(cache.gap_curves(outcome, (gender,), tuple(config.RACES)), "gradient", pctile, title=title,
         metrics=(OUTCOMES[outcome],))

    title = _("Own income: Black and white sons and daughters")
    st.header(title, anchor=False)
    sentences(national, "kir", SPLIT, ("black",), pctile)
    show(cache.gap_curves("kir", SPLIT, ("black", "white")), "gender", pctile, title=title,
         metrics=(OUTCOMES["kir"],), fixed={"outcome": "kir", "gender": "pooled"})

    title = _("In prison or jail, by race and gender")
    st.header(title, anchor=False)
    sentences(national, "jail", SPLIT, ("black",), pctile)
    show(cache.gap_curves("jail", SPLIT, tuple(config.RACES)), "jail", pctile, title=title,
         metrics=(OUTCOMES["jail"],), fixed={"outcome": "jail", "gender": "pooled"})

    views = cache.gap_county_views(city.id)
    county_rank = config.METRICS["income_rank_p25"]
    title = _("{city} and the other cities against the nation").format(city=city.name)
    st.header(title, anchor=False)
    at_p25 = {"outcome": "kfr", "gender": "pooled", "pctile": 25}  # the county file's numbers
    show(views["counties"], "counties", pctile, side_by_side=False, title=title, metrics=(county_rank,), fixed=at_p25)
    title = _("Black and white children in every US county")
    st.header(title, anchor=False)
    show(views["scatter"], "scatter", pctile, title=title, metrics=(county_rank,), fixed=at_p25)
    title = _("The class gradient in each county (2014 study)")
    st.header(title, anchor=False)
    show(views["mobility"], "mobility", pctile, side_by_side=False, title=title,
         metrics=(config.METRICS["absolute_mobility_2014"],))

main()
