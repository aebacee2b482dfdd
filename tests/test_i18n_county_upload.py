"""The US county map and "Add your own data" in Spanish: no catalog sentence left in English, the same figures
as in English (Wayne County's rank from county_outcomes_simple.csv), the upload check's messages and summary in
Spanish with the same counts, and the caches and the session's parsed file never serving one language's text
to the other."""
from __future__ import annotations

import contextlib
import json
import re
import string

import pytest
from babel.messages.extract import extract_from_file

from explorer import config, i18n, stats, upload
from explorer.maps import county_map, own_layer
from explorer.plain import literal
from harness import ROOT
from harness.i18n_check import english_left, shown_texts
from tests.conftest import open_page

COUNTY_PAGE, MAPS_PAGE = "pages/county_map.py", "pages/maps.py"
WAYNE = "26163"
SPANISH = {"lang": "es"}
UPLOAD_FILES = ("ui/own_data.py", "explorer/upload.py", "explorer/maps/own_layer.py")
PLACES = b"site,latitude,longitude,visits\nLibrary,42.3314,-83.0458,10\n<b>Clinic</b>,42.35,-83.1,\n"
TRACTS = b"GEOID,<i>enrolled</i>,share\n26163500100,12,0.5\n26163500200,30,\n26163500300,7,0.25\n"


def opened(page: str, params: dict | None = None, city: str = "detroit"):
    at = open_page(page, city=city, params=params)
    assert not at.exception
    return at


@contextlib.contextmanager
def reading(at):
    """Interact with a page in its reader's language: AppTest matches a widget's value to its options with the
    widget's format_func in the test's own thread, and a label that translates must be read in the page's."""
    with i18n.speaking(at.session_state["lang"] if "lang" in at.session_state else i18n.DEFAULT):
        yield at


def map_spec(at) -> dict:
    return json.loads(at.get("component_instance")[0].proto.json_args)["spec"]


def county_row(at, fips: str = WAYNE):
    """The county table's row of a county (the table is behind its toggle)."""
    with reading(at):
        at.toggle(key="county_map_table").set_value(True).run()
    assert not at.exception
    table = at.dataframe[-1].value
    return table.set_index(table.columns[0]).loc[fips]


def upload_english_left(at) -> list[str]:
    """harness.i18n_check.english_left for the texts of "Add your own data" on the neighborhood map, whose other
    texts are not this file's to check: the English of the upload's own messages (their longest fixed part) that
    the run shows. The how-to-read line under the legend is the map's (tract_details), and holds "no value in
    your file" in its English."""
    from explorer.maps import tract_details
    texts = "\n".join(re.sub(r"[*_`]", "", t) for t in shown_texts(at) if t != tract_details.OWN_DATA_HOW_TO_READ)
    return sorted(s for s in upload_sentences() if s in texts)


def upload_sentences() -> set[str]:
    """The English of the upload's own texts, as harness.i18n_check looks for them (longest fixed part)."""
    found = set()
    for path in UPLOAD_FILES:
        for _lineno, message, _comments, _context in extract_from_file("python", str(ROOT / path)):
            for english in (message if isinstance(message, tuple) else (message,)):
                fixed = [chunk for chunk, *_ in string.Formatter().parse(english) if chunk]
                found.add(re.sub(r"[*_`]", "", max(fixed, key=len, default="").strip()))
    return {s for s in found if len(s.split()) >= 3}


# --- the US county map --------------------------------------------------------------------------------------

def test_the_county_map_in_spanish_leaves_no_english(raw_counties):
    at = opened(COUNTY_PAGE, SPANISH)
    assert english_left(at) == []
    texts = shown_texts(at)
    assert at.title[0].value == "Movilidad ascendente en Estados Unidos, por condado"
    assert any(t.startswith("**Cómo leer este mapa.** Cada forma es un condado de EE. UU.") for t in texts)
    assert at.selectbox(key="county_group").label == "Grupo de niños"
    assert at.radio(key="county_gender").label == "Género"
    assert "Brecha entre blancos y negros (blancos menos negros)" in at.selectbox(key="county_group").options
    assert list(at.dataframe[0].value.columns)[1:] == ["Condados", "Rango"]
    assert at.dataframe[0].value.iloc[-1, 2] == "sin estimación para este grupo"
    assert "Franjas de color: siete grupos del mismo tamaño entre todos los condados de EE. UU. (todos los niños)." in \
        [c.value for c in at.caption]
    spec = map_spec(at)
    assert spec["tooltip"][2] == "Intervalo del 95%: {i}"
    assert spec["shapes"]["fields"]["n"][spec["shapes"]["ids"].index(WAYNE)] == "Condado de Wayne, Michigan"
    row = county_row(at)
    assert english_left(at) == []
    assert row["Condado"] == "Wayne" and row["Estado"] == "Michigan"
    assert list(row.index[-2:]) == ["intervalo del 95%, límite inferior", "intervalo del 95%, límite superior"]


