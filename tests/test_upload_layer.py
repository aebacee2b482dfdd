"""The "Your data" layer: a partner's upload drawn beside the mobility layer, in the tooltip, the details and the table.

Uploads go through the real validator (explorer.upload.parse_upload) and the real Detroit shapes, so the
features carry the values typed into the file; tract values come from data/raw.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from explorer import config, upload
from explorer.data import store
from explorer.maps import deckgl, own_layer, scales, tract_details, tract_map

DATA = config.processed_dir()
INCOME, RAW_INCOME = "household_income_p25", "Household_Income_at_Age_35_rP_gP_p25"
INJECTION = "<img src=x onerror=alert(1)>"
DETROIT_FILE = (b"GEOID,enrolled,share\n"
                b"26163500100,12,0.5\n"
                b"26163500200,30,\n"
                b"26163500300,7,0.25\n")


@pytest.fixture(scope="module")
def detroit():
    study = store.study_tracts("detroit", DATA)
    shapes = deckgl.quantize_shapes(store.tract_geometries("detroit", DATA))
    national = store.read_table("tracts", DATA)
    scale = scales.tract_scale(INCOME, "national", national, study)
    return study, shapes, scale


def own_tracts(raw: bytes, column: str, study) -> own_layer.OwnData:
    result = upload.parse_upload(raw, "partner.csv", set(study["tract"]))
    assert result.ok and result.kind == "tracts", result.errors
    return own_layer.OwnData("tracts", result.frame, column)


def deck_spec(detroit, own) -> tuple[dict, dict]:
    study, shapes, scale = detroit
    deck = tract_map.city_tract_deck(study, shapes, None, [], INCOME, scale, own=own)
    spec = json.loads(deck.to_json())
    return {layer["id"]: layer for layer in spec["layers"]}, deck._tooltip


def test_a_tract_file_of_three_detroit_tracts_gives_three_circles(detroit):
    study, shapes, _ = detroit
    own = own_tracts(DETROIT_FILE, "enrolled", study)
    layer = own_layer.own_data_layer(own, shapes)
    assert layer.type == "ScatterplotLayer" and layer.id == own_layer.OWN_DATA_LAYER_ID and not layer.pickable
    assert len(layer.data) == 3
    geometries = store.tract_geometries("detroit", DATA)
    for feature, tract in zip(layer.data, ("26163500100", "26163500200", "26163500300")):
        west, south, east, north = deckgl.bounds([geometries[tract]])  # each circle sits on its own tract
        assert west <= feature["c"][0] <= east and south <= feature["c"][1] <= north
    scale = own_layer.own_data_scale(own.frame["enrolled"], "enrolled")
    assert scale.breaks and all(7 <= b <= 30 for b in scale.breaks)
    bins = [f["b"] for f in layer.data]
    assert bins[2] == 0 and bins[1] == len(scale.colours) - 1  # 7 is the lowest value, 30 the highest
    assert bins[0] not in (bins[1], bins[2])
    radii = json.loads(layer.get_radius.split("(", 1)[1].rsplit(")", 1)[0])
    assert radii[bins[2]] < radii[bins[0]] < radii[bins[1]]  # bigger circle, higher value


def test_the_layer_sits_under_the_city_outline_and_keeps_the_tract_layer(detroit):
    study, shapes, scale = detroit
    own = own_tracts(DETROIT_FILE, "enrolled", study)
    deck = tract_map.city_tract_deck(study, shapes, store.outline("city", "detroit", DATA), [], INCOME, scale,
                                selected=("26163500100",), own=own)
    assert [layer.id for layer in deck.layers] == [
        tract_map.TRACT_LAYER_ID, "county_lines", own_layer.OWN_DATA_LAYER_ID, "selected_tracts", "city_boundary"]
    assert len(deck.layers[0].data) == len(study)


def test_tract_tooltips_carry_the_uploaded_value_and_the_escaped_name(detroit, raw_tracts):
    study, shapes, _ = detroit
    raw = DETROIT_FILE.replace(b"enrolled", INJECTION.encode())
    layers, tooltip = deck_spec(detroit, own_tracts(raw, INJECTION, study))
    by_label = {f["n"].rsplit(" - tract ", 1)[-1]: f for f in layers[tract_map.TRACT_LAYER_ID]["data"]}  # by number
    assert by_label["5001"]["u"] == "12" and by_label["5002"]["u"] == "30" and by_label["5003"]["u"] == "7"
    assert by_label["5001"]["v"] == f"${raw_tracts.loc['26163500100', RAW_INCOME]:,.0f}"
    assert by_label["5004"]["u"] == own_layer.OWN_DATA_ABSENT
    assert "&lt;img src=x onerror=alert(1)&gt;" in tooltip["html"] and "<img" not in tooltip["html"]
    assert tooltip["html"].endswith("<b>{u}</b>")


def test_braces_in_a_column_name_do_not_become_tooltip_fields():
    tooltip = own_layer.own_data_tooltip({"html": "<b>{n}</b>"}, "{v} & more")
    assert tooltip["html"] == "<b>{n}</b><br/>Your data, &#123;v&#125; &amp; more: <b>{u}</b>"


def test_a_missing_value_reads_as_such(detroit):
    study, _, _ = detroit
    own = own_tracts(DETROIT_FILE, "share", study)
    assert own_layer.own_data_texts(own, ["26163500100", "26163500200", "26163599999"]) == [
        "0.50", own_layer.OWN_DATA_MISSING, own_layer.OWN_DATA_ABSENT]
    legend = own_layer.own_data_legend(own, detroit[1])
    assert legend.iloc[-1].tolist()[1:] == [own_layer.OWN_DATA_MISSING, 1]
    assert legend["tracts"].sum() == 3


@pytest.mark.parametrize("column", ["unknown", "tract", None])
def test_unknown_column_raises(detroit, column):
    study, shapes, _ = detroit
    own = own_tracts(DETROIT_FILE, "enrolled", study)
    with pytest.raises(ValueError, match="no numeric column"):
        own_layer.own_data_layer(own_layer.OwnData("tracts", own.frame, column), shapes)


def test_a_points_file_becomes_a_scatterplot_layer(detroit):
    _, shapes, _ = detroit
    raw = b"name,latitude,longitude,visits\nLibrary,42.331427,-83.045754,10\nClinic,42.35,-83.1,40\n"
    result = upload.parse_upload(raw, "sites.csv", set())
    assert result.kind == "points"
    layer = own_layer.own_data_layer(own_layer.OwnData("points", result.frame, "visits"), shapes)
    assert layer.type == "ScatterplotLayer" and not layer.pickable
    assert [f["c"] for f in layer.data] == [[-83.0458, 42.3314], [-83.1, 42.35]]
    assert layer.data[0]["b"] < layer.data[1]["b"]
    one_colour = own_layer.own_data_layer(own_layer.OwnData("points", result.frame[["latitude", "longitude"]], None), shapes)
    assert [f["b"] for f in one_colour.data] == [0, 0]
    assert own_layer.own_data_legend(own_layer.OwnData("points", result.frame, None), shapes)["points"].tolist() == [2]


def test_a_place_s_name_goes_into_its_dot_s_tooltip_as_plain_text(detroit):
    _, shapes, _ = detroit
    markup = "<b>Main</b> *library*"
    raw = (f"site,latitude,longitude,visits\n\"{markup}\",42.331427,-83.045754,10\n,42.35,-83.1,\n"
           "Far away,40.0,-75.0,3\n").encode()
    result = upload.parse_upload(raw, "sites.csv", set())
    own = own_layer.OwnData("points", result.frame, "visits")
    # drawn points only (the third is off the map), the name verbatim: the map component shows text as text
    assert own_layer.point_texts(own, shapes) == [f"{markup}\nvisits: 10", f"visits: {own_layer.OWN_DATA_MISSING}"]
    names_only = own_layer.OwnData("points", result.frame, None)
    assert own_layer.point_texts(names_only, shapes) == [markup, "A place in your file"]
    assert own_layer.point_texts(own_layer.OwnData("points", result.frame[["latitude", "longitude"]], None),
                                 shapes) is None  # nothing to say: the dots are not pickable
    with pytest.raises(ValueError, match="no numeric column"):
        own_layer.own_data_layer(own_layer.OwnData("points", result.frame, "label"), shapes)


def test_on_the_street_map_a_place_s_dot_has_its_own_tooltip_and_the_tracts_keep_theirs(detroit):
    """pydeck has one tooltip for every layer: with named places it is a text tooltip (set as text, never as
    HTML) whose field `t` each dot and each tract carries, the tract's filled in from its own lines."""
    study, shapes, scale = detroit
    markup = "<b>Boys & Girls</b> club"
    raw = f"site,latitude,longitude,visits\n\"{markup}\",42.331427,-83.045754,10\n".encode()
    own = own_layer.OwnData("points", upload.parse_upload(raw, "sites.csv", set()).frame, "visits")
    deck = tract_map.city_tract_deck(study, shapes, None, [], INCOME, scale, basemap=True, own=own)
    layers = {layer.id: layer for layer in deck.layers}
    dots = layers[own_layer.OWN_DATA_LAYER_ID]
    assert dots.pickable and [d["t"] for d in dots.data] == [f"{markup}\nvisits: 10"]
    assert deck._tooltip["text"] == "{t}" and "html" not in deck._tooltip
    brightmoor = next(f for f in layers[tract_map.TRACT_LAYER_ID].data if f["n"].startswith("Brightmoor"))
    lines = brightmoor["t"].split("\n")
    income = study.set_index("tract").loc[next(t for t, g in shapes.geometries.items() if g is brightmoor["geometry"]), INCOME]
    assert lines[0].startswith("Brightmoor, Detroit - tract ")
    assert lines[1] == f"{config.METRICS[INCOME].label}: {config.METRICS[INCOME].format(income)}"
    assert lines[2].startswith("National percentile: ") and "{" not in brightmoor["t"]
    tracts_only = tract_map.city_tract_deck(study, shapes, None, [], INCOME, scale, basemap=True,
                                            own=own_layer.OwnData("points", own.frame[["latitude", "longitude"]], None))
    assert "html" in tracts_only._tooltip  # nothing to say about the dots: the tract tooltip as before


