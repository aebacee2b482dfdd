"""The neighborhood map in Spanish (?lang=es): no English sentence left on the page, its map's tooltips and
titles, legend, details, table and address finder in Spanish, the same figures as in English, and caches that
serve each language its own texts."""
from __future__ import annotations

import json
import re

import pytest

from explorer import config, i18n
from explorer.data import store
from explorer.maps import deckgl, tract_details, tract_map
from explorer.plain import literal
from harness.i18n_check import english_left, shown_texts
from tests.conftest import open_page
from tests.test_geocode import Geocoder, geocoder, submit  # noqa: F401  (the local geocoder fixture)

MAPS_PAGE = "pages/maps.py"
RAW_INCOME = "Household_Income_at_Age_35_rP_gP_p25"
REGENT_PARK = "26163500100"  # Regent Park, Detroit - tract 5001


def spanish(**state):
    at = open_page(MAPS_PAGE, city="detroit", state=state or None, params={"lang": "es"})
    assert not at.exception
    return at


@pytest.fixture
def in_spanish():
    """The test's own thread in Spanish too: AppTest calls a widget's format_func (the outcome's name) here,
    when it sends the widgets' state back, and it must match the options the page drew."""
    with i18n.speaking("es"):
        yield


def map_spec(at) -> dict:
    return json.loads(at.get("component_instance")[0].proto.json_args)["spec"]


def shown_ids() -> list[str]:
    study = store.study_tracts("detroit", config.processed_dir())
    shapes = deckgl.quantize_shapes(store.tract_geometries("detroit", config.processed_dir()))
    return tract_map.mapped_tracts(study, shapes)["tract"].tolist()


def select(at, indices: list[int], key: str):
    """Clicks on the app's own map, as its frame reports them (tests/test_page_maps.py: select)."""
    chart = at.get("component_instance")[0]
    ids = shown_ids()
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = chart.proto.id
    state.json_value = json.dumps({"have": key, "selected": [ids[i] for i in indices], "styled": None})
    at._run(states)
    assert not at.exception
    return at


def test_the_page_in_spanish_shows_no_english_and_speaks_spanish():
    at = spanish()
    assert english_left(at) == []
    texts = shown_texts(at)
    assert at.title[0].value == "Vecindarios de Detroit, MI"
    assert any(t.startswith("**Cómo leer este mapa.** Cada figura es un sector censal") for t in texts)
    assert at.selectbox(key="map_metric").label == "Resultado"
    assert at.radio(key="map_scale").options == ["Comparado con EE. UU.", "Dentro de esta área"]
    assert at.toggle(key="map_basemap").label == "Mapa de calles"
    assert at.text_input(key="map_tract_search").label == "Busque un vecindario, un lugar o un número de sector"
    legend = at.dataframe[0].value
    assert list(legend.columns[1:]) == ["Sectores", "Rango"]
    assert legend.iloc[0, 2].startswith("menos de $") and legend.iloc[-1, 2] == "sin estimación (menos de 20 niños)"
    assert any(" a menos de $" in r for r in legend.iloc[:, 2])
    table = at.dataframe[-1].value
    assert list(table.columns) == ["Sector", "ID del sector", "Condado", "Mayormente en la ciudad",
                                   "Ingreso del hogar a los 35 años aproximadamente", "Percentil nacional"]
    assert any(button.proto.label == "Descargar CSV (todos los sectores)" for button in at.get("download_button"))


def test_the_maps_titles_and_tooltips_are_spanish():
    at = spanish()
    spec = map_spec(at)
    assert spec["key"] == "tracts:detroit:es" and spec["version"].endswith("|es")
    titles = dict(zip(spec["shapes"]["ids"], spec["shapes"]["fields"]["n"]))
    assert titles["26163543400"] == "Brightmoor, Detroit - sector 5434"
    assert titles["26163556600"] == "Livonia, Condado de Wayne - sector 5566"
    assert spec["tooltip"][1:] == ["Ingreso del hogar a los 35 años aproximadamente: {v}",
                                   "Percentil nacional: {p} (entre todos los sectores censales de EE. UU.)"]
    assert "sin estimación (menos de 20 niños)" in spec["fields"]["v"]
    assert spec["too_many"].startswith("Se pueden comparar hasta 5 sectores a la vez")
    assert spec["label"] == ("Mapa de los sectores censales de Detroit, MI: "
                             "Ingreso del hogar a los 35 años aproximadamente")