def test_wayne_county_reads_the_same_figures_in_both_languages(raw_counties):
    """The rank at p25 and its interval from county_outcomes_simple.csv, in the table and the tooltip, in both."""
    raw = raw_counties.loc[WAYNE]
    low, high = stats.interval95(raw["kfr_pooled_pooled_p25"], raw["kfr_pooled_pooled_p25_se"])
    value = f"{raw['kfr_pooled_pooled_p25'] * 100:.1f}"
    english, spanish = opened(COUNTY_PAGE), opened(COUNTY_PAGE, SPANISH)
    for at, between in ((english, "to"), (spanish, "a")):
        spec = map_spec(at)
        index = spec["shapes"]["ids"].index(WAYNE)
        assert spec["fields"]["v"][index] == value
        assert spec["fields"]["i"][index] == f"{low * 100:.1f} {between} {high * 100:.1f}"
    rows = county_row(english), county_row(spanish)
    assert rows[0].iloc[2] == rows[1].iloc[2] == pytest.approx(raw["kfr_pooled_pooled_p25"] * 100)
    assert rows[0].iloc[-2:].tolist() == rows[1].iloc[-2:].tolist() == pytest.approx([low * 100, high * 100])


def test_the_black_white_gap_in_spanish_says_points_with_the_same_figure(raw_counties):
    raw = raw_counties.loc[WAYNE]
    gap = f"{(raw['kfr_white_pooled_p25'] - raw['kfr_black_pooled_p25']) * 100:+.1f}"
    values = []
    for params in (None, SPANISH):
        at = opened(COUNTY_PAGE, params)
        with reading(at):
            at.selectbox(key="county_group").set_value(county_map.BLACK_WHITE_GAP).run()
        assert not at.exception
        spec = map_spec(at)
        values.append(spec["fields"]["v"][spec["shapes"]["ids"].index(WAYNE)])
        if params:
            assert english_left(at) == []
            assert "Franjas de color: siete grupos del mismo tamaño entre todos los condados de EE. UU. con ambas " \
                   "estimaciones." in [c.value for c in at.caption]
    assert values == [f"{gap} points", f"{gap} puntos"]


def test_the_street_map_deck_is_spanish_and_english_again_after(raw_counties):
    """The cached deck (and shapes and styling) are one per language: a Spanish visitor's never reaches an English one."""
    def deck(params):
        at = opened(COUNTY_PAGE, params)
        with reading(at):
            at.toggle(key="county_basemap").set_value(True).run()
        assert not at.exception
        chart = at.get("deck_gl_json_chart")[0].proto
        return at, {**json.loads(chart.json), "tooltip": json.loads(chart.tooltip), "alt": chart.alt}

    at, spanish = deck(SPANISH)
    assert english_left(at) == []
    assert "Intervalo del 95%: {i}" in spanish["tooltip"]["html"]
    assert spanish["alt"].startswith("Mapa de condados de EE. UU.: ")
    wayne = next(f for f in spanish["layers"][0]["data"] if f["n"] == "Condado de Wayne, Michigan")
    assert " a " in wayne["i"]
    at, english = deck(None)
    assert "95% interval: {i}" in english["tooltip"]["html"] and "Intervalo" not in english["tooltip"]["html"]
    assert any(f["n"] == "Wayne County, Michigan" for f in english["layers"][0]["data"])
    assert english_left(at)  # the English page shows its English
    again = opened(COUNTY_PAGE)
    spec = map_spec(again)
    assert spec["tooltip"][2] == "95% interval: {i}"
    assert spec["key"] == "counties:us"
    assert spec["shapes"]["fields"]["n"][spec["shapes"]["ids"].index(WAYNE)] == "Wayne County, Michigan"
    assert again.title[0].value == "Upward mobility across the US, by county"