def test_the_street_map_outlines_a_search_s_matches_under_the_selection(detroit):
    study, shapes, scale = detroit
    found = tuple(study["tract"][:3])
    deck = tract_map.city_tract_deck(study, shapes, None, [], INCOME, scale, basemap=True, selected=found[:1],
                                     found=found)
    layers = {layer.id: layer for layer in deck.layers}
    assert [layer.id for layer in deck.layers][-3:] == ["found_halo", "found", "selected_tracts"]
    assert [f["geometry"] for f in layers["found"].data] == [shapes.geometries[t] for t in found]
    assert layers["found_halo"].get_line_width > layers["found"].get_line_width
    assert "found" not in {layer.id for layer in tract_map.city_tract_deck(study, shapes, None, [], INCOME, scale).layers}


def test_points_off_the_map_are_counted_not_drawn(detroit):
    """A site in Tulsa is not drawn on Detroit's map; the legend says one point lies outside."""
    _, shapes, _ = detroit
    raw = b"latitude,longitude,visits\n42.3314,-83.0458,10\n36.154,-95.993,40\n42.40,-83.10,20\n"
    result = upload.parse_upload(raw, "sites.csv", set())
    own = own_layer.OwnData("points", result.frame, "visits")
    assert own_layer.points_on_map(result.frame, shapes).tolist() == [True, False, True]
    assert [f["c"] for f in own_layer.own_data_layer(own, shapes).data] == [[-83.0458, 42.3314], [-83.1, 42.4]]
    legend = own_layer.own_data_legend(own, shapes)
    assert legend.iloc[-1].tolist() == ["#ffffff", "outside this map (not drawn)", 1]
    assert legend["points"].sum() == 3