def test_the_same_figures_in_both_languages(raw_tracts):
    """Regent Park's raw value is the table's in both languages, and the tooltip's text of it is the same."""
    english = open_page(MAPS_PAGE, city="detroit")
    at = spanish()
    raw = raw_tracts.loc[REGENT_PARK, RAW_INCOME]
    row_en = english.dataframe[-1].value.set_index("Tract ID").loc[REGENT_PARK]
    row_es = at.dataframe[-1].value.set_index("ID del sector").loc[REGENT_PARK]
    assert row_en["Household income at about age 35"] == row_es["Ingreso del hogar a los 35 años aproximadamente"] \
        == raw
    assert row_en["National percentile"] == row_es["Percentil nacional"]
    assert row_es["Sector"] == "Regent Park, Detroit - sector 5001"
    spec_en, spec_es = map_spec(english), map_spec(at)
    index = spec_es["shapes"]["ids"].index(REGENT_PARK)
    assert spec_es["fields"]["v"][index] == spec_en["fields"]["v"][index] == f"${raw:,.0f}"
    assert spec_es["fields"]["p"] == spec_en["fields"]["p"]
    figures = [re.findall(r"\$[0-9,]+", r) for r in english.dataframe[0].value.iloc[:, 2]]
    assert figures == [re.findall(r"\$[0-9,]+", r) for r in at.dataframe[0].value.iloc[:, 2]]
    assert sum(map(len, figures)) == 12  # seven bins: six edges, each in two rows
    assert english.dataframe[0].value.iloc[:, 1].tolist() == at.dataframe[0].value.iloc[:, 1].tolist()


def test_the_search_and_the_details_of_picked_tracts_are_spanish(in_spanish):
    at = spanish()
    at.text_input(key="map_tract_search").input("brightmoor").run()
    assert not at.exception
    pills = at.button_group(key="map_found")
    assert pills.label.startswith("5 sectores coinciden y están marcados en azul en el mapa.")
    assert any(c.value == "Se muestran los sectores que coinciden con la búsqueda de arriba." for c in at.caption)
    pills.set_value(["26163543400"]).run()
    assert not at.exception
    assert "**Brightmoor, Detroit - sector 5434**" in [m.value for m in at.markdown]
    (details,) = [frame.value for frame in at.dataframe if "Mediana calculada sobre" in frame.value.columns]
    assert details.columns[0] == "Lugar" and details.iloc[0, 0] == "Este sector"
    assert "de los sectores censales de EE. UU." in details.iloc[0, 1]
    assert details.iloc[-1, 0] == "Estados Unidos (mediana)"
    assert "Zona de desplazamiento laboral de Detroit (mediana)" in details.iloc[:, 0].tolist()
    assert details.iloc[-1, 2].startswith("los ") and details.iloc[-1, 2].endswith(" sectores con estimación")
    assert english_left(at) == []
    at.text_input(key="map_tract_search").input("condado de wayne 5566").run()
    assert at.dataframe[-1].value["Sector"].tolist() == ["Livonia, Condado de Wayne - sector 5566"]
    at.text_input(key="map_tract_search").input("*zz*").run()
    assert at.caption[0].value.startswith("Nada en esta área coincide con")


def test_clicked_tracts_get_spanish_details_and_too_many_a_spanish_warning(in_spanish):
    at = spanish()
    select(at, [0, 1], key="tracts:detroit:es")
    assert len([f for f in at.dataframe if "Mediana calculada sobre" in f.value.columns]) == 2
    assert english_left(at) == []
    link = open_page(MAPS_PAGE, city="detroit", params={"lang": "es", "city": "detroit",
                                                      "tracts": ",".join(shown_ids()[:7])})
    assert [w.value for w in link.warning] == [
        "Se pueden comparar hasta 5 sectores a la vez, así que solo se muestran los primeros 5 que eligió. "
        "Haga clic otra vez en un sector seleccionado para quitarlo, o use Borrar selección."]
    assert english_left(link) == []