def test_the_map_component_asks_for_the_shapes_again_in_another_language():
    """The browser keeps the shapes it holds by their key: the Spanish names have their own."""
    from explorer.data import cache
    english = cache.county_shapes()
    with i18n.speaking("es"):
        spanish = cache.county_shapes()
        styling = cache.county_styling("pooled", "pooled")
    assert (english.key, spanish.key) == ("counties:us", "counties:us:es")
    assert styling["version"] != cache.county_styling("pooled", "pooled")["version"]


# --- Add your own data --------------------------------------------------------------------------------------

def upload_file(at, raw: bytes, name: str = "partner.csv"):
    with reading(at):
        at.file_uploader(key="map_own_data").upload(name, raw, "text/csv").run()
    assert not at.exception
    return at


def test_a_bad_file_gets_a_spanish_error():
    at = upload_file(opened(MAPS_PAGE, SPANISH), b"name,value\nx,1\n")
    assert at.error and at.error[0].value == literal(
        "No se encontró una columna de códigos de sector entre: 'name', 'value'. Llame 'GEOID' (o 'tract', "
        "'tract_id', 'fips') a la columna con los códigos de 11 dígitos de los sectores censales de 2010, o incluya "
        "columnas 'latitude' y 'longitude'.")
    assert upload_english_left(at) == []
    assert map_spec(at)["points"] is None


def test_a_places_file_in_spanish_says_the_same_counts_and_keeps_names_as_text():
    english = upload_file(opened(MAPS_PAGE), PLACES)
    spanish = upload_file(opened(MAPS_PAGE, SPANISH), PLACES)
    assert literal("Loaded 2 points with 1 numeric column: visits. Their names come from the column 'site'.") in \
        [c.value for c in english.caption]
    assert literal("Se cargaron 2 puntos con 1 columna numérica: visits. Sus nombres vienen de la columna 'site'.") in \
        [c.value for c in spanish.caption]
    assert upload_english_left(spanish) == []
    assert upload_english_left(english)  # the check finds the English of an English page
    points = map_spec(spanish)["points"]
    assert points["positions"] == map_spec(english)["points"]["positions"]
    assert points["texts"] == ["Library\nvisits: 10", "<b>Clinic</b>\nvisits: sin valor en su archivo"]
    assert "**Sus datos:** visits" in [m.value for m in spanish.markdown]
    assert any(frame.value.iloc[-1].tolist()[1:] == [1, "sin valor en su archivo"] for frame in spanish.dataframe)
    assert spanish.file_uploader(key="map_own_data").label == "Agregue sus propios datos (CSV)"
    assert spanish.selectbox(key="map_own_data_column").label == "Columna que se muestra en el mapa"


def test_a_tract_file_in_spanish_has_its_tooltip_line_and_warnings():
    at = upload_file(opened(MAPS_PAGE, SPANISH), TRACTS)
    spec = map_spec(at)
    assert "Sus datos, <i>enrolled</i>: {u}" in spec["tooltip"]  # the column's name as typed, shown as text
    assert "**Sus datos:** " + literal("<i>enrolled</i>") in [m.value for m in at.markdown]
    assert literal("Se cargaron 3 sectores con 2 columnas numéricas: <i>enrolled</i>, share.") in [c.value for c in at.caption]
    assert upload_english_left(at) == []


def test_a_file_is_read_again_in_the_new_language_when_the_reader_switches():
    at = upload_file(opened(MAPS_PAGE), PLACES)
    assert literal("Loaded 2 points with 1 numeric column: visits. Their names come from the column 'site'.") in \
        [c.value for c in at.caption]
    at.radio(key="lang").set_value("es").run()
    assert not at.exception
    assert literal("Se cargaron 2 puntos con 1 columna numérica: visits. Sus nombres vienen de la columna 'site'.") in \
        [c.value for c in at.caption]


@pytest.mark.parametrize("raw, english, spanish", [
    (b"", "The file is empty.", "El archivo está vacío."),
    (b"\xff\xfeG\x00", "The file is saved as UTF-16 text.", "El archivo está guardado como texto UTF-16."),
    (b"latitude,value\n42,1\n", "The file has a latitude column but no longitude column; points need both.",
     "El archivo tiene una columna de latitud, pero no de longitud; los puntos necesitan las dos."),
    (b"GEOID,a\n26163500100,1\n26163500100,2\n", "1 tract id(s) appear more than once: '26163500100'.",
     "1 código(s) de sector aparecen más de una vez: '26163500100'."),
    (b"a,a\n1,2\n", "Two or more columns have the same name: 'a'.", "Dos o más columnas tienen el mismo nombre: 'a'."),
])
def test_the_upload_check_speaks_spanish(raw, english, spanish):
    study = {"26163500100"}
    assert any(english in error for error in upload.parse_upload(raw, "f.csv", study).errors)
    with i18n.speaking("es"):
        errors = upload.parse_upload(raw, "f.csv", study).errors
    assert any(spanish in error for error in errors), errors