def test_without_an_upload_the_deck_is_unchanged(detroit):
    study, shapes, scale = detroit
    plain = tract_map.city_tract_deck(study, shapes, None, [], INCOME, scale)
    assert own_layer.OWN_DATA_LAYER_ID not in {layer.id for layer in plain.layers}
    assert "u" not in plain.layers[0].data[0] and "{u}" not in plain._tooltip["html"]


def test_tract_table_and_details_show_the_uploaded_columns(detroit, raw_tracts):
    study, _, _ = detroit
    own = own_tracts(DETROIT_FILE.replace(b"enrolled", b"=SUM(A1)"), "=SUM(A1)", study)
    table = tract_details.with_own_data(tract_details.tract_table(study, INCOME), own)
    assert len(table) == len(study)
    rows = table.set_index("Tract ID")
    assert rows.loc["26163500100", "Your data: =SUM(A1)"] == 12
    assert rows.loc["26163500100", "Household income at about age 35"] == raw_tracts.loc["26163500100", RAW_INCOME]
    assert np.isnan(rows.loc["26163500200", "Your data: share"])
    assert rows["Your data: =SUM(A1)"].notna().sum() == 3
    assert tract_details.with_own_data(table, None) is table
    details = tract_details.own_values(own, "26163500300")
    assert details["Your data"].tolist() == ["=SUM(A1)", "share"] and details["Value"].tolist() == [7.0, 0.25]
    assert tract_details.own_values(own, "26163500400")["Value"].isna().all()
    assert tract_details.own_values(None, "26163500300") is None


