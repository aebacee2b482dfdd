"""AppTest of the neighborhood map and the US county map pages, through app.py."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

import ui
from explorer import config
from explorer.data import store
from explorer.maps import county_map, deckgl, own_layer, tract_details, tract_map
from explorer.plain import literal
from harness.apptest import app_test
from tests import conftest

MAPS_PAGE, COUNTY_PAGE = "pages/maps.py", "pages/county_map.py"
RAW_INCOME = "Household_Income_at_Age_35_rP_gP_p25"


def open_page(page: str, city: str = "detroit"):
    """The page with app.py's frame around it, for `city` (tests.conftest.open_page)."""
    at = conftest.open_page(page, city=city)
    assert not at.exception
    return at


def map_spec(at) -> dict:
    """What the page sent the map component (explorer.maps.area_map's shapes and styling, see ui.area_map)."""
    return json.loads(at.get("component_instance")[0].proto.json_args)["spec"]


def shown_ids(city_id: str = "detroit") -> list[str]:
    """The map's feature ids in drawing order (tract_map.mapped_tracts), computed from the processed data."""
    study = store.study_tracts(city_id, config.processed_dir())
    shapes = deckgl.quantize_shapes(store.tract_geometries(city_id, config.processed_dir()))
    return tract_map.mapped_tracts(study, shapes)["tract"].tolist()


def select(at, indices: list[int], city_id: str = "detroit", styled: str | None = None):
    """Click tracts: send the value the map component sends after these clicks (the shapes it holds, the
    ids picked, in order, and the styling version it holds), as the browser does (AppTest has no API
    for a component's value)."""
    chart = at.get("component_instance")[0]
    ids = shown_ids(city_id)
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = chart.proto.id
    state.json_value = json.dumps({"have": f"tracts:{city_id}", "selected": [ids[i] for i in indices],
                                   "styled": styled})
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
            spec = map_spec(at)
            assert len(spec["bins"]) == len(study) == len(spec["shapes"]["ids"])
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
    assert row["Tract"] == "Regent Park, Detroit - tract 5001"
    at.text_input(key="map_tract_search").input("5001").run()
    assert not at.exception
    assert at.dataframe[-1].value["Tract"].tolist() == ["Regent Park, Detroit - tract 5001"]
    assert any(button.proto.label.startswith("Download CSV") for button in at.get("download_button"))


def test_the_search_outlines_matches_and_a_pick_selects_it_for_the_details(raw_tracts):
    """'brightmoor': the five Brightmoor tracts (raw labels) outlined on the map, listed, the table narrowed;
    picking two selects them on the map and shows their details, without a new map frame."""
    at = open_page(MAPS_PAGE, "detroit")
    at.text_input(key="map_tract_search").input("BRIGHT-moor").run()
    brightmoor = sorted(t for t, name in raw_tracts["Name"].dropna().items() if name == "Brightmoor, Detroit, MI")
    assert len(brightmoor) == 5
    assert sorted(map_spec(at)["highlight"]) == brightmoor and map_spec(at)["selected"] == []
    pills = at.button_group(key="map_found")
    assert pills.label.startswith("5 tracts match, outlined in blue on the map.")
    assert set(at.dataframe[-1].value["Tract ID"]) == set(brightmoor)
    pills.set_value(brightmoor[:2]).run()
    assert not at.exception
    assert map_spec(at)["selected"] == brightmoor[:2] and map_spec(at)["selection_from"] == "server"
    text = " ".join(m.value for m in at.markdown)
    assert text.count("**Brightmoor, Detroit - tract ") == 2


def test_a_search_that_matches_nothing_says_so_as_plain_text():
    at = open_page(MAPS_PAGE, "detroit")
    at.text_input(key="map_tract_search").input("*zz*[x](y)").run()
    assert not at.exception and "highlight" in map_spec(at) and map_spec(at)["highlight"] == []
    assert at.caption[0].value.startswith('Nothing in this area matches "\\*zz\\*\\[x\\]\\(y\\)"')  # shown as typed