def test_the_summary_and_warnings_keep_their_counts_in_spanish():
    raw = (b"GEOID,tract,a,b\n26163500100,x,1,n/a\n2616350020,y,2,text\n99999999999,z,3,4\n"
           b"26163500300,w,1e3,5\n")
    study = {"26163500100", "26163500200", "26163500300"}
    english = upload.parse_upload(raw, "f.csv", study)
    with i18n.speaking("es"):
        spanish = upload.parse_upload(raw, "f.csv", study)
        summary = spanish.summary
    assert english.summary == "Loaded 2 tracts with 2 numeric columns: a, b."
    assert summary == "Se cargaron 2 sectores con 2 columnas numéricas: a, b."
    assert len(english.warnings) == len(spanish.warnings) and english.warnings != spanish.warnings
    for en, es in zip(english.warnings, spanish.warnings):  # the same figures, maybe in another order
        assert sorted(re.findall(r"\d+", en)) == sorted(re.findall(r"\d+", es)), (en, es)
    assert "El archivo tiene más de una columna de códigos de sector: 'GEOID', 'tract'. Se usó 'GEOID' y se dejó " \
           "de lado lo demás ('tract')." in spanish.warnings
    assert english.frame.equals(spanish.frame)


def test_a_single_row_reads_in_the_singular():
    raw = b"latitude,longitude\n42.3,-83.0\n"
    with i18n.speaking("es"):
        assert upload.parse_upload(raw, "f.csv", set()).summary == "Se cargó 1 punto, sin columnas numéricas."


def test_the_thinned_note_and_legend_rows_in_spanish():
    import numpy as np
    import pandas as pd

    class Shapes:  # what points_on_map reads of a map's shapes (deckgl.QuantizedShapes)
        bounds = (-84.0, 42.0, -82.0, 43.0)

    count = own_layer.MAX_POINTS_DRAWN + 500
    frame = pd.DataFrame({"latitude": np.linspace(42.1, 42.9, count), "longitude": np.linspace(-83.9, -82.1, count)})
    own = own_layer.OwnData("points", frame, None)
    english = own_layer.thinned_note(own, Shapes())
    with i18n.speaking("es"):
        spanish = own_layer.thinned_note(own, Shapes())
        legend = own_layer.own_data_legend(own, Shapes())
    assert english.startswith(f"Your file has {count:,} places on this map; {own_layer.MAX_POINTS_DRAWN:,} of them")
    assert spanish.startswith(f"Su archivo tiene {count:,} lugares en este mapa; se dibujan "
                              f"{own_layer.MAX_POINTS_DRAWN:,}")
    assert legend["range"].tolist() == ["lugares de su archivo", "omitidos para aligerar el mapa (no se dibujan)"]
    assert legend.iloc[:, 2].tolist() == [own_layer.MAX_POINTS_DRAWN, 500]


def test_the_county_groups_and_the_gap_format_follow_the_language():
    assert county_map.COUNTY_GROUPS.get("black") == "Black"
    assert county_map.GAP_METRIC.format(0.123) == "+12.3 points"
    with i18n.speaking("es"):
        assert county_map.COUNTY_GROUPS.get("black") == "Negros"
        assert county_map.COUNTY_GROUPS[county_map.BLACK_WHITE_GAP] == "Brecha entre blancos y negros (blancos menos negros)"
        assert county_map.GAP_METRIC.format(0.123) == "+12.3 puntos"
        assert county_map.GAP_METRIC.format(float("nan")) == "sin estimación"
    assert config.GENDERS.get("pooled") == "All genders"


def test_an_uploaded_column_keeps_its_name_in_every_language():
    """A user's column named like one of the app's texts is still their text, never looked up in the catalog."""
    import pandas as pd
    with i18n.speaking("es"):
        metric = own_layer.own_data_metric("Range", pd.Series([1.0, 2.0]))
        assert metric.label == "Range" and i18n._("Range") == "Rango"
        assert metric.unit == "como en su archivo"  # the app's own words around it are translated
