"""Chart builders: the Vega-Lite specs they return (data values and encodings), not pixels."""
from __future__ import annotations

import copy
import math

import pandas as pd
import pytest

from explorer import charts, config, gaps
from explorer.data import store

KFR, KIR, JAIL = (config.NATIONAL_OUTCOMES[o] for o in ("kfr", "kir", "jail"))


def views(spec: dict, data: list | None = None) -> list[dict]:
    """Every leaf view of a spec as {mark, rows, encoding, transform, props}, inherited data resolved."""
    datasets = spec.get("datasets", {})

    def rows_of(node, inherited):
        source = node.get("data")
        if source is None:
            return inherited
        return source["values"] if "values" in source else datasets[source["name"]]

    def walk(node, inherited):
        rows = rows_of(node, inherited)
        if "layer" in node:
            return [leaf for child in node["layer"] for leaf in walk(child, rows)]
        mark = node["mark"]["type"] if isinstance(node["mark"], dict) else node["mark"]
        props = node["mark"] if isinstance(node["mark"], dict) else {}
        return [{"mark": mark, "rows": rows, "encoding": node.get("encoding", {}),
                 "transform": node.get("transform", []), "props": props}]

    return walk(spec, data)


def marks(spec: dict, mark: str) -> list[dict]:
    return [view for view in views(spec) if view["mark"] == mark]


def param(spec: dict, name: str):
    return next(p["value"] for p in spec["params"] if p["name"] == name)


@pytest.fixture(scope="module")
def national(processed_national) -> pd.DataFrame:
    return processed_national


@pytest.fixture(scope="module")
def counties(processed_counties) -> pd.DataFrame:
    return processed_counties


@pytest.fixture(scope="module")
def study() -> pd.DataFrame:
    return gaps.stack_study_counties({c: store.study_counties(c, config.PROCESSED_DIR) for c in config.CITIES},
                                     "new-orleans")


# ---------------------------------------------------------------- colours

def test_every_race_has_its_own_colour():
    assert set(charts.RACE_COLORS) == set(config.RACES)
    assert len(set(charts.RACE_COLORS.values())) == len(charts.RACE_COLORS)


@pytest.mark.parametrize("races", [["black", "white"], ["white", "black"], list(config.RACES), ["asian"]])
def test_race_colour_scale_keeps_each_race_colour(races):
    scale = charts.race_color_scale(races).to_dict()
    assert dict(zip(scale["domain"], scale["range"])) == {config.RACES[r]: charts.RACE_COLORS[r] for r in races}


# ---------------------------------------------------------------- parent percentile curves

def test_gradient_chart_spec(national):
    curves = gaps.gradient_table(national, KFR, "pooled")
    spec = charts.gradient_chart(curves, KFR, 25).to_dict()
    (line,) = marks(spec, "line")
    assert pd.DataFrame(line["rows"]).equals(curves[["par_pctile", "group", "value"]])
    assert line["encoding"]["x"]["field"] == "par_pctile" and line["encoding"]["y"]["field"] == "value"
    assert line["encoding"]["y"]["title"] == "Income rank (0 = poorest, 100 = richest)"
    color = line["encoding"]["color"]
    assert dict(zip(color["scale"]["domain"], color["scale"]["range"]))["Black"] == charts.RACE_COLORS["black"]
    dash_scale = line["encoding"]["strokeDash"]["scale"]
    dashes = dict(zip(dash_scale["domain"], dash_scale["range"]))
    assert dashes["All races"] != dashes["White"]  # "All races" is dashed so it never reads as a race
    # hover: a rule carrying every group's value at the pointer's parent percentile
    reader = next(v for v in marks(spec, "rule") if "tooltip" in v["encoding"])
    assert {t["field"] for t in reader["encoding"]["tooltip"]} == {"par_pctile", *config.RACES.values()}
    assert reader["transform"][0]["pivot"] == "group"
    # the selected percentile: a parameter moved by the page
    assert param(spec, charts.PCTILE_PARAM) == 25 and param(spec, charts.PCTILE_LABEL_PARAM) == "25th percentile"
    assert spec["config"]["axis"]["labelFontSize"] >= 14