def test_selecting_tracts_shows_details_side_by_side(raw_tracts):
    at = open_page(MAPS_PAGE, "detroit")
    select(at, [0, 1])
    text = " ".join(m.value for m in at.markdown)
    assert "Regent Park, Detroit - tract 5001" in text and "Regent Park, Detroit - tract 5002" in text
    details = [frame.value for frame in at.dataframe if "Median over" in frame.value.columns]
    assert len(details) == 2
    first = details[0].set_index("Place")
    value = raw_tracts.loc["26163500100", RAW_INCOME]
    assert first.loc["This tract"].iloc[0] == f"${value:,.0f}, lower than 96% of US tracts"
    income = raw_tracts[RAW_INCOME].dropna()
    assert first.loc["United States (median)"].iloc[0] == f"${income.median():,.0f}"
    assert map_spec(at)["selected"] == ["26163500100", "26163500200"]  # outlined on the map


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
    assert not at.get("deck_gl_json_chart") and not at.get("component_instance")


@pytest.mark.parametrize("group, gender", [("pooled", "pooled"), ("black", "female"), (county_map.BLACK_WHITE_GAP, "male")])
def test_county_map_renders_each_group(group, gender, raw_counties):
    at = open_page(COUNTY_PAGE)
    at.selectbox(key="county_group").set_value(group)
    at.radio(key="county_gender").set_value(gender).run()
    assert not at.exception
    spec = map_spec(at)
    assert len(spec["bins"]) == len(spec["shapes"]["ids"]) == 3230
    legend = at.dataframe[0].value
    race = "white" if group == county_map.BLACK_WHITE_GAP else group
    column = f"kfr_{race}_{gender}_p25"
    if group == county_map.BLACK_WHITE_GAP:
        missing = (raw_counties[column].isna() | raw_counties[f"kfr_black_{gender}_p25"].isna()).sum()
    else:
        missing = raw_counties[column].isna().sum()
    assert legend.iloc[-1, 1] == missing


@pytest.mark.parametrize("page, key", [(MAPS_PAGE, "map_basemap"), (COUNTY_PAGE, "county_basemap")])
def test_the_street_map_says_it_needs_the_internet_only_when_on(page, key):
    at = open_page(page)
    assert tract_details.STREET_MAP_ON not in [c.value for c in at.caption]
    at.toggle(key=key).set_value(True).run()
    assert not at.exception and at.get("deck_gl_json_chart")
    assert tract_details.STREET_MAP_ON in [c.value for c in at.caption]
    assert "internet connection" in tract_details.STREET_MAP_ON and "own layers" in tract_details.STREET_MAP_ON


# --- a partner's own data on the neighborhood map (in this session only) ---------------------------

OWN_FILE = (b"GEOID,<img src=x onerror=alert(1)>,share\n"
            b"26163500100,12,0.5\n26163500200,30,\n26163500300,7,0.25\n")


def upload_own_data(at, raw: bytes = OWN_FILE):
    at.file_uploader(key="map_own_data").upload("partner.csv", raw, "text/csv").run()
    assert not at.exception
    return at


def test_an_uploaded_tract_file_is_a_layer_with_its_legend_tooltip_and_table(raw_tracts):
    at = upload_own_data(open_page(MAPS_PAGE, "detroit"))
    spec = map_spec(at)
    assert len(spec["points"]["positions"]) == 3
    labels = dict(zip(spec["shapes"]["fields"]["n"], spec["fields"]["u"]))
    assert [labels[f"Regent Park, Detroit - tract {n}"] for n in (5001, 5002)] == ["12", "30"]
    assert [labels[f"Detroit, Wayne County - tract {n}"] for n in (5003, 5004)] == ["7", "-"]
    assert "Your data, <img src=x onerror=alert(1)>: {u}" in spec["tooltip"]  # the component shows it as text
    assert "**Your data:** \\<img src\\=x onerror\\=alert\\(1\\)\\>" in [m.value for m in at.markdown]
    assert at.selectbox(key="map_own_data_column").options == ["<img src=x onerror=alert(1)>", "share"]
    table = at.dataframe[-1].value.set_index("Tract ID")
    assert table.loc["26163500100", "Your data: <img src=x onerror=alert(1)>"] == 12
    assert table.loc["26163500100", "Household income at about age 35"] == raw_tracts.loc["26163500100", RAW_INCOME]
    at.selectbox(key="map_own_data_column").set_value("share").run()
    assert not at.exception
    spec = map_spec(at)
    labels = dict(zip(spec["shapes"]["fields"]["n"], spec["fields"]["u"]))
    assert [labels[f"Regent Park, Detroit - tract {n}"] for n in (5001, 5002)] == ["0.50", own_layer.OWN_DATA_MISSING]


