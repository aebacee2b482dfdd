"""The City pilot profile and Compare cities pages in Spanish: no English sentence of the catalog left, the
Spanish texts shown, the same figures as in English, and the cached key numbers never mixing languages."""
from __future__ import annotations

import io
import math

import pandas as pd
import pyarrow as pa
import pytest

from explorer import config, i18n, pilots, profiles
from harness.i18n_check import english_left, shown_texts
from tests import conftest

CITY = "newark"  # main county: Essex County, NJ (34013)


def pilot_texts(city_id: str) -> set[str]:
    """Every English text the pilots file gives the profile page (data/pilots.yaml, read through explorer/pilots.py,
    another slice's work): the pilot's name, summary, story facts, themes, the takeaways and the initiative."""
    with i18n.speaking("en"):
        loaded = pilots.load_pilots()
        profile = loaded.profiles[city_id]
        facts = [profile.summary, *loaded.initiative, *(f for fs in profile.sections.values() for f in fs)]
        found = {profile.pilot, *loaded.theme_labels(city_id), *(f.text for f in facts),
                 *pilots.SECTIONS.values(), *pilots.NO_PUBLIC_ACCOUNT.values()}
        for other in loaded.profiles.values():  # peers show other cities' summaries
            found.add(other.summary.text)
        for takeaway in loaded.takeaways:
            found.update((takeaway.title, takeaway.text, takeaway.connects))
    return found


def without_pilot_texts(left: list[str], city_id: str) -> list[str]:
    """english_left minus the sentences that come from the pilots' own texts (translated by the pilots slice, not
    here): a sentence is dropped only if it is part of one of the pilot profile's own fields."""
    own = pilot_texts(city_id)
    return [sentence for sentence in left if not any(sentence in text for text in own)]


# The colour key under the profile's small map is drawn by explorer/maps/scales.py (another slice, merged
# separately): its "no estimate (fewer than 20 children)" entry is that slice's text. Remove once merged.
OTHER_SLICES = {"no estimate (fewer than 20 children)"}


@pytest.fixture(scope="module")
def profile_es():
    at = conftest.open_page("pages/profile.py", city=CITY, params={"lang": "es"})
    assert not at.exception
    return at


@pytest.fixture(scope="module")
def profile_en(profile_es):  # opened after the Spanish one: the cached key numbers must be English again
    at = conftest.open_page("pages/profile.py", city=CITY)
    assert not at.exception
    return at


@pytest.fixture(scope="module")
def compare_es():
    at = conftest.open_page("pages/compare.py", params={"lang": "es"})
    assert not at.exception
    return at


@pytest.fixture(scope="module")
def compare_en(compare_es):
    at = conftest.open_page("pages/compare.py")
    assert not at.exception
    return at


def essex_rank(raw_counties) -> float:
    return raw_counties.loc["34013", "kfr_pooled_pooled_p25"] * 100


def test_profile_has_no_english_left(profile_es):
    left = [s for s in without_pilot_texts(english_left(profile_es), CITY) if s not in OTHER_SLICES]
    assert left == []


def test_profile_shows_spanish(profile_es):
    texts = shown_texts(profile_es)
    assert profile_es.title[0].value == "Newark, NJ"  # a city's name is data: the same in both languages
    headers = [h.value for h in profile_es.header]
    assert headers == ["El proyecto piloto", "Datos clave junto a los de todo el país", "Lo que dice la evidencia",
                       "Otras ciudades que probaron algo parecido"]
    assert any(t.startswith("Los datos de condado son de **Condado de Essex, New Jersey**") for t in texts)
    table = profile_es.dataframe[0].value
    assert list(table.columns) == ["Dato clave", "Esta ciudad", "Intervalo del 95%", "Estados Unidos",
                                   "Ciudad frente a EE. UU.", "Qué es el valor de EE. UU."]
    assert "Posición de ingresos a los ~35 años: todos los niños" in set(table["Dato clave"])
    assert set(table["Ciudad frente a EE. UU."]) <= {"más alto (mejor)", "más alto (peor)", "más bajo (mejor)",
                                                     "más bajo (peor)", "más o menos igual", "-"}
    assert profiles.reference_note() not in texts
    with i18n.speaking("es"):
        assert profiles.reference_note() in [c.value for c in profile_es.caption]
    assert "Abrir el perfil de Detroit" in [b.label for b in profile_es.main.button]
    assert any(t.startswith("**Cómo leer esto.** Cada fila") for t in texts)


def test_profile_numbers_are_the_same_in_both_languages(profile_es, profile_en, raw_counties):
    spanish = profile_es.dataframe[0].value
    english = profile_en.dataframe[0].value
    assert list(spanish["Esta ciudad"]) == list(english["This city"])
    assert list(spanish["Estados Unidos"]) == list(english["United States"])
    assert spanish["Esta ciudad"].iloc[0] == english["This city"].iloc[0] == f"{essex_rank(raw_counties):.1f}"
    # the interval reads "low a high" in Spanish, with the same figures
    low, high = english["95% interval"].iloc[0].split(" to ")
    assert spanish["Intervalo del 95%"].iloc[0] == f"{low} a {high}"