def test_wayne_payload_grows_modestly_with_a_full_upload(detroit):
    """A file for every Detroit-area tract adds one circle and one tooltip value per tract: a small share."""
    study, shapes, scale = detroit
    rows = "\n".join(f"{t},{i}" for i, t in enumerate(study["tract"]))
    own = own_tracts(f"GEOID,count\n{rows}\n".encode(), "count", study)
    plain = len(tract_map.city_tract_deck(study, shapes, None, [], INCOME, scale).to_json())
    full = len(tract_map.city_tract_deck(study, shapes, None, [], INCOME, scale, own=own).to_json())
    assert plain < full < 1.25 * plain


def test_a_big_points_file_is_thinned_evenly_and_the_legend_says_so(detroit):
    """10,000 sites in Detroit (and one in Tulsa): 3,000 drawn, spread over the file; the legend counts
    the rest as not drawn, so every row of the file is accounted for."""
    _, shapes, _ = detroit
    rows = "".join(f"{42.30 + (i % 100) / 1000:.4f},{-83.20 + (i // 100) / 1000:.4f},{i}\n" for i in range(10_000))
    raw = ("latitude,longitude,visits\n" + rows + "36.154,-95.993,5\n").encode()
    result = upload.parse_upload(raw, "sites.csv", set())
    own = own_layer.OwnData("points", result.frame, "visits")
    drawn = own_layer.drawn_points(result.frame, shapes)
    assert drawn.sum() == own_layer.MAX_POINTS_DRAWN == 3_000
    kept = result.frame["visits"][drawn]
    assert kept.iloc[0] == 0 and kept.iloc[-1] == 9_999 and kept.diff().dropna().between(3, 4).all()  # evenly
    circles, _, _ = own_layer.own_data_circles(own, shapes)
    assert len(circles) == 3_000
    legend = own_layer.own_data_legend(own, shapes)
    assert legend.iloc[-2].tolist() == ["#ffffff", "thinned out (not drawn)", 7_000]
    assert own_layer.thinned_note(own, shapes) == (
        "Your file has 10,000 places on this map; 3,000 of them are drawn, spread evenly through the file, "
        "so that the map stays quick for everyone. The table under \u201cAdd your own data\u201d lists them all.")
    assert legend.iloc[-1].tolist() == ["#ffffff", "outside this map (not drawn)", 1]
    assert legend["points"].sum() == 10_001