def test_share_outcomes_read_as_percent(national):
    spec = charts.gradient_chart(gaps.gradient_table(national, JAIL, "male"), JAIL, 10).to_dict()
    (line,) = marks(spec, "line")
    assert line["encoding"]["y"]["title"] == "Percent of children"
    black_10 = next(r["value"] for r in line["rows"] if r["group"] == "Black" and r["par_pctile"] == 10)
    assert black_10 == pytest.approx(national.loc[national["par_pctile"] == 10, "jail_black_male"].item() * 100,
                                     abs=0.005)


@pytest.mark.parametrize("pctile, label", [(1, "1st percentile"), (25, "25th percentile"), (92, "92nd percentile")])
def test_set_percentile_moves_the_rule_without_touching_the_cached_spec(national, pctile, label):
    spec = charts.gradient_chart(gaps.gradient_table(national, KFR, "pooled"), KFR, 25).to_dict()
    original = copy.deepcopy(spec)
    moved = charts.set_percentile(spec, pctile)
    assert param(moved, charts.PCTILE_PARAM) == pctile and param(moved, charts.PCTILE_LABEL_PARAM) == label
    assert spec == original  # shared cached specs are never changed
    assert moved["datasets"] is spec["datasets"]  # and the data is not copied


def test_set_percentile_leaves_other_specs_alone():
    spec = {"mark": "point", "params": [{"name": "hover", "select": "point"}]}
    assert charts.set_percentile(spec, 40) is spec


def test_gender_panels_share_one_scale(national):
    figure = charts.curves_figure(national, "kir", ("male", "female"), ("black", "white"))
    specs = [chart.to_dict() for chart in figure.charts]
    domains = [marks(s, "line")[0]["encoding"]["y"]["scale"]["domain"] for s in specs]
    assert domains[0] == domains[1]
    assert [s["title"] for s in specs] == ["Sons", "Daughters"]
    assert set(figure.table["Children"]) == {"Sons", "Daughters"} and len(figure.table) == 200
    values = pd.concat([pd.DataFrame(marks(s, "line")[0]["rows"]) for s in specs])["value"]
    assert domains[0][0] <= values.min() and values.max() <= domains[0][1]


def test_curves_figure_notes_missing_groups(national):
    figure = charts.curves_figure(national, "jail", ("male", "female"))
    assert "No national estimate for Asian daughters." in figure.note
    groups = {r["group"] for r in marks(figure.charts[1].to_dict(), "line")[0]["rows"]}
    assert "Asian" not in groups and "Black" in groups


@pytest.mark.parametrize("curves, pad, expected", [
    ([pd.DataFrame({"value": [30.0, 50.0]})], 2.0, (28.0, 52.0)),
    ([pd.DataFrame({"value": [1.0]}), pd.DataFrame({"value": [99.5]})], 2.0, (0.0, 100.0)),
])
def test_shared_domain(curves, pad, expected):
    assert charts.shared_domain(*curves, pad=pad) == expected


# ---------------------------------------------------------------- county charts

def test_county_gap_chart_spec(national, counties, study, raw_national):
    table = gaps.county_gaps(counties, study)
    black = table[table["comparison"] == "Black-white"].copy()
    black.loc[black["county_fips"] == "40113", ["gap", "low", "high"]] = math.nan
    black.loc[black["county_fips"] == "40113", "status"] = "too few Black children to estimate"
    us_gap = gaps.national_gap(national, "black")
    spec = charts.county_gap_chart(black, "black", us_gap).to_dict()
    point = next(v for v in marks(spec, "circle"))
    assert len(point["rows"]) == 12  # Osage, suppressed here, is not drawn as a dot...
    orleans = next(r for r in point["rows"] if r["label"] == "Orleans Parish (New Orleans)")
    assert orleans["selected"] and orleans["gap"] == pytest.approx(
        black.loc[black["county_fips"] == "22071", "gap"].item())
    assert point["encoding"]["y"]["sort"][0] == "Orleans Parish (New Orleans)"  # selected city first
    interval = next(v for v in marks(spec, "rule") if "x2" in v["encoding"])
    assert (interval["encoding"]["x"]["field"], interval["encoding"]["x2"]["field"]) == ("low", "high")
    note = next(v for v in marks(spec, "text") if v["encoding"]["text"]["field"] == "status")
    assert note["rows"] == [{"label": "Osage County (Tulsa)", "status": "too few Black children to estimate"}]
    assert "Osage County (Tulsa)" in point["encoding"]["y"]["sort"]  # ...but keeps its row, labelled
    reference = next(v for v in marks(spec, "rule") if "tooltip" in v["encoding"])
    expected = (raw_national.loc[25, "kfr_white_pooled"] - raw_national.loc[25, "kfr_black_pooled"]) * 100
    assert reference["rows"][0]["gap"] == pytest.approx(expected)
    assert reference["rows"][0]["text"] == f"US gap {expected:.1f}"
    assert point["props"]["color"] == charts.RACE_COLORS["black"]  # the group's race colour, as in every chart


