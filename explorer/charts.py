"""Altair chart builders for the gap charts (pure: a table in, an Altair chart out; no Streamlit).

Conventions shared by every chart:
- each race keeps one colour everywhere (Okabe-Ito palette, safe for the common colour-vision
  deficiencies); "All races" is a dashed grey line so it never reads as a race;
- type is large enough for a projector (14 px labels, 15 px titles);
- every mark carries a tooltip; the parent percentile chosen on the page is a dashed rule;
- charts hold only the columns they draw, so the spec sent to the browser stays small.
Tables come from `explorer.gaps`; values there are already on the 0-100 scale.
Titles, axes, legends and tooltips are written in English and built in the reader's language (explorer.i18n):
a chart is built inside the language it is shown in (explorer.data.cache passes it).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from explorer import config, gaps
from explorer.i18n import N_, _, localized

# Okabe-Ito; "All races" is neutral dark grey (and dashed). Black children's vermillion and Native American
# children's sky blue differ in hue as well as lightness, so those two lines no longer read as two oranges;
# tests/test_colours.py checks every pair under simulated colour-vision deficiencies.
RACE_COLORS = {
    "pooled": "#595959", "white": "#0072B2", "black": "#D55E00",
    "hisp": "#009E73", "asian": "#CC79A7", "natam": "#56B4E9",
}
SELECTED_COLOR, OTHER_CITY_COLOR, BACKGROUND_COLOR, GUIDE_COLOR = "#000000", "#6E6E6E", "#BDBDBD", "#8C8C8C"
LABEL_SIZE, TITLE_SIZE = 14, 15
PARENTS_AXIS = gaps.PARENTS_PERCENTILE  # N_() texts: translated where a chart is built
GAP_AXIS = N_("Gap: white minus group (percentile points)")


PROJECTOR_SIZE = 20  # px: the least a projector's back row reads; titles a little larger
PROJECTOR_INK = "#1a1a1a"  # near black: the theme's light grey axis text fades on a projector
PROJECTOR_GROWTH = 1.25  # taller charts: the larger axis text needs room (a vertical title is cut at the plot's height)
PROJECTOR_CONFIG = {
    "axis": {"labelFontSize": PROJECTOR_SIZE, "titleFontSize": PROJECTOR_SIZE, "labelColor": PROJECTOR_INK,
             "titleColor": PROJECTOR_INK},
    "legend": {"labelFontSize": PROJECTOR_SIZE, "titleFontSize": PROJECTOR_SIZE + 2, "symbolSize": 220,
               "labelColor": PROJECTOR_INK, "titleColor": PROJECTOR_INK},
    "header": {"labelFontSize": PROJECTOR_SIZE, "titleFontSize": PROJECTOR_SIZE + 2, "labelColor": PROJECTOR_INK},
    "title": {"fontSize": PROJECTOR_SIZE + 4, "subtitleFontSize": PROJECTOR_SIZE, "color": PROJECTOR_INK},
    "text": {"fontSize": PROJECTOR_SIZE},
}


def _is_font_size(key: str, value) -> bool:
    return (key == "fontSize" or key.endswith("FontSize")) and isinstance(value, (int, float)) \
        and not isinstance(value, bool)


def _projector_copy(node):
    """A copy of a spec's dicts and lists (data frames and other values shared, not copied) in which every
    font size set anywhere (a text mark's, an axis's or a legend's own) is at least PROJECTOR_SIZE."""
    if isinstance(node, list):
        return [_projector_copy(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {key: max(value, PROJECTOR_SIZE) if _is_font_size(key, value) else _projector_copy(value)
            for key, value in node.items()}


def for_projector(spec) -> dict:
    """A Vega-Lite spec (or an Altair chart) with every axis, legend, title and label at least 20 px, for
    presentation mode; the original is left as it is (pages keep their specs cached)."""
    spec = spec if isinstance(spec, dict) else spec.to_dict()
    projected = _projector_copy(spec)
    config = dict(projected.get("config") or {})
    for part, sizes in PROJECTOR_CONFIG.items():
        config[part] = {**config.get(part, {}), **sizes}
    projected["config"] = config
    if isinstance(projected.get("height"), int):
        projected["height"] = round(projected["height"] * PROJECTOR_GROWTH)
    return projected


def race_color_scale(races: list[str]) -> alt.Scale:
    """Colour scale over race labels, each race in its fixed colour whatever else is drawn."""
    return alt.Scale(domain=[config.RACES[r] for r in races], range=[RACE_COLORS[r] for r in races])


def _finish(chart: alt.TopLevelMixin, height: int = 380) -> alt.TopLevelMixin:
    """Common size and type: readable on a projector, full width in the page."""
    return (chart.properties(height=height)
            .configure_axis(labelFontSize=LABEL_SIZE, titleFontSize=TITLE_SIZE, labelLimit=280)
            .configure_legend(labelFontSize=LABEL_SIZE, titleFontSize=TITLE_SIZE, orient="bottom",
                              labelLimit=300, symbolStrokeWidth=3)
            .configure_title(fontSize=TITLE_SIZE + 1, anchor="start")
            .configure_text(fontSize=LABEL_SIZE))


PCTILE_PARAM, PCTILE_LABEL_PARAM = "selected_pctile", "selected_pctile_label"


def _percentile_marker(pctile: int) -> alt.LayerChart:
    """The dashed rule and label at the parent percentile chosen with the page's slider.

    The percentile is a Vega-Lite parameter, so a page can move the rule in a cached spec with
    `set_percentile` instead of rebuilding the whole chart on every slider step.
    """
    value = alt.param(name=PCTILE_PARAM, value=pctile)
    label = alt.param(name=PCTILE_LABEL_PARAM, value=gaps.percentile_name(pctile))
    base = (alt.Chart(pd.DataFrame({"marker": [0]}))
            .transform_calculate(**{gaps.PARENT_PERCENTILE: PCTILE_PARAM, "text": PCTILE_LABEL_PARAM})
            .encode(x=f"{gaps.PARENT_PERCENTILE}:Q"))
    rule = base.mark_rule(color=SELECTED_COLOR, strokeDash=[5, 4], strokeWidth=1.5)
    near_right = f"{PCTILE_PARAM} >= 80"
    text = base.mark_text(align=alt.expr(f"{near_right} ? 'right' : 'left'"), dx=alt.expr(f"{near_right} ? -5 : 5"),
                          baseline="top", fontWeight="bold").encode(text="text:N", y=alt.value(4))
    return alt.layer(rule, text).add_params(value, label)


def set_percentile(spec: dict, pctile: int) -> dict:
    """A Vega-Lite spec (from `chart.to_dict()`) with its percentile rule moved to `pctile`.

    Returns a new top-level dict sharing everything but the parameters with `spec`, which is left
    unchanged (it may be a cached spec shared between sessions). Specs without the rule come back as is.
    """
    values = {PCTILE_PARAM: pctile, PCTILE_LABEL_PARAM: gaps.percentile_name(pctile)}
    if not any(param.get("name") in values for param in spec.get("params", [])):
        return spec
    params = [dict(param, value=values[param["name"]]) if param.get("name") in values else param
              for param in spec["params"]]
    return {**spec, "params": params}


def gradient_chart(curves: pd.DataFrame, metric: config.Metric, pctile: int, *, title: str | None = None,
                   y_domain: tuple[float, float] | None = None) -> alt.LayerChart:
    """Outcome against parents' income percentile, one line per race (a `gaps.gradient_table`).

    Hovering anywhere shows every race's value at that parent percentile; `y_domain` lets two
    panels (men and women) share one scale so that they can be compared by eye.
    """
    races = [r for r in config.RACES if r in set(curves["race"])]
    labels = [config.RACES[r] for r in races]
    x = alt.X(f"{gaps.PARENT_PERCENTILE}:Q", title=_(PARENTS_AXIS), scale=alt.Scale(domain=[1, 100], nice=False))
    y_scale = alt.Scale(domain=list(y_domain), nice=False) if y_domain else alt.Scale(zero=False)
    y = alt.Y("value:Q", title=_(gaps.reading_of(metric).value_title), scale=y_scale)
    color = alt.Color("group:N", title=None, scale=race_color_scale(races), sort=labels,
                      legend=alt.Legend(symbolType="stroke", symbolSize=400, columns=min(3, len(labels))))
    dash = alt.StrokeDash("group:N", title=None, sort=labels, scale=alt.Scale(
        domain=labels, range=[[6, 4] if r == "pooled" else [1, 0] for r in races]))
    base = alt.Chart(curves[[gaps.PARENT_PERCENTILE, "group", "value"]]).encode(x=x, y=y, color=color)
    lines = base.mark_line(strokeWidth=3).encode(strokeDash=dash)
    hover = alt.selection_point(name="hover", on="pointerover", nearest=True, empty=False,
                                fields=[gaps.PARENT_PERCENTILE], clear="pointerout")
    dots = base.mark_circle(size=70).encode(opacity=alt.when(hover).then(alt.value(1)).otherwise(alt.value(0)))
    tooltip = [alt.Tooltip(f"{gaps.PARENT_PERCENTILE}:Q", title=_("Parents' percentile")),
               *[alt.Tooltip(f"{label}:Q", format=".1f") for label in labels]]
    reader = (alt.Chart(curves[[gaps.PARENT_PERCENTILE, "group", "value"]])
              .transform_pivot("group", value="value", groupby=[gaps.PARENT_PERCENTILE])
              .mark_rule(color=GUIDE_COLOR, strokeWidth=8)
              .encode(x=x, opacity=alt.when(hover).then(alt.value(0.25)).otherwise(alt.value(0)), tooltip=tooltip)
              .add_params(hover))
    chart = alt.layer(lines, dots, reader, _percentile_marker(pctile))
    # heights include axes and legend (Streamlit fits the chart to the page width)
    return _finish(chart.properties(title=title) if title else chart, height=440 if title else 460)


def shared_domain(*curves: pd.DataFrame, pad: float = 2.0) -> tuple[float, float]:
    """One y range covering several panels, padded and clipped to 0-100."""
    values = pd.concat([c["value"] for c in curves])
    return (max(0.0, float(values.min()) - pad), min(100.0, float(values.max()) + pad))


def county_gap_chart(county_gaps: pd.DataFrame, group: str, national_gap: float) -> alt.LayerChart:
    """Gaps (white minus `group`) at p25 in each study county, 95% intervals, the US gap as a rule.

    `county_gaps` holds one comparison's rows of `gaps.county_gaps`. The selected city's counties
    are solid and listed first; counties with too few children keep their row with a note.
    """
    color = RACE_COLORS[group]
    order = list(dict.fromkeys(county_gaps["label"]))
    y = alt.Y("label:N", sort=order, title=None)
    opacity = alt.when(alt.datum.selected).then(alt.value(1.0)).otherwise(alt.value(0.4))
    columns = ["label", "city", "selected", "gap", "low", "high", "group_rank", "white_rank"]
    has_estimate = county_gaps["status"].map(gaps.estimated).astype(bool)
    estimated = county_gaps.loc[has_estimate, columns]
    tooltip = [alt.Tooltip("label:N", title=_("County")),
               alt.Tooltip("gap:Q", title=_("Gap (percentile points)"), format=".1f"),
               alt.Tooltip("low:Q", title=_("95% interval from"), format=".1f"),
               alt.Tooltip("high:Q", title=_("95% interval to"), format=".1f"),
               alt.Tooltip("group_rank:Q", title=_("{group} children's rank").format(group=gaps.race_word(group)),
                           format=".1f"),
               alt.Tooltip("white_rank:Q", title=_("White children's rank"), format=".1f")]
    base = alt.Chart(estimated).encode(y=y, opacity=opacity)
    intervals = base.mark_rule(color=color, strokeWidth=4).encode(x=alt.X("low:Q", title=_(GAP_AXIS)), x2="high:Q")
    points = base.mark_circle(color=color, size=150, stroke="white", strokeWidth=1).encode(
        x="gap:Q", tooltip=tooltip)
    missing = county_gaps.loc[~has_estimate, ["label", "status"]]
    notes = alt.Chart(missing).mark_text(align="left", fontStyle="italic", color=GUIDE_COLOR).encode(
        y=y, x=alt.datum(0), text="status:N")
    us_side, zero_side = ("left", "right") if national_gap >= 0 else ("right", "left")  # labels never collide
    us_text = _("US gap {gap}").format(gap=localized(f"{national_gap:.1f}"))
    reference = pd.DataFrame({"gap": [national_gap, 0.0], "text": [us_text, _("no gap")],
                              "align": [us_side, zero_side]})
    rules = alt.Chart(reference).encode(x="gap:Q")
    rule_marks = rules.mark_rule(color=SELECTED_COLOR, strokeDash=[6, 4]).encode(
        strokeOpacity=alt.when(alt.datum.gap == 0).then(alt.value(0.3)).otherwise(alt.value(1)),
        tooltip=[alt.Tooltip("text:N", title=_("Reference"))])
    rule_text = [rules.transform_filter(alt.datum.align == side).mark_text(
        align=side, dx=4 if side == "left" else -4, baseline="bottom", fontWeight="bold").encode(
        text="text:N", y=alt.value(-4)) for side in ("left", "right")]
    title = gaps.gap_name(group)
    return _finish(alt.layer(intervals, points, notes, rule_marks, *rule_text).properties(title=title),
                   height=90 + 36 * len(order))


def county_scatter_chart(scatter: pd.DataFrame) -> alt.LayerChart:
    """Black vs white household income rank at p25 in every county with both; the nine cities marked.

    Points below the 45-degree line are counties where Black children reach a lower rank than
    white children from families with the same income.
    """
    low = float(min(scatter["black"].min(), scatter["white"].min())) // 5 * 5
    high = -(-float(max(scatter["black"].max(), scatter["white"].max())) // 5) * 5
    groups = [_(group) for group in gaps.SCATTER_ORDER]
    axis_scale = alt.Scale(domain=[low, high], nice=False)
    x = alt.X("white:Q", title=_("White children's income rank"), scale=axis_scale)
    y = alt.Y("black:Q", title=_("Black children's income rank"), scale=axis_scale)
    legend_group = alt.Scale(domain=groups, range=[BACKGROUND_COLOR, OTHER_CITY_COLOR, SELECTED_COLOR])
    points = alt.Chart(scatter[["county", "city", "black", "white", "group"]]).mark_point(filled=True).encode(
        x=x, y=y, color=alt.Color("group:N", title=None, scale=legend_group, sort=groups),
        # one legend: colour, size, shape and opacity all follow the group
        size=alt.Size("group:N", title=None, sort=groups, scale=alt.Scale(domain=groups, range=[25, 90, 160])),
        shape=alt.Shape("group:N", title=None, sort=groups,
                        scale=alt.Scale(domain=groups, range=["circle", "circle", "diamond"])),
        opacity=alt.Opacity("group:N", title=None, sort=groups, scale=alt.Scale(domain=groups, range=[0.55, 1, 1])),
        tooltip=[alt.Tooltip("county:N", title=_("County")), alt.Tooltip("city:N", title=_("Study county of")),
                 alt.Tooltip("white:Q", title=_("White children's rank"), format=".1f"),
                 alt.Tooltip("black:Q", title=_("Black children's rank"), format=".1f")],
    )  # rows come sorted so that the nine cities are drawn on top
    diagonal = alt.Chart(pd.DataFrame({"white": [low, high], "black": [low, high]})).mark_line(
        color=GUIDE_COLOR, strokeDash=[6, 4]).encode(x=x, y=y)
    diagonal_text = alt.Chart(pd.DataFrame({"white": [high], "black": [high], "text": [_("equal ranks")]})).mark_text(
        align="right", dx=-4, dy=-8, color=GUIDE_COLOR, angle=0).encode(x=x, y=y, text="text:N")
    chosen = scatter["group"] == _(gaps.SELECTED_CITY)  # the other eight cities: colour, tooltips and the table
    cities = scatter.loc[chosen & (scatter["label"] != ""), ["white", "black", "label", "group"]].sort_values("black")
    cities = cities.assign(  # the county's short name ("Wayne") right of the crowd, with a leader line (the nine
        # cities' thirteen names stacked left of it crossed each other's lines, the diagonal and, on a phone, the axis)
        label_x=float(scatter["white"].quantile(0.99)) + (high - low) * 0.02,
        label_y=spread_positions(cities["black"].tolist(), (high - low) / 26))
    label_x = alt.X("label_x:Q", scale=axis_scale)
    leaders = alt.Chart(cities).mark_rule(color=GUIDE_COLOR, strokeWidth=1).encode(
        x=label_x, y=alt.Y("label_y:Q", scale=axis_scale), x2="white:Q", y2="black:Q")
    labels = alt.Chart(cities).mark_text(align="left", dx=3, fontWeight="bold", fontSize=LABEL_SIZE - 1).encode(
        x=label_x, y=alt.Y("label_y:Q", scale=axis_scale), text="label:N",
        color=alt.Color("group:N", title=None, scale=legend_group, sort=groups))  # one legend with the points
    return _finish(alt.layer(points, diagonal, diagonal_text, leaders, labels), height=520)


def spread_positions(values: list[float], min_gap: float) -> list[float]:
    """Label positions for sorted `values`, at least `min_gap` apart and centred on the values.

    Used to stack the nine cities' county names beside a crowded scatter without overlap.
    """
    positions: list[float] = []
    for value in values:
        positions.append(value if not positions else max(value, positions[-1] + min_gap))
    if positions:
        shift = (sum(positions) - sum(values)) / len(values)
        positions = [p - shift for p in positions]
    return positions


def mobility_chart(positions: pd.DataFrame, spread: dict[str, float], metric: config.Metric) -> alt.LayerChart:
    """The nine cities' counties on one 2014 mobility measure, over the middle half of US counties.

    The grey band runs from the 25th to the 75th percentile of all US counties with an estimate,
    the grey line is the median county (`gaps.national_spread`).
    """
    order = list(positions["label"])
    band = pd.DataFrame([spread])
    x_title = metric.label
    band_mark = alt.Chart(band).mark_rect(color=BACKGROUND_COLOR, opacity=0.45).encode(
        x=alt.X("low:Q", title=x_title, scale=alt.Scale(zero=False)), x2="high:Q",
        tooltip=[alt.Tooltip("low:Q", title=_("US counties, 25th percentile")),
                 alt.Tooltip("high:Q", title=_("US counties, 75th percentile"))])
    median = alt.Chart(band).mark_rule(color=GUIDE_COLOR, strokeWidth=2).encode(
        x="median:Q", tooltip=[alt.Tooltip("median:Q", title=_("Median US county"))])
    points = alt.Chart(positions[["label", "selected", "value", "below"]]).mark_circle(opacity=1).encode(
        x="value:Q", y=alt.Y("label:N", sort=order, title=None),
        color=alt.when(alt.datum.selected).then(alt.value(SELECTED_COLOR)).otherwise(alt.value(OTHER_CITY_COLOR)),
        size=alt.when(alt.datum.selected).then(alt.value(190)).otherwise(alt.value(110)),
        tooltip=[alt.Tooltip("label:N", title=_("County")), alt.Tooltip("value:Q", title=metric.label),
                 alt.Tooltip("below:Q", title=_("% of US counties lower"), format=".0f")])
    note_marks = alt.Chart(band.assign(text=_("middle half of US counties, line at the median"))).mark_text(
        align="center", baseline="bottom", color=GUIDE_COLOR).encode(x="median:Q", y=alt.value(-4), text="text:N")
    return _finish(alt.layer(band_mark, median, points, note_marks), height=80 + 32 * len(order))


def inline_datasets(spec: dict, max_rows: int = 100) -> dict:
    """A spec whose named datasets of at most `max_rows` rows are written into the views that use them.

    Altair collects every table into top-level `datasets`; Streamlit then converts each one to
    Arrow on every rerun, a fixed cost per table that dominates for the many tiny tables (a
    reference line, a label) of these charts. Inline values are sent as they are. Larger tables
    (curves, the 1,900-county scatter) stay named and go as Arrow, which is more compact.
    """
    small = {name: rows for name, rows in spec.get("datasets", {}).items() if len(rows) <= max_rows}
    if not small:
        return spec

    def rewrite(node):
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and data.get("name") in small and len(data) == 1:
                node = {**node, "data": {"values": small[data["name"]]}}
            return {key: rewrite(value) if key != "datasets" else value for key, value in node.items()}
        if isinstance(node, list):
            return [rewrite(item) for item in node]
        return node

    inlined = rewrite(spec)
    remaining = {name: rows for name, rows in spec["datasets"].items() if name not in small}
    if remaining:
        inlined["datasets"] = remaining
    else:
        inlined.pop("datasets")
    return inlined


def light_spec(chart: alt.TopLevelMixin, max_rows: int = 100) -> dict:
    """The chart as a Vega-Lite dict ready to cache and draw with `st.vega_lite_chart`.

    Tiny tables are inlined (`inline_datasets`); the remaining named tables become DataFrames,
    which Streamlit turns into Arrow several times faster than lists of records. The schema check is
    left to the tests (tests/test_charts.py validates every figure's charts): at run time it took
    two thirds of the time a gaps page's first visit to a city spent building its charts.
    """
    spec = inline_datasets(chart.to_dict(validate=False), max_rows)
    if "datasets" in spec:
        spec["datasets"] = {name: pd.DataFrame(rows) for name, rows in spec["datasets"].items()}
    return spec


# ---------------------------------------------------------------- figures: charts + table + note, ready for a page

@dataclass(frozen=True)
class Figure:
    """Charts shown side by side, the table behind them, and sentences said next to them."""
    charts: tuple
    table: pd.DataFrame
    note: str | None = None      # what the charts cannot show (missing estimates)
    summary: str | None = None   # a sentence of numbers computed from the same table


SPLIT_TITLES = {"male": N_("Sons"), "female": N_("Daughters")}  # translated where shown
CHILDREN_COLUMN = N_("Children")


def curves_figure(national: pd.DataFrame, outcome: str, genders: Sequence[str],
                  races: Sequence[str] = tuple(config.RACES), pctile: int = 25) -> Figure:
    """One outcome by parents' percentile: one chart, or one panel per gender on a shared scale."""
    metric = config.NATIONAL_OUTCOMES[outcome]
    curves = {g: gaps.gradient_table(national, metric, g, races) for g in genders}
    if len(genders) == 1:
        (gender,) = genders
        return Figure((gradient_chart(curves[gender], metric, pctile),), gaps.wide_table(curves[gender]),
                      gaps.missing_note(national, metric, gender, races))
    domain = shared_domain(*curves.values())
    panels = tuple(gradient_chart(curves[g], metric, pctile, title=_(SPLIT_TITLES[g]), y_domain=domain)
                   for g in genders)
    table = pd.concat([gaps.wide_table(curves[g]).assign(**{_(CHILDREN_COLUMN): _(SPLIT_TITLES[g])})
                       for g in genders])
    notes = [gaps.missing_note(national, metric, g, races) for g in genders]
    return Figure(panels, table, " ".join(n for n in notes if n) or None)


def county_figures(national: pd.DataFrame, counties: pd.DataFrame, study: pd.DataFrame) -> dict[str, Figure]:
    """The three county views for one selected city: gaps against the nation, all counties, 2014 mobility."""
    county_gaps = gaps.county_gaps(counties, study)
    us_gaps = {g: gaps.national_gap(national, g) for g in gaps.COMPARED_GROUPS}
    gap_panels = tuple(county_gap_chart(county_gaps[county_gaps["comparison"] == gaps.comparison_label(g)], g,
                                        us_gaps[g]) for g in gaps.COMPARED_GROUPS)
    against_us = " ".join(gaps.county_gap_sentence(county_gaps, g, us_gaps[g]) for g in gaps.COMPARED_GROUPS)
    scatter = gaps.county_scatter_table(counties, study)
    positions = {m: gaps.mobility_positions(counties, study, m) for m in gaps.MOBILITY_2014}
    mobility = tuple(mobility_chart(positions[m], gaps.national_spread(counties, m), config.METRICS[m])
                     for m in gaps.MOBILITY_2014)
    return {
        "counties": Figure(gap_panels, gaps.county_gap_table(county_gaps), gaps.too_few_note(county_gaps),
                           summary=against_us),
        "scatter": Figure((county_scatter_chart(scatter),), gaps.scatter_display_table(scatter),
                          summary=gaps.scatter_summary(counties)),
        "mobility": Figure(mobility, gaps.mobility_table(positions), summary=gaps.slope_sentence(counties)),
    }


Shown = tuple[list[dict], pd.DataFrame, "str | None", "str | None"]  # specs, table, note, summary


def shown(figure: "Figure") -> Shown:
    """What a page draws for a figure: light Vega-Lite specs, the table behind them, a note, a summary."""
    return [light_spec(chart) for chart in figure.charts], figure.table, figure.note, figure.summary
