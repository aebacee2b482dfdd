"""The exports in Spanish: the city brief (PDF) and an exported chart's context lines, checked against
data/raw; the figures are the same characters as in English, and an English brief after a Spanish one is
English again (the brief is built in a download's worker thread, in the language it is given)."""
from __future__ import annotations

import dataclasses
import io
import math
import xml.etree.ElementTree as ElementTree
from concurrent.futures import ThreadPoolExecutor

import altair as alt
import pandas as pd
import pytest
from fpdf import FPDF
from pypdf import PdfReader

from explorer import config, exports, i18n
from explorer.data import cache, store
from harness.i18n_check import catalog_sentences

LINK = "https://explorer.example.org/pilot?city={city}&lang={lang}"


def _read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _brief(city_id: str, lang: str) -> tuple[PdfReader, str]:
    with i18n.speaking(lang):  # as the download's builder runs (ui.widgets binds it to the page's language)
        inputs = cache.brief_inputs(city_id, LINK.format(city=city_id, lang=lang))
    return _read(exports.city_brief_pdf(city_id, inputs, lang))


@pytest.fixture(scope="module")
def detroit():
    """Detroit's brief in Spanish, then in English (in that order: the English must not keep the Spanish)."""
    spanish = _brief("detroit", "es")
    english = _brief("detroit", "en")
    return {"es": spanish, "en": english}


def _wayne_row(raw_counties: pd.DataFrame, raw_national: pd.DataFrame, to: str) -> str:
    """Wayne County's row of the key numbers, for all races, from data/raw (ranks x 100, one decimal)."""
    county = raw_counties.loc[config.CITIES["detroit"].main_county]
    rank, se = county["kfr_pooled_pooled_p25"], county["kfr_pooled_pooled_p25_se"]
    national = raw_national.loc[25, "kfr_pooled_pooled"]
    return (f"{100 * rank:.1f} {100 * (rank - 1.959964 * se):.1f} {to} {100 * (rank + 1.959964 * se):.1f} "
            f"{100 * national:.1f} {100 * (rank - national):+.1f}")


def test_the_spanish_brief_has_spanish_headings_and_the_english_figures(detroit, raw_counties, raw_national):
    reader, text = detroit["es"]
    assert len(reader.pages) == 1
    for heading in ("Detroit, MI",
                    "Resumen de movilidad económica - condado principal: Condado de Wayne, Michigan",
                    "Posición de ingresos del hogar a los 35 años aproximadamente, niños de padres de bajos "
                    "ingresos (Condado de Wayne)",
                    "Niños Condado de Wayne Intervalo del 95% Estados Unidos Brecha (puntos)",
                    "Vecindarios: ingreso del hogar a los 35 años aproximadamente",
                    "El proyecto piloto de la ciudad",
                    "Fuente: Opportunity Insights (Chetty, Friedman, Hendren, Jones y Porter",
                    "Niños nacidos en 1978-83, ingresos medidos en 2014-15"):
        assert heading in text
    rank = raw_counties.loc[config.CITIES["detroit"].main_county, "kfr_pooled_pooled_p25"]
    figure = f"{100 * rank:.1f}"  # Wayne County's income rank at p25
    assert f"Todas las razas {figure} " in text and f"All races {figure} " in detroit["en"][1]
    assert f"Todas las razas {_wayne_row(raw_counties, raw_national, 'a')}" in text
    assert f"All races {_wayne_row(raw_counties, raw_national, 'to')}" in detroit["en"][1]
    black = raw_counties.loc[config.CITIES["detroit"].main_county, "kfr_black_pooled_p25"]
    assert f"Negros {100 * black:.1f}" in text and f"Black {100 * black:.1f}" in detroit["en"][1]


def test_the_spanish_brief_has_no_english_sentence_of_the_catalog(detroit):
    _, text = detroit["es"]
    assert [sentence for sentence in catalog_sentences() if sentence in text] == []
    for english in ("Household income rank at about age 35, children", "Neighborhoods:", "The city's pilot",
                    "Source:", "Open this view in the app", "tracts", "95% interval", "United States",
                    "Economic mobility brief", "Children born", "What it tried", "Themes:"):
        assert english not in text


def test_the_spanish_legend_counts_tracts_in_spanish(detroit):
    tracts = store.study_tracts("detroit", config.processed_dir())
    missing = int(tracts.loc[tracts["city_share"] > 0, "household_income_p25"].isna().sum())
    _, text = detroit["es"]
    assert f"sin estimación (menos de 20 niños): {missing} sectores" in text
    assert f"no estimate (fewer than 20 children): {missing} tracts" in detroit["en"][1]


def test_the_spanish_brief_links_its_view_and_says_so_in_spanish(detroit):
    _, text = detroit["es"]
    assert f"Abra esta vista en la aplicación: {LINK.format(city='detroit', lang='es')}" in text


def test_the_pdf_says_its_language_and_title(detroit):
    spanish, english = detroit["es"][0], detroit["en"][0]
    assert spanish.trailer["/Root"]["/Lang"] == "es" and english.trailer["/Root"]["/Lang"] == "en"
    assert spanish.metadata.title == "Detroit, MI: resumen de la ciudad"
    assert english.metadata.title == "Detroit, MI: city brief"


