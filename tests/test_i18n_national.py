"""The "Race gap by tract" page in Spanish, with and without the national pack: no English sentence of the
catalog left, the same figures as in English, and the caches never serve one language's words to the other."""
from __future__ import annotations

import json

import pytest

from explorer import i18n
from explorer.data import cache
from explorer.national import race_gaps, read, tract_views
from harness.i18n_check import english_left, shown_texts
from tests import conftest
from tests.test_page_race_gap import expected_gaps

PAGE = "pages/race_gap_map.py"


def open_page(monkeypatch, base, lang: str, state: dict | None = None, **params):
    """The page on the national folder `base` in `lang`, opened from a link with `params`."""
    monkeypatch.setenv(read.NATIONAL_DIR_ENV, str(base))
    return conftest.open_page(PAGE, state=state, params={"lang": lang, **params})


def gap_layer(at) -> list[dict]:
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return next(layer for layer in spec["layers"] if layer["id"] == "tracts")["data"]


def tooltip(at) -> str:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)["html"]


def test_without_the_pack_the_notice_is_spanish(monkeypatch, tmp_path):
    at = open_page(monkeypatch, tmp_path, "es")
    assert not at.exception
    assert english_left(at) == []
    assert at.title[0].value == "Brecha racial por sector censal"
    assert at.info[0].value.startswith("**Esta página no está disponible en este sitio.**")
    assert any("**cualquier condado de EE. UU.**" in element.value for element in at.main.markdown)
    english = open_page(monkeypatch, tmp_path, "en")
    assert english.info[0].value.startswith("**This page is not available on this site.**")


def test_the_gap_map_in_spanish_shows_no_english_and_the_same_gaps(monkeypatch, national_pack, national_files):
    state = {"national_gap_table": True}
    at = open_page(monkeypatch, national_pack, "es", state, county="26163")
    assert not at.exception
    assert english_left(at) == []
    texts = "\n".join(shown_texts(at))
    for spanish in ("Condado (escriba para buscar)", "Ingreso de los padres", "bajo (percentil 25)",
                    "Brecha entre blancos y negros", "**Cómo leer este mapa.**", "Qué significa el color",
                    "Detalles del sector", "Niños negros: 5.0 puntos percentiles o más por debajo de los blancos",
                    "la brecha es claramente distinta de cero en 2"):
        assert spanish in texts, spanish
    county = at.selectbox(key="national_county")
    assert county.value == "26163" and county.format_func("26163") == "Condado de Wayne, Michigan"
    assert "Brecha (blancos menos negros): <b>{g}</b> puntos percentiles<br/>Intervalo del 95%: {i}" in tooltip(at)
    data = gap_layer(at)
    assert data[-1]["t"].endswith(" - sector 5104")
    assert [f["v"] for f in data] == ["diferencia clara", "sin diferencia clara", "diferencia clara"]

    english = open_page(monkeypatch, national_pack, "en", state, county="26163")
    assert not english.exception
    # The same figures, character for character, in both languages: tooltips and the gap table
    assert [(f["w"], f["k"], f["g"]) for f in data] == [(f["w"], f["k"], f["g"]) for f in gap_layer(english)]
    assert (data[0]["w"], data[0]["k"], data[0]["g"], data[0]["i"]) == ("45.0", "30.0", "+15.0", "+12.2 a +17.8")
    spanish_table, english_table = at.dataframe[1].value, english.dataframe[1].value
    assert list(spanish_table.columns)[:3] == ["sector", "blancos", "Negros"]
    assert "brecha, blancos menos negros (puntos percentiles)" in spanish_table.columns
    assert spanish_table.iloc[:, :6].values.tolist() == english_table.iloc[:, :6].values.tolist()
    expected = expected_gaps(national_files["/oi/tract_outcomes_simple.csv"], "26163", "kfr", "pooled", "25")
    for row in spanish_table.itertuples(index=False):
        assert row[3] == pytest.approx(expected[row[0]][0], abs=0.01)


