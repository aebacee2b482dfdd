"""AppTest of the neighborhood map and the US county map pages, through app.py."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from explorer import config, maps, store
from tests.conftest import app_test

MAPS_PAGE, COUNTY_PAGE = "pages/maps.py", "pages/county_map.py"
RAW_INCOME = "Household_Income_at_Age_35_rP_gP_p25"


def open_page(page: str, city: str = "detroit"):
    at = app_test()
    at.session_state["city"] = city
    at.switch_page(page)
    at.run()
    assert not at.exception
    return at


def tract_map_spec(at) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def select(at, indices: list[int]):
    """Click tracts: send the selection the browser would send for these feature indices.

    The pydeck selection state is read-only in session state, so it goes in as a widget value,
    as the frontend does (AppTest has no pydeck element API).
    """
    chart = at.get("deck_gl_json_chart")[0]
    features = next(layer for layer in json.loads(chart.proto.json)["layers"]
                    if layer["id"] == maps.TRACT_LAYER_ID)["data"]
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = chart.proto.id
    state.string_value = json.dumps({"selection": {"indices": {maps.TRACT_LAYER_ID: indices},
                                                   "objects": {maps.TRACT_LAYER_ID: [features[i] for i in indices]}}})
    at._run(states)
    assert not at.exception
    return at


@pytest.mark.parametrize("city_id", list(config.CITIES))
def test_map_renders_every_metric_and_scale(city_id):
    at = open_page(MAPS_PAGE, city_id)
    study = store.study_tracts(city_id, config.processed_dir())
    for metric_id in config.TRACT_METRICS:
        for scale_id in ("national", "within"):
            at.selectbox(key="map_metric").set_value(metric_id)
            at.radio(key="map_scale").set_value(scale_id).run()
            assert not at.exception
            tracts = next(layer for layer in tract_map_spec(at)["layers"] if layer["id"] == maps.TRACT_LAYER_ID)
            assert len(tracts["data"]) == len(study)
            legend = at.dataframe[0].value  # the legend: one row per bin + the grey no-estimate row
            assert legend.iloc[:, 1].sum() == len(study)
            assert legend.iloc[-1, 2] == "no estimate (fewer than 20 children)"
            assert legend.iloc[-1, 1] == study[metric_id].isna().sum()


def test_tract_table_and_search(raw_tracts):
    at = open_page(MAPS_PAGE, "detroit")
    table = at.dataframe[-1].value
    assert len(table) == 609
    row = table.set_index("Tract ID").loc["26163500100"]
    assert row["Household income at about age 35"] == raw_tracts.loc["26163500100", RAW_INCOME]
    at.text_input(key="map_tract_search").input("5001").run()
    assert not at.exception
    assert at.dataframe[-1].value["Tract"].tolist() == ["5001"]
    assert any(button.proto.label.startswith("Download CSV") for button in at.get("download_button"))


def test_selecting_tracts_shows_details_side_by_side(raw_tracts):
    at = open_page(MAPS_PAGE, "detroit")
    select(at, [0, 1])
    text = " ".join(m.value for m in at.markdown)
    assert "Tract 5001, Wayne County" in text and "Tract 5002, Wayne County" in text
    details = [frame.value for frame in at.dataframe if "Median over" in frame.value.columns]
    assert len(details) == 2
    first = details[0].set_index("Place")
    value = raw_tracts.loc["26163500100", RAW_INCOME]
    assert first.loc["This tract"].iloc[0] == f"${value:,.0f}, lower than 96% of US tracts"
    income = raw_tracts[RAW_INCOME].dropna()
    assert first.loc["United States (median)"].iloc[0] == f"${income.median():,.0f}"
    selected = next(layer for layer in tract_map_spec(at)["layers"] if layer["id"] == "selected_tracts")
    assert len(selected["data"]) == 2


def test_a_stale_selection_from_another_city_is_ignored():
    at = open_page(MAPS_PAGE, "detroit")
    select(at, [0])
    at.session_state["city"] = "racine"
    at.run()
    assert not at.exception
    assert not [frame for frame in at.dataframe if "Median over" in frame.value.columns]


def test_city_without_estimates_says_so(tmp_path, monkeypatch):
    """A study area whose tracts all lack the metric gets a sentence, not an empty map."""
    data_dir = tmp_path / "processed"
    shutil.copytree(config.processed_dir(), data_dir)
    tracts = pd.read_parquet(data_dir / "tracts.parquet")
    racine = tracts["county_fips"] == "55101"
    tracts.loc[racine, ["top20_p25", "top20_p25_pctile"]] = np.nan
    tracts.to_parquet(data_dir / "tracts.parquet")
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(data_dir))
    at = open_page(MAPS_PAGE, "racine")
    at.selectbox(key="map_metric").set_value("top20_p25").run()
    assert not at.exception
    assert any("publishes no tract estimates" in info.value for info in at.info)
    assert not at.get("deck_gl_json_chart")


@pytest.mark.parametrize("group, gender", [("pooled", "pooled"), ("black", "female"), (maps.BLACK_WHITE_GAP, "male")])
def test_county_map_renders_each_group(group, gender, raw_counties):
    at = open_page(COUNTY_PAGE)
    at.selectbox(key="county_group").set_value(group)
    at.radio(key="county_gender").set_value(gender).run()
    assert not at.exception
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    counties = next(layer for layer in spec["layers"] if layer["id"] == "counties")["data"]
    assert len(counties) == 3230
    legend = at.dataframe[0].value
    race = "white" if group == maps.BLACK_WHITE_GAP else group
    column = f"kfr_{race}_{gender}_p25"
    if group == maps.BLACK_WHITE_GAP:
        missing = (raw_counties[column].isna() | raw_counties[f"kfr_black_{gender}_p25"].isna()).sum()
    else:
        missing = raw_counties[column].isna().sum()
    assert legend.iloc[-1, 1] == missing