def test_selected_tract_details_list_the_uploaded_values():
    at = select(upload_own_data(open_page(MAPS_PAGE, "detroit")), [0])
    mine = [frame.value for frame in at.dataframe if "Your data" in frame.value.columns]
    assert len(mine) == 1
    assert mine[0]["Value"].tolist() == [12.0, 0.5]


def test_an_upload_stays_in_its_own_session():
    """Two visitors: what one uploads is never drawn, listed or kept for the other."""
    first = upload_own_data(open_page(MAPS_PAGE, "detroit"))
    second = open_page(MAPS_PAGE, "detroit")
    assert map_spec(first)["points"] is not None
    assert map_spec(second)["points"] is None
    assert "map_own_data_parsed" in first.session_state and "map_own_data_parsed" not in second.session_state
    assert second.session_state["map_own_data"] is None  # the second visitor's uploader is empty
    assert not any(column.startswith("Your data") for column in second.dataframe[-1].value.columns)
    second.run()
    assert map_spec(second)["points"] is None


def test_removing_the_file_removes_the_layer_and_its_columns():
    at = upload_own_data(open_page(MAPS_PAGE, "detroit"))
    at.file_uploader(key="map_own_data").clear().run()
    assert not at.exception
    assert map_spec(at)["points"] is None
    assert "map_own_data_parsed" not in at.session_state
    assert not any(column.startswith("Your data") for column in at.dataframe[-1].value.columns)


def test_a_points_file_draws_points_and_a_bad_file_draws_nothing():
    at = upload_own_data(open_page(MAPS_PAGE, "detroit"),
                         b"site,latitude,longitude,visits\nLibrary,42.3314,-83.0458,10\n<b>Clinic</b>,42.35,-83.1,40\n")
    assert map_spec(at)["points"]["positions"] == [[-83.0458, 42.3314], [-83.1, 42.35]]
    assert map_spec(at)["points"]["texts"] == ["Library\nvisits: 10", "<b>Clinic</b>\nvisits: 40"]  # as text
    table = next(d.value for d in at.dataframe if "label" in d.value.columns)
    assert table["label"].tolist() == ["Library", "<b>Clinic</b>"]
    assert literal("Loaded 2 points with 1 numeric column: visits. Their names come from the column 'site'.") in \
        [c.value for c in at.caption]  # said as plain text
    upload_own_data(at, b"name,value\nx,1\n")
    assert at.error and at.error[0].value.startswith("No tract id column found among")
    assert map_spec(at)["points"] is None


def test_a_click_sends_no_colours_to_a_map_that_holds_them():
    """The frame names the styling it holds: a click then sends the selection alone, and a switch of
    outcome (a new version) sends the new bins again."""
    at = open_page(MAPS_PAGE)
    full = map_spec(at)
    first, second = config.TRACT_METRICS[:2]
    assert full["version"] == full["bins_version"] and full["version"].startswith(f"{first}|")
    assert len(full["bins"]) == len(shown_ids())
    select(at, [0], styled=full["version"])
    spec = map_spec(at)
    assert spec["styling"] == "held" and spec["version"] == full["version"]
    assert "bins" not in spec and "fields" not in spec and spec["selected"] == [shown_ids()[0]]
    select(at, [0, 1], styled="an older version")  # a frame that lacks them gets them
    assert map_spec(at)["bins"] == full["bins"]
    at.selectbox(key="map_metric").set_value(second).run()
    switched = map_spec(at)
    assert switched["version"].startswith(f"{second}|") and len(switched["bins"]) == len(shown_ids())