def test_an_english_profile_after_a_spanish_one_is_english(profile_en):
    table = profile_en.dataframe[0].value
    assert table.columns[0] == "Key number"
    assert table["Key number"].iloc[0] == "Income rank at ~35: all children"
    assert set(table["City vs US"]) <= {"higher (better)", "higher (worse)", "lower (better)", "lower (worse)",
                                        "about the same", "-"}
    assert [h.value for h in profile_en.header][1] == "Key numbers next to the nation"


def test_compare_has_no_english_left(compare_es):
    assert without_pilot_texts(english_left(compare_es), CITY) == []


def display_values(at) -> pd.DataFrame:
    """The compare table's cells as shown (the Styler's formatted values)."""
    data = at.table[0].proto.arrow_data.styler.display_values
    return pa.ipc.open_stream(io.BytesIO(data)).read_all().to_pandas()


def test_compare_shows_spanish_and_the_same_numbers(compare_es, compare_en, raw_counties):
    assert compare_es.title[0].value == "Comparar ciudades"
    assert compare_es.multiselect(key="compare_cities").label == "Ciudades"
    sort = compare_es.selectbox(key="compare_sort")
    assert sort.label == "Ordenar por" and sort.options[:2] == ["Ciudad", "Posición de ingresos: todos"]
    spanish, english = compare_es.table[0].value, compare_en.table[0].value
    assert spanish.columns[0] == "Ciudad" and spanish["Ciudad"].iloc[-1] == "Estados Unidos (referencia)"
    assert english.columns[0] == "City" and english["City"].iloc[-1] == profiles.US_ROW
    assert "Posición de ingresos: todos" in spanish.columns
    essex = spanish.set_index("Ciudad").loc["Newark, NJ", "Posición de ingresos: todos"]
    assert essex == english.set_index("City").loc["Newark, NJ", "Income rank: all"]
    assert essex == pytest.approx(essex_rank(raw_counties))
    assert spanish.drop(columns="Ciudad").to_numpy().tolist() == english.drop(columns="City").to_numpy().tolist()
    shown_es, shown_en = display_values(compare_es), display_values(compare_en)
    assert shown_es.to_numpy().tolist() == [[v.replace(profiles.US_ROW, "Estados Unidos (referencia)")
                                             for v in row] for row in shown_en.to_numpy().tolist()]
    assert f"{essex_rank(raw_counties):.1f}" in set(shown_es.to_numpy().ravel())
    assert [s.value for s in compare_es.subheader] == ["Posición de ingresos a los ~35 años: todos los niños"]
    assert any(t.startswith("**Cómo leer esto.** Cada barra") for t in shown_texts(compare_es))


def test_compare_choices_survive_a_switch_of_language(compare_en):
    """The sort and chart choices are the English headers, shown in the reader's words: a switch keeps them."""
    at = conftest.open_page("pages/compare.py", params={"lang": "es"})
    at.selectbox(key="compare_sort").set_value("Jail 2010: Black men (%)").run()
    assert not at.exception
    assert at.selectbox(key="compare_chart").value == "Jail 2010: Black men (%)"
    assert at.subheader[0].value == "En prisión o en la cárcel en 2010: hombres negros"
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.selectbox(key="compare_sort").value == "Jail 2010: Black men (%)"
    assert at.subheader[0].value == "In prison or jail in 2010: Black men"
    assert "Jail 2010: Black men (%)" in at.table[0].value.columns


def test_compare_with_one_city_explains_in_spanish():
    at = conftest.open_page("pages/compare.py", params={"lang": "es"})
    at.multiselect(key="compare_cities").set_value(["tulsa"]).run()
    assert not at.exception
    assert at.info[0].value == "Elija al menos dos ciudades para comparar."


def test_missing_values_read_sin_estimacion():
    numbers = pd.DataFrame({"key": list(profiles.KEY_NUMBERS), "city": [math.nan] * len(profiles.KEY_NUMBERS),
                            "us": [0.4] * len(profiles.KEY_NUMBERS)})
    with i18n.speaking("es"):
        table = profiles.comparison_table({"Tulsa, OK": numbers, "Racine, WI": numbers})
        html = profiles.comparison_display(table).to_html()
        assert "sin estimación" in html and "no estimate" not in html
        assert profiles.KEY_NUMBERS["income_rank_hisp"].format(math.nan) == "sin estimación (menos de 20 niños)"
        assert "Más alto es mejor." in profiles.KEY_NUMBERS["income_rank_pooled"].help
        assert profiles.versus_us(profiles.KEY_NUMBERS["income_rank_pooled"], 0.35, 0.34, 0.36, 0.41) == \
            "más bajo (peor)"
    assert "no estimate" in profiles.comparison_display(profiles.comparison_table({"Tulsa, OK": numbers,
                                                                                   "Racine, WI": numbers})).to_html()


def test_the_chart_speaks_the_reader_language(compare_es):
    import json
    spec = json.loads(compare_es.get("vega_lite_chart")[0].proto.spec)
    text = json.dumps(spec, ensure_ascii=False)
    assert "Referencia" in text and "Intervalo del 95% desde" in text and '"title": "Ciudad"' in text
    assert "Reference" not in text and "95% interval from" not in text
    texts = [*shown_texts(compare_es), text]  # the chart's data (the US line's label): in its spec or a table
    assert any("Estados Unidos: " in t for t in texts)
    assert any(config.CITIES[CITY].label in t for t in texts) and not any("United States: " in t for t in texts)