def test_scatter_spec_is_light_and_names_the_selected_citys_counties(counties, study):
    scatter = gaps.county_scatter_table(counties, study)
    spec = charts.county_scatter_chart(scatter).to_dict()
    (points,) = [v for v in marks(spec, "point")]
    assert len(points["rows"]) == len(scatter) > 1800
    assert set(points["rows"][0]) == {"county", "city", "black", "white", "group"}  # only what it draws
    assert {t["field"] for t in points["encoding"]["tooltip"]} == {"county", "city", "black", "white"}
    diagonal = marks(spec, "line")[0]["rows"]
    assert [(r["white"], r["black"]) for r in diagonal] == [(r["white"], r["white"]) for r in diagonal]
    labels = next(v for v in marks(spec, "text") if v["encoding"]["text"]["field"] == "label")
    # only the selected city's counties are named (the other eight: colour, tooltips and the table), right of
    # the crowd, so that no name crosses another's leader line, the diagonal or the axis
    assert [r["label"] for r in labels["rows"]] == ["Orleans"]
    whites = sorted(r["white"] for r in points["rows"])
    assert labels["rows"][0]["label_x"] > whites[len(whites) * 98 // 100]  # right of all but a few outliers
    tulsa = gaps.stack_study_counties({c: store.study_counties(c, config.PROCESSED_DIR) for c in config.CITIES}, "tulsa")
    rows = next(v for v in marks(charts.county_scatter_chart(gaps.county_scatter_table(counties, tulsa)).to_dict(), "text")
                if v["encoding"]["text"]["field"] == "label")["rows"]
    assert sorted(r["label"] for r in rows) == ["Osage", "Tulsa", "Wagoner"]
    ys = sorted(r["label_y"] for r in rows)
    assert min(b - a for a, b in zip(ys, ys[1:])) >= (diagonal[1]["white"] - diagonal[0]["white"]) / 26 - 1e-9


@pytest.mark.parametrize("values, gap, expected", [
    ([], 1.0, []),
    ([5.0], 1.0, [5.0]),
    ([1.0, 5.0, 9.0], 1.0, [1.0, 5.0, 9.0]),      # far apart: unchanged
    ([1.0, 1.0], 2.0, [0.0, 2.0]),                # pushed apart around their mean
    ([1.0, 1.5, 2.0], 1.0, [0.5, 1.5, 2.5]),
])
def test_spread_positions(values, gap, expected):
    assert charts.spread_positions(values, gap) == pytest.approx(expected)


def test_mobility_chart_spec(counties, study):
    metric_id = "relative_mobility_2014"
    positions = gaps.mobility_positions(counties, study, metric_id)
    spread = gaps.national_spread(counties, metric_id)
    spec = charts.mobility_chart(positions, spread, config.METRICS[metric_id]).to_dict()
    (band,) = marks(spec, "rect")
    assert (band["rows"][0]["low"], band["rows"][0]["high"]) == (spread["low"], spread["high"])
    (dots,) = marks(spec, "circle")
    assert [r["label"] for r in dots["rows"]] == list(positions["label"])
    assert [r["value"] for r in dots["rows"]] == list(positions["value"])
    assert dots["encoding"]["x"]["field"] == "value"


def test_county_figures(national, counties, study):
    figures = charts.county_figures(national, counties, study)
    assert set(figures) == {"counties", "scatter", "mobility"}
    assert len(figures["counties"].charts) == 2 and len(figures["mobility"].charts) == 2
    assert figures["counties"].note is None  # every study county has both estimates today
    assert figures["scatter"].summary.startswith("In ")
    assert figures["counties"].summary.startswith("Black-white gap at the 25th percentile")
    assert "in Orleans Parish (New Orleans)," in figures["counties"].summary  # the selected city's county
    assert " Hispanic-white gap at the 25th percentile" in figures["counties"].summary
    assert figures["mobility"].summary == gaps.slope_sentence(counties)


# ---------------------------------------------------------------- keeping specs light

@pytest.mark.parametrize("rows, limit, inlined", [(3, 1000, True), (1000, 1000, True), (1001, 1000, False)])
def test_inline_datasets(rows, limit, inlined):
    data = [{"x": i} for i in range(rows)]
    spec = {"layer": [{"data": {"name": "big"}, "mark": "point"}, {"data": {"name": "tiny"}, "mark": "rule"}],
            "datasets": {"big": data, "tiny": [{"x": 0}]}}
    out = charts.inline_datasets(spec, limit)
    assert out["layer"][1]["data"] == {"values": [{"x": 0}]}
    assert (out["layer"][0]["data"] == {"values": data}) is inlined
    assert ("datasets" in out) is not inlined
    assert spec["datasets"]["tiny"] == [{"x": 0}] and spec["layer"][1]["data"] == {"name": "tiny"}  # unchanged


@pytest.mark.parametrize("outcome, genders", [("kfr", ("pooled",)), ("jail", ("male", "female"))])
def test_light_spec_draws_the_same_data(national, outcome, genders):
    for chart in charts.curves_figure(national, outcome, genders).charts:
        before, light = chart.to_dict(), charts.light_spec(chart)
        assert [type(rows) for rows in light["datasets"].values()] == [pd.DataFrame]  # the curves, as a table
        light["datasets"] = {name: frame.to_dict("records") for name, frame in light["datasets"].items()}
        assert [v["rows"] for v in views(before)] == [v["rows"] for v in views(light)]
        assert light["params"] == before["params"]


def test_every_figure_s_charts_pass_the_vega_lite_schema(national, counties, study):
    """light_spec skips altair's schema check at run time; here every chart the pages draw is checked."""
    figures = [*charts.county_figures(national, counties, study).values(),
               *(charts.curves_figure(national, outcome, genders)
                 for outcome in config.NATIONAL_OUTCOMES for genders in (("pooled",), ("male", "female")))]
    checked = [chart.to_dict(validate=True) for figure in figures for chart in figure.charts]
    assert len(checked) >= 2 * len(config.NATIONAL_OUTCOMES) + 4
    assert all(spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/") for spec in checked)


def test_light_spec_inlines_every_small_table(national, counties, study):
    figures = charts.county_figures(national, counties, study)
    for chart in (*figures["counties"].charts, *figures["mobility"].charts):
        assert "datasets" not in charts.light_spec(chart)
    scatter = charts.light_spec(figures["scatter"].charts[0])
    (frame,) = scatter["datasets"].values()
    assert len(frame) > 1800 and list(frame.columns) == ["county", "city", "black", "white", "group"]


def _font_sizes(node) -> list[float]:
    if isinstance(node, list):
        return [size for item in node for size in _font_sizes(item)]
    if not isinstance(node, dict):
        return []
    return [value for key, value in node.items() if (key == "fontSize" or key.endswith("FontSize"))
            and isinstance(value, (int, float))] + [size for value in node.values() for size in _font_sizes(value)]


def test_for_projector_sets_every_font_size_to_at_least_20px_and_leaves_the_page_spec_alone(national):
    for chart in charts.curves_figure(national, "kir", ("male", "female"), ("black", "white")).charts:
        spec = chart if isinstance(chart, dict) else chart.to_dict()
        before = _font_sizes(spec)
        projected = charts.for_projector(chart)
        assert min(before) < charts.PROJECTOR_SIZE  # the screen's sizes are smaller, so this checks something
        assert min(_font_sizes(projected)) >= charts.PROJECTOR_SIZE
        assert projected["config"]["axis"]["labelFontSize"] == charts.PROJECTOR_SIZE
        assert _font_sizes(chart if isinstance(chart, dict) else chart.to_dict()) == before  # not changed in place