def test_five_tracts_are_compared_and_a_sixth_is_refused_in_words():
    at = open_page(MAPS_PAGE)
    select(at, [0, 1, 2, 3, 4])
    details = [frame.value for frame in at.dataframe if "Median over" in frame.value.columns]
    assert len(details) == 5 and not at.warning
    written = at.session_state[ui.VIEW_PARAMS_KEY]  # what the page last wrote into the address
    assert written["tracts"] == ",".join(f"261635{n}00" for n in ("001", "002", "003", "004", "005"))
    spec = map_spec(at)  # the map itself refuses a sixth click, with these words
    assert (spec["max_selected"], spec["too_many"]) == (5, tract_details.too_many_tracts())
    assert "Up to 5 tracts" in tract_details.too_many_tracts()
    select(at, [0, 1, 2, 3, 4, 5])  # six ids all the same (an old or edited value): five are kept
    details = [frame.value for frame in at.dataframe if "Median over" in frame.value.columns]
    assert len(details) == 5
    assert "26163500600" not in at.session_state[ui.VIEW_PARAMS_KEY]["tracts"]


def test_a_link_with_more_than_five_tracts_keeps_five_and_says_so():
    at = app_test()
    at.run()
    at.switch_page(MAPS_PAGE)
    at.query_params.update({"city": "detroit", "tracts": ",".join(shown_ids()[:7])})
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == [tract_details.too_many_tracts()]
    assert map_spec(at)["selected"] == shown_ids()[:5]
    assert len([frame for frame in at.dataframe if "Median over" in frame.value.columns]) == 5


def test_clear_selection_unselects_every_tract():
    at = open_page(MAPS_PAGE)
    select(at, [0, 1])
    at.button(key="map_clear").click().run()
    assert not at.exception
    assert not [frame for frame in at.dataframe if "Median over" in frame.value.columns]
    assert "tracts" not in at.session_state[ui.VIEW_PARAMS_KEY]
    assert map_spec(at)["selected"] == [] and map_spec(at)["selection_from"] == "server"
    select(at, [2])  # the new, empty map widget takes clicks again
    assert len([frame for frame in at.dataframe if "Median over" in frame.value.columns]) == 1


def test_the_legend_gives_its_longest_row_the_width_it_needs():
    """The grid cuts text that does not fit its column: the range column is sized to the no-estimate row."""
    import pandas as pd

    from ui.widgets import CELL_PADDING_PX, CHAR_PX, fitted_width
    legend = pd.DataFrame({"Range": ["under $26,200", "no estimate (fewer than 20 children)"]})
    assert fitted_width(legend, "Range") == CELL_PADDING_PX + CHAR_PX * len("no estimate (fewer than 20 children)")
    at = open_page(MAPS_PAGE, city="detroit")
    config = json.loads(at.dataframe[0].proto.columns)
    assert config["Range"]["width"] == fitted_width(at.dataframe[0].value, "Range") >= 280


def test_a_search_pick_selects_the_tract_on_the_street_map_too():
    """With the street map on (pydeck, whose selection code cannot set), a pick becomes the selection the way a
    link's tracts do: the new map draws it outlined and the details show it."""
    at = open_page(MAPS_PAGE, "detroit")
    at.toggle(key="map_basemap").set_value(True).run()
    at.text_input(key="map_tract_search").input("brightmoor").run()
    at.button_group(key="map_found").set_value(["26163543400"]).run()
    assert not at.exception
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    (selected,) = [layer for layer in spec["layers"] if layer["id"] == "selected_tracts"]
    assert len(selected["data"]) == 1
    assert [m.value for m in at.markdown if " - tract " in m.value] == ["**Brightmoor, Detroit - tract 5434**"]
