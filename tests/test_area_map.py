"""The app's own map component: its spec builders (explorer.maps.area_map) with real values, and its build."""
from __future__ import annotations

import filecmp
import json
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from explorer import config, stats
from explorer.data import store
from explorer.maps import area_map, county_map, deckgl, own_layer, scales, tract_map

DATA = config.processed_dir()
RAW_INCOME = "Household_Income_at_Age_35_rP_gP_p25"
INCOME = "household_income_p25"
BUILD = config.ROOT / "frontend" / "area_map" / "build"


def detroit(city_only: bool = False):
    study = store.study_tracts("detroit", DATA)
    shapes = deckgl.quantize_shapes(store.tract_geometries("detroit", DATA))
    outlines = [store.outline("county", f, DATA) for f in store.study_counties("detroit", DATA)["county_fips"]]
    shown = tract_map.mapped_tracts(study, shapes)
    return shown, shapes, area_map.tract_shapes("detroit", shown, shapes, store.outline("city", "detroit", DATA),
                                                outlines, city_only)


@pytest.fixture(scope="module")
def county_parts():
    counties = store.read_table("counties", DATA)
    study = pd.concat([store.study_counties(c, DATA) for c in config.CITIES])[["city_id", "county_fips", "is_main"]]
    shapes = area_map.county_shapes(store.read_table("national_counties", DATA),
                                    store.national_county_geometries(DATA), study)
    return counties, shapes


def test_tract_shapes_hold_every_drawn_tract_once_with_its_name():
    shown, quantized, shapes = detroit()
    assert shapes.key == "tracts:detroit" and len(shapes.ids) == len(shown) == 609
    payload = shapes.payload
    assert payload["ids"][0] == "26163500100" and payload["fields"]["n"][0] == "Regent Park, Detroit - tract 5001"
    assert payload["polygons"][0] == quantized.geometries["26163500100"]
    assert payload["origin"] == list(quantized.origin) and payload["unit"] == deckgl.UNIT
    west, south, east, north = payload["bounds"]
    assert west <= quantized.bounds[0] and east >= quantized.bounds[2] and south < north
    assert [len(group["geometries"]) for group in payload["lines"]] == [1, 1]  # Wayne's outline, the city's
    json.dumps(payload)  # plain JSON, as the component receives it


def test_the_profile_map_holds_the_city_tracts_framed_on_the_city():
    shown, _, whole = detroit()
    _, _, city = detroit(city_only=True)
    assert city.key == "city-tracts:detroit"
    assert set(city.ids) == set(shown.loc[shown["in_city"], "tract"]) and len(city.ids) < len(whole.ids)
    assert city.payload["bounds"] == list(deckgl.bounds([store.outline("city", "detroit", DATA)]))


def test_tract_styling_carries_the_raw_value_bin_and_percentile(raw_tracts):
    shown, quantized, _ = detroit()
    scale = scales.tract_scale(INCOME, "national", store.read_table("tracts", DATA), shown)
    styling = area_map.tract_styling(shown, INCOME, scale)
    index = shown.index[shown["tract"] == "26163500100"][0]
    raw_value = raw_tracts.loc["26163500100", RAW_INCOME]
    breaks = np.round(np.quantile(raw_tracts[RAW_INCOME].dropna(), np.arange(1, 7) / 7) / 100) * 100
    assert styling["fields"]["v"][index] == f"${raw_value:,.0f}"
    assert styling["bins"][index] == int(np.searchsorted(breaks, raw_value, side="right"))
    assert styling["fields"]["p"][index] == f"{shown.loc[index, INCOME + '_pctile']:.0f}"
    assert styling["tooltip"] == ["{n}", "Household income at about age 35: {v}",
                                  "National percentile: {p} (of all US tracts)"]
    missing = shown.index[shown[INCOME].isna()]
    assert all(styling["bins"][i] == len(scale.colours) for i in missing)  # grey, the palette's last row
    assert len(styling["palette"]) == len(scale.colours) + 1 and styling["points"] is None