def test_english_after_spanish_is_english_again(monkeypatch, national_pack):
    """Tract titles and county labels are cached: each language keeps its own."""
    at = open_page(monkeypatch, national_pack, "es", county="26163")
    assert gap_layer(at)[-1]["t"].endswith(" - sector 5104")
    english = open_page(monkeypatch, national_pack, "en", county="26163")
    assert english_left(english)  # the English page does show the catalog's sentences
    assert gap_layer(english)[-1]["t"].endswith(" - tract 5104")
    assert english.selectbox(key="national_county").format_func("26163") == "Wayne County, Michigan"
    assert "Gap (white minus Black): <b>{g}</b> percentile points" in tooltip(english)
    assert cache.tract_titles("26163")["26163500100"] == "Regent Park, Detroit - tract 5001"
    with i18n.speaking("es"):
        assert cache.tract_titles("26163")["26163500100"] == "Regent Park, Detroit - sector 5001"
        assert cache.national_pack_summary()[1].set_index("county_fips").loc["22071", "label"] == \
            "Parroquia de Orleans, Louisiana"
    assert cache.national_pack_summary()[1].set_index("county_fips").loc["22071", "label"] == \
        "Orleans Parish, Louisiana"


@pytest.mark.parametrize("params, state", [
    ({"county": "22071", "show": "group", "race": "white"}, {"national_group_table": True}),
    ({"county": "26065", "outcome": "jail", "gender": "male"}, {}),
    ({"county": "22071", "outcome": "kfr_top20", "show": "group"}, {}),
    ({"county": "26163", "basemap": "1"}, {}),
])
def test_other_choices_are_spanish_too(monkeypatch, national_pack, params, state):
    at = open_page(monkeypatch, national_pack, "es", state, **params)
    assert not at.exception
    assert english_left(at) == []
    details = at.dataframe[-1].value
    assert list(details.columns) == ["dato", "valor"]
    assert "Mediana del ingreso del hogar (2016)" in set(details["dato"])


def test_group_view_keeps_the_figures_and_translates_the_words(monkeypatch, national_pack):
    params, state = {"county": "22071", "show": "group", "race": "white"}, {"national_group_table": True}
    spanish = open_page(monkeypatch, national_pack, "es", state, **params)
    english = open_page(monkeypatch, national_pack, "en", state, **params)
    table_es = next(d.value for d in spanish.dataframe if "valor" in d.value.columns and "sector" in d.value.columns)
    table_en = next(d.value for d in english.dataframe if "value" in d.value.columns and "tract" in d.value.columns)
    assert table_es.fillna(-1).values.tolist() == table_en.fillna(-1).values.tolist()
    assert "Intervalo del 95%: {i}" in tooltip(spanish) and "Blancos, hombres y mujeres" in tooltip(spanish)
    values_es = [(f["v"], f["i"]) for f in gap_layer(spanish)]
    values_en = [(f["v"], f["i"].replace(" to ", " a ")) for f in gap_layer(english)]
    assert values_es == [(v.replace("no estimate", "sin estimación"), i) for v, i in values_en]


def test_missing_boundaries_are_said_in_spanish(monkeypatch, national_pack, tmp_path):
    import shutil
    copy = tmp_path / "national"
    shutil.copytree(national_pack, copy)
    shutil.rmtree(read.pack_dir(copy) / "tract_shapes" / "state=22")
    at = open_page(monkeypatch, copy, "es", county="22071")
    assert not at.exception
    assert english_left(at) == []
    assert at.info[0].value.startswith("Los límites de los sectores censales de Parroquia de Orleans, Louisiana")


def test_the_pure_parts_speak_the_reader_language():
    with i18n.speaking("es"):
        legend = race_gaps.gap_legend(race_gaps.race_gap(_empty(), "jail", "pooled", "25"), "jail")
        assert legend["range"].iloc[0] == "Niños negros: 5.0 puntos porcentuales o más por encima de los blancos"
        assert legend["range"].iloc[-1] == "sin diferencia clara (el intervalo del 95% incluye el 0)"
        assert read.TRACT_OUTCOMES["kfr"].format(float("nan")) == "sin estimación"
        assert read.TRACT_OUTCOMES["jail"].format(0.0512) == "5.1%"
        assert read.format_covariate("med_hhinc2016", 41250) == "$41,250"
        assert race_gaps.title_of("26163999999", {}) == "Sector 26163999999"
        assert tract_views.group_scale([0.2, 0.3], "kfr").basis == "todos los sectores censales de EE. UU."
    assert read.TRACT_OUTCOMES["jail"].label == "In prison or jail on April 1, 2010"
    assert race_gaps.title_of("26163999999", {}) == "Tract 26163999999"


def _empty():
    import pandas as pd
    return pd.DataFrame()