def test_the_street_map_is_spanish_too(in_spanish):
    at = spanish()
    at.toggle(key="map_basemap").set_value(True).run()
    assert not at.exception
    chart = at.get("deck_gl_json_chart")[0].proto
    deck = json.loads(chart.json)
    assert "Percentil nacional: {p} (entre todos los sectores censales de EE. UU.)" in chart.tooltip
    (tracts,) = [layer for layer in deck["layers"] if layer["id"] == tract_map.TRACT_LAYER_ID]
    names = {feature["n"] for feature in tracts["data"]}
    assert "Brightmoor, Detroit - sector 5434" in names
    assert "sin estimación (menos de 20 niños)" in {feature["v"] for feature in tracts["data"]}
    assert any(c.value.startswith("Mapa de calles activado:") for c in at.caption)
    assert english_left(at) == []


def test_the_address_finder_answers_in_spanish(geocoder, in_spanish):  # noqa: F811
    at = spanish()
    at.text_input(key="map_address_text").input("2 Woodward Ave, Detroit, MI")
    at.button(key="FormSubmitter:map_address-Buscar").click()
    at.run()
    assert not at.exception
    (found,) = at.success
    assert found.value == f"{literal('2 WOODWARD AVE, DETROIT, MI, 48226')}: " \
                          f"{literal('Downtown, Detroit - sector 5207')}, seleccionado en el mapa."
    assert english_left(at) == []


def test_the_address_finder_offline_says_so_in_spanish(monkeypatch, in_spanish):
    from explorer import geocode
    monkeypatch.setenv(geocode.BASE_URL_ENV, "http://127.0.0.1:9/geocoder")
    at = spanish()
    at.text_input(key="map_address_text").input("2 Woodward Ave, Detroit, MI")
    at.button(key="FormSubmitter:map_address-Buscar").click()
    at.run()
    reason = literal("No se pudo contactar el servicio de direcciones: esto necesita conexión a internet.")
    assert at.warning[0].value == f"{reason} La búsqueda por nombre funciona sin este servicio."
    assert english_left(at) == []


def test_english_after_spanish_is_english_again():
    """The caches (tract table, matches, comparisons, shapes, styling) hold each language apart."""
    spanish()
    at = open_page(MAPS_PAGE, city="detroit")
    assert not at.exception
    assert list(at.dataframe[-1].value.columns[:2]) == ["Tract", "Tract ID"]
    spec = map_spec(at)
    assert spec["key"] == "tracts:detroit" and not spec["version"].endswith("|es")
    assert "Brightmoor, Detroit - tract 5434" in spec["shapes"]["fields"]["n"]
    assert spec["tooltip"][-1] == "National percentile: {p} (of all US tracts)"
    at.text_input(key="map_tract_search").input("brightmoor").run()
    assert at.button_group(key="map_found").label.startswith("5 tracts match")
    at.button_group(key="map_found").set_value(["26163543400"]).run()
    (details,) = [frame.value for frame in at.dataframe if "Median over" in frame.value.columns]
    assert details.iloc[0, 0] == "This tract" and details.iloc[-1, 0] == "United States (median)"


@pytest.mark.parametrize("pctile, words", [
    (84.2, "más alto que el 84% de los sectores censales de EE. UU."),
    (4.5, "más bajo que el 96% de los sectores censales de EE. UU."),
    (99.7, "más alto que casi todos los sectores censales de EE. UU. (99.7%)"),
    (0.2, "más bajo que casi todos los sectores censales de EE. UU. (99.8%)"),
    (100.0, "más alto que casi todos los sectores censales de EE. UU. (más del 99.9%)"),
    (float("nan"), "sin posición nacional")])
def test_percentile_phrases_are_whole_spanish_phrases(pctile, words):
    with i18n.speaking("es"):
        assert tract_details.percentile_words(pctile) == words
        metric = config.METRICS["household_income_p25"]
        assert tract_details.value_in_words(metric, 24300.0, pctile) == f"$24,300, {words}"
    assert i18n.current() == "en"