def test_an_upload_goes_into_the_tooltip_as_plain_text():
    shown, quantized, _ = detroit()
    scale = scales.tract_scale(INCOME, "national", store.read_table("tracts", DATA), shown)
    frame = pd.DataFrame({"tract": ["26163500100", "26163500200"], "<b>sites</b>": [3.0, np.nan]})
    own = own_layer.OwnData("tracts", frame, "<b>sites</b>")
    styling = area_map.tract_styling(shown, INCOME, scale, own, quantized)
    assert styling["tooltip"][-1] == "Your data, <b>sites</b>: {u}"  # shown as text by the component
    assert styling["fields"]["u"][:3] == ["3", own_layer.OWN_DATA_MISSING, own_layer.OWN_DATA_ABSENT]
    assert len(styling["points"]["positions"]) == 2
    assert styling["points"]["texts"] is None  # tract circles: the tract's own tooltip carries the value


def test_a_places_file_sends_each_dot_s_name_as_text():
    shown, quantized, _ = detroit()
    scale = scales.tract_scale(INCOME, "national", store.read_table("tracts", DATA), shown)
    frame = pd.DataFrame({"latitude": [42.3314], "longitude": [-83.0458], "label": ["<i>Clinic</i>"], "n": [2.0]})
    styling = area_map.tract_styling(shown, INCOME, scale, own_layer.OwnData("points", frame, "n"), quantized)
    assert styling["points"]["texts"] == ["<i>Clinic</i>\nn: 2"]
    source = (config.ROOT / "frontend" / "area_map" / "src" / "index.js").read_text()
    assert "pickable: Boolean(points.texts)" in source and "{text: String(texts[info.index])" in source


def test_county_shapes_and_a_switch_carry_wayne_county_s_value_and_interval(raw_counties, county_parts):
    counties, shapes = county_parts
    assert shapes.key == "counties:us" and len(shapes.ids) == 3230
    index = shapes.ids.index("26163")
    assert shapes.payload["fields"]["n"][index] == "Wayne County, Michigan"
    styling = area_map.county_styling(counties, shapes.ids, "pooled", "pooled")
    raw = raw_counties.loc["26163"]
    low, high = stats.interval95(raw["kfr_pooled_pooled_p25"], raw["kfr_pooled_pooled_p25_se"])
    assert styling["fields"]["v"][index] == f"{raw['kfr_pooled_pooled_p25'] * 100:.1f}"
    assert styling["fields"]["i"][index] == f"{low * 100:.1f} to {high * 100:.1f}"
    assert len(styling["bins"]) == len(shapes.ids)


def test_a_county_switch_is_a_small_fraction_of_the_shapes(county_parts):
    """What a group or gender switch sends (bins and tooltip values) against the shapes sent once."""
    counties, shapes = county_parts
    switch = json.dumps(area_map.county_styling(counties, shapes.ids, "black", "male"), separators=(",", ":"))
    once = json.dumps(shapes.payload, separators=(",", ":"))
    assert len(switch) < len(once) / 5


def test_the_black_white_gap_is_white_minus_black(raw_counties, county_parts):
    counties, shapes = county_parts
    styling = area_map.county_styling(counties, shapes.ids, county_map.BLACK_WHITE_GAP, "pooled")
    raw = raw_counties.loc["26163"]
    gap = (raw["kfr_white_pooled_p25"] - raw["kfr_black_pooled_p25"]) * 100
    assert styling["fields"]["v"][shapes.ids.index("26163")] == f"{gap:+.1f} points"


@pytest.mark.skipif(shutil.which("node") is None or not (config.ROOT / "node_modules" / "esbuild").exists(),
                    reason="needs Node.js and `npm ci` (make test runs it when npm is present)")
def test_the_committed_build_is_the_build_of_the_committed_source(tmp_path):
    """frontend/area_map/build is committed so the app runs without Node; it must be exactly what the
    source and the pinned packages build to."""
    subprocess.run(["node", str(config.ROOT / "frontend" / "area_map" / "build.mjs"), str(tmp_path)],
                   check=True, capture_output=True, timeout=120, cwd=config.ROOT)
    comparison = filecmp.dircmp(BUILD, tmp_path)
    assert sorted(comparison.left_list) == sorted(comparison.right_list)
    assert not comparison.diff_files and not filecmp.cmpfiles(BUILD, tmp_path, comparison.common_files,
                                                                 shallow=False)[1]
