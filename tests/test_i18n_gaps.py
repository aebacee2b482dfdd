"""The race and class gaps page in Spanish: no English left, whole Spanish sentences that agree with the children
they describe, the same numbers as in English (and as data/raw), Spanish inside the chart specs and the tables'
headers, and caches that keep each language's charts apart."""
from __future__ import annotations

import json
import math
import re

import pandas as pd
import pytest

from explorer import config, gaps, i18n
from harness.i18n_check import english_left
from tests.conftest import open_page

PAGE = "pages/gaps.py"
NAN = math.nan


@pytest.fixture(scope="module")
def spanish():
    return open_page(PAGE, city="detroit", params={"lang": "es"})


def specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def titles(node) -> list[str]:
    """Every title (chart, axis, legend, tooltip) anywhere in a spec."""
    if isinstance(node, list):
        return [t for item in node for t in titles(item)]
    if not isinstance(node, dict):
        return []
    found = [node["title"]] if isinstance(node.get("title"), str) else []
    return found + [t for value in node.values() for t in titles(value)]


def numbers(sentence: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+\.\d", sentence)]


def texts(at) -> list[str]:
    return [m.value for m in at.markdown]


def test_the_page_in_spanish_leaves_no_english(spanish):
    assert not spanish.exception and not spanish.error
    assert english_left(spanish) == []
    assert [t.value for t in spanish.title] == ["Brechas de raza y clase"]
    headers = [h.value for h in spanish.header]
    assert "Posición de ingresos del hogar, según el ingreso de los padres y la raza" in headers
    assert "Detroit y las otras ciudades frente a todo el país" in headers
    captions = [c.value for c in spanish.caption]
    assert sum(c.startswith("Cómo leer esto: ") for c in captions) == len(gaps.HOW_TO_READ)
    assert spanish.slider(key="gap_pctile").label == "Percentil de ingresos de los padres"
    assert spanish.selectbox(key="gap_outcome").label == "Resultado"


def test_the_national_gap_at_p25_is_the_same_number_in_both_languages(spanish, raw_national):
    black, white = (raw_national.loc[25, f"kfr_{race}_pooled"] * 100 for race in ("black", "white"))
    expected = f"{black:.1f}", f"{white:.1f}", f"{white - black:.1f}"
    sentence = next(t for t in texts(spanish) if t.startswith("**Niños de padres en el percentil 25: negros"))
    assert sentence == ("**Niños de padres en el percentil 25: negros {}, blancos {}; una brecha de {} puntos "
                        "percentiles.**").format(*expected)
    raw = national(**{f"kfr_{race}_pooled": raw_national.loc[25, f"kfr_{race}_pooled"] for race in ("black", "white")})
    english = gaps.gap_sentence(raw, config.NATIONAL_OUTCOMES["kfr"], "pooled", 25)
    assert numbers(english) == numbers(sentence) == [float(n) for n in expected]


def test_daughters_and_sons_read_in_agreement(spanish, raw_national):
    shown = texts(spanish)
    daughters = next(t for t in shown if t.startswith("Hijas de padres en el percentil 25: negras"))
    black, white = (raw_national.loc[25, f"kir_{race}_female"] * 100 for race in ("black", "white"))
    assert daughters.startswith(f"Hijas de padres en el percentil 25: negras {black:.1f}, blancas {white:.1f};")
    assert daughters.endswith("con el valor más alto para las hijas negras.")
    sons = next(t for t in shown if t.startswith("Hijos de padres en el percentil 25: negros") and "%" in t)
    assert "una brecha de 8.2 puntos porcentuales, con el valor más alto para los hijos negros." in sons
    note = " ".join(i.value for i in spanish.info)
    assert "No hay estimación nacional para las hijas asiáticas." in note


def test_the_cities_sentences_keep_their_numbers(spanish, raw_counties, raw_national):
    raw = raw_counties.loc["26163"]
    county = (raw["kfr_white_pooled_p25"] - raw["kfr_black_pooled_p25"]) * 100
    us = (raw_national.loc[25, "kfr_white_pooled"] - raw_national.loc[25, "kfr_black_pooled"]) * 100
    sentence = next(t for t in texts(spanish) if t.startswith("Brecha entre blancos y negros en el percentil 25"))
    assert (f"{us:.1f} puntos percentiles en todo el país; Condado de Wayne (Detroit): {county:.1f}, "
            f"{us - county:.1f} puntos más estrecha que la brecha nacional.") in sentence
    assert "Brecha entre blancos e hispanos en el percentil 25" in sentence and ".." not in sentence
    assert any(t.startswith("En 1,873 de los 1,915 condados con ambas estimaciones") for t in texts(spanish))
    assert any(t.startswith("En el condado mediano de EE. UU., la pendiente rango-rango es 0.334") for t in texts(spanish))


def test_chart_titles_axes_and_tooltips_are_spanish_inside_the_specs(spanish):
    shown = specs(spanish)
    assert [s.get("title") for s in shown[1:7]] == ["Hijos", "Hijas", "Hijos", "Hijas",
                                                    "Brecha entre blancos y negros", "Brecha entre blancos e hispanos"]
    every = {t for s in shown for t in titles(s)}
    assert {"Percentil de ingresos de los padres", "Percentil de los padres",
            "Posición (0 = más pobre, 100 = más rico)", "Porcentaje de niños",
            "Brecha: blancos menos el grupo (puntos percentiles)", "Posición de los niños negros",
            "Posición de ingresos de los niños blancos", "Condado de estudio de", "Condado mediano de EE. UU."} <= every
    assert not {"County", "Parents' percentile", "Sons", "Daughters", "Median US county"} & every
    rule = next(p for p in shown[0]["params"] if p["name"] == "selected_pctile_label")
    assert rule["value"] == "percentil 25"
    legend = json.dumps(shown[7], ensure_ascii=False)  # the all-county scatter: its one legend's groups
    assert all(group in legend for group in ("Ciudad elegida", "Las otras ocho ciudades", "Otros condados de EE. UU."))
    assert "Selected city" not in legend and "posiciones iguales" in legend


def test_tables_have_spanish_headers_and_the_same_numbers(spanish, raw_counties):
    at = spanish
    with i18n.speaking("es"):  # the test's own thread formats the widgets' values (the Spanish outcome names)
        at.toggle(key="gap_counties_table").set_value(True)
        at.toggle(key="gap_gender_table").set_value(True).run()
    assert not at.exception
    tables = [d.value for d in at.dataframe]
    counties = next(t for t in tables if "FIPS del condado" in t.columns and "comparación" in t.columns)
    wayne = counties[(counties["FIPS del condado"] == "26163") & (counties["comparación"] == "Negros y blancos")].iloc[0]
    raw = raw_counties.loc["26163"]
    assert wayne["brecha (blancos menos el grupo, puntos percentiles)"] == round(
        (raw["kfr_white_pooled_p25"] - raw["kfr_black_pooled_p25"]) * 100, 1)
    assert wayne["situación"] == "con estimación" and wayne["condado"] == "Condado de Wayne"
    split = next(t for t in tables if "Niños" in t.columns)
    assert set(split["Niños"]) == {"Hijos", "Hijas"} and "Percentil de ingresos de los padres" in split.columns
    assert english_left(at) == []


def test_english_after_spanish_is_english_again(spanish):
    english = open_page(PAGE, city="detroit")
    assert not english.exception
    shown = specs(english)
    assert [s.get("title") for s in shown[1:7]] == ["Sons", "Daughters", "Sons", "Daughters",
                                                    "Black-white gap", "Hispanic-white gap"]
    assert any(t.startswith("**Children of parents at the 25th percentile: Black") for t in texts(english))
    assert any(t.startswith("Black-white gap at the 25th percentile") for t in texts(english))
    assert "Parents' income percentile" in {t for s in shown for t in titles(s)}


# ---------------------------------------------------------------- the sentences' grammar, without the page

def national(**columns: float) -> pd.DataFrame:
    return pd.DataFrame({"par_pctile": [24, 25, 26], **{k: [NAN, v, NAN] for k, v in columns.items()}})


@pytest.mark.parametrize("outcome, gender, columns, group, expected", [
    ("kfr", "pooled", {"kfr_black_pooled": NAN, "kfr_white_pooled": NAN}, "black",
     "Niños de padres en el percentil 25: no hay estimación nacional para los niños negros y blancos."),
    ("kfr", "female", {"kfr_hisp_female": 0.40001, "kfr_white_female": 0.40004}, "hisp",
     "Hijas de padres en el percentil 25: hispanas 40.0, blancas 40.0; no hay brecha al redondear a un decimal."),
    ("jail", "male", {"jail_black_male": 0.01, "jail_white_male": 0.03}, "black",
     "Hijos de padres en el percentil 25: negros 1.0%, blancos 3.0%; una brecha de 2.0 puntos porcentuales, "
     "con el valor más alto para los hijos blancos."),
    ("kfr", "female", {"kfr_white_female": 0.45}, "hisp",
     "Hijas de padres en el percentil 25: no hay estimación nacional para las hijas hispanas."),
])
def test_gap_sentences_in_spanish(outcome, gender, columns, group, expected):
    metric = config.NATIONAL_OUTCOMES[outcome]
    with i18n.speaking("es"):
        assert gaps.gap_sentence(national(**columns), metric, gender, 25, group) == expected


@pytest.mark.parametrize("words, expected", [
    (["negros"], "negros"), (["negros", "blancos"], "negros y blancos"),
    (["blancos", "hispanos"], "blancos e hispanos"),                    # "y" is "e" before the sound i
    (["negras", "hispanas", "nativas americanas"], "negras, hispanas y nativas americanas"),
])
def test_spanish_lists(words, expected):
    with i18n.speaking("es"):
        assert gaps._and(words) == expected
    assert gaps._and(["Black", "Hispanic"]) == "Black and Hispanic"


def test_too_few_note_and_percentile_names_in_spanish():
    rows = pd.DataFrame([{"label": "Condado de Osage (Tulsa)", "comparison": "Hispanos y blancos",
                          "status": "muy pocos niños hispanos para hacer una estimación"}])
    with i18n.speaking("es"):
        assert gaps.too_few_note(rows) == ("Muy pocos niños para hacer una estimación: Condado de Osage (Tulsa), "
                                           "brecha entre blancos e hispanos (muy pocos niños hispanos para hacer "
                                           "una estimación).")
        assert [gaps.percentile_name(n) for n in (1, 22, 93, 25)] == ["percentil 1", "percentil 22", "percentil 93",
                                                                        "percentil 25"]
    assert [gaps.percentile_name(n) for n in (1, 22, 93, 25)] == ["1st percentile", "22nd percentile",
                                                                    "93rd percentile", "25th percentile"]