def test_an_english_brief_after_a_spanish_one_is_english(detroit):
    _, text = detroit["en"]
    assert "Household income rank at about age 35, children of low-income parents (Wayne County)" in text
    assert "Children Wayne County 95% interval United States Gap (points)" in text
    assert "The city's pilot" in text and "Source: Opportunity Insights" in text
    for spanish in ("Posición", "Vecindarios", "Condado de Wayne", "sectores", "Fuente", "Niños"):
        assert spanish not in text
    assert i18n.current() == "en"  # the Spanish brief left the test's own language as it was


@pytest.mark.parametrize("city_id", list(config.CITIES))
def test_every_spanish_brief_is_one_page(city_id):
    reader, text = _brief(city_id, "es")
    assert len(reader.pages) == 1
    assert config.CITIES[city_id].label in text and "Fuente: Opportunity Insights" in text


def test_a_long_spanish_brief_keeps_every_part_on_its_one_page():
    """Lansing's Spanish runs long (its pilot has a lesson and a result): the map (then the pilot's type) is
    drawn a little smaller so that the pilot and the source line still fit, and nothing is left out."""
    reader, text = _brief("lansing", "es")
    assert len(reader.pages) == 1
    assert "Qué se aprendió:" in text and "Resultados:" in text and text.rstrip().endswith(
        "Hecho con el Explorador de Movilidad Económica.")


def test_the_brief_built_in_a_worker_thread_speaks_the_language_it_is_given():
    """A download's builder runs in another thread, which speaks the default language of its own."""
    with ThreadPoolExecutor(1) as pool:
        with i18n.speaking("es"):  # the page's run binds the builder, as ui.widgets does
            builder = i18n.bound(lambda: exports.city_brief_pdf("racine", cache.brief_inputs("racine")))
        spanish = pool.submit(builder).result()
        default = pool.submit(lambda: exports.city_brief_pdf("racine", cache.brief_inputs("racine"))).result()
        spoken = pool.submit(lambda: exports.city_brief_pdf("racine", cache.brief_inputs("racine"), "es")).result()
    assert "El proyecto piloto de la ciudad" in _read(spanish)[1]
    assert "The city's pilot" in _read(default)[1]
    assert _read(spoken)[1] == _read(spanish)[1]


def test_spanish_letters_print_in_the_briefs_font():
    """fpdf2's core Helvetica is Latin-1: every Spanish letter and mark is drawn, none becomes '?'."""
    letters = "á é í ó ú ü ñ Á É Í Ó Ú Ü Ñ ¿ ¡ « »"
    assert exports.latin1(letters) == letters
    pdf = FPDF(format="letter")
    pdf.add_page()
    exports._para(pdf, f"¿Cómo leer esto? ¡Año de niños! {letters}")
    _, text = _read(bytes(pdf.output()))
    assert f"¿Cómo leer esto? ¡Año de niños! {letters}" in text


@pytest.fixture(scope="module")
def chart() -> alt.Chart:
    frame = pd.DataFrame({"parent_percentile": [1, 25, 50, 75, 100], "child_rank": [30.1, 41.0, 49.2, 57.3, 70.0]})
    return alt.Chart(frame).mark_line().encode(x="parent_percentile:Q", y="child_rank:Q")


def test_a_chart_exports_its_context_in_spanish(chart):
    kfr, jail = config.NATIONAL_OUTCOMES["kfr"], config.NATIONAL_OUTCOMES["jail"]
    with i18n.speaking("es"):
        context = exports.ChartContext(kfr.label, "Tulsa, OK y EE. UU. - hijos por raza e ingreso de los padres",
                                       exports.source_line(kfr, jail))
        svg = exports.chart_svg(chart, context)
    assert context.title == "Posición de ingresos del hogar"
    assert context.source == ("Fuente: Opportunity Insights, national_percentile_outcomes, niños nacidos en "
                              "1978-83, seguidos hasta 2014-15")
    texts = [e.text for e in ElementTree.fromstring(svg).iter() if e.tag.endswith(("text", "tspan"))]
    assert context.title in texts and context.subtitle in texts and context.source in texts
    assert exports.chart_png(chart, context).startswith(b"\x89PNG")
    english = exports.source_line(kfr, jail)  # after the Spanish: English again
    assert english == ("Source: Opportunity Insights, national_percentile_outcomes, children born 1978-83, "
                       "followed to 2014-15")


def test_the_source_line_names_each_data_set_with_its_cohort_in_spanish():
    with i18n.speaking("es"):
        line = exports.source_line(config.METRICS["income_rank_p25"], config.METRICS["absolute_mobility_2014"])
    assert line == ("Fuente: Opportunity Insights, county_outcomes_simple, niños nacidos en 1978-83, seguidos hasta "
                    "2014-15; mobility, niños nacidos en 1980-82")


def test_a_missing_estimate_reads_sin_estimacion_in_the_spanish_table():
    """Where the county file has no estimate for a group, the row says so in Spanish, with no interval or gap."""
    fips = config.CITIES["racine"].main_county
    counties = cache.counties().copy()
    assert not math.isnan(float(store.pick_county(counties, fips)["kfr_hisp_pooled_p25"]))  # so it is checked
    counties.loc[counties["county_fips"] == fips, "kfr_hisp_pooled_p25"] = math.nan
    inputs = dataclasses.replace(cache.brief_inputs("racine"), counties=counties)
    _, text = _read(exports.city_brief_pdf("racine", inputs, "es"))
    assert "Hispanos sin estimación sin estimación (menos de 20 niños)" in text
