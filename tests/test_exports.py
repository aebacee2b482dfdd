"""Exports: charts as PNG/SVG, and the one-page city brief checked against data/raw."""
from __future__ import annotations

import dataclasses
import io
import math
import xml.etree.ElementTree as ElementTree

import altair as alt
import pandas as pd
import pytest
from pypdf import PdfReader

from explorer import config, exports, pilots
from explorer.data import cache, store
from explorer.maps import scales


@pytest.fixture(scope="module")
def chart() -> alt.Chart:
    frame = pd.DataFrame({"parent_percentile": [1, 25, 50, 75, 100], "child_rank": [30.1, 41.0, 49.2, 57.3, 70.0]})
    return alt.Chart(frame).mark_line().encode(x="parent_percentile:Q", y="child_rank:Q")


def test_chart_png_is_a_png(chart):
    png = exports.chart_png(chart)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(png[16:20], "big")
    assert width > 2 * 200  # scale 2 of a chart at least 200 px wide


def test_chart_svg_parses_as_xml_and_draws_the_line(chart):
    root = ElementTree.fromstring(exports.chart_svg(chart))
    assert root.tag.endswith("svg")
    assert any(e.tag.endswith("path") for e in root.iter())


def test_the_briefs_bins_are_the_maps_seven_groups_of_all_us_tracts(raw_tracts):
    """The printed map uses the neighborhood map's national scale: sevenths of every US tract's household
    income at p25 (to the nearest $100), the first edge $26,200 as the screen's legend says."""
    values = raw_tracts["Household_Income_at_Age_35_rP_gP_p25"].dropna()
    expected = tuple(round(values.quantile(q / 7), -2) for q in range(1, 7))
    scale = cache.brief_inputs("detroit").scale
    assert scale == cache.tract_scale("household_income_p25", "national", "detroit")  # the map's own, one source
    assert scale.breaks == pytest.approx(expected) and len(scale.colours) == 7
    assert scales.bin_labels(scale)[0] == "under $26,200"


def test_the_briefs_legend_is_the_screens_for_the_citys_tracts(raw_tracts, profiles):
    """Each bin's range and its number of the city's tracts, counted from data/raw with the same edges."""
    tracts = store.study_tracts("detroit", config.processed_dir())
    city = tracts.loc[tracts["city_share"] > 0, "tract"]
    values = raw_tracts["Household_Income_at_Age_35_rP_gP_p25"].reindex(city)  # NaN: no estimate
    scale = cache.tract_scale("household_income_p25", "national", "detroit")
    _, text = _brief_text("detroit", pilots=profiles)
    labels = scales.bin_labels(scale)
    edges = [-math.inf, *scale.breaks, math.inf]
    for index, label in enumerate(labels):
        count = int(((values >= edges[index]) & (values < edges[index + 1])).sum())
        assert f"{label}: {count} tracts" in text
    assert "under $27,800" not in text  # the old brief's own fifths


@pytest.mark.parametrize("text, plain", [
    ("Tulsa\u2019s \u201cNextUp\u201d \u2014 jobs", "Tulsa's \"NextUp\" - jobs"),
    ("Caf\u00e9", "Caf\u00e9"),
    ("\u4e2d", "?"),
])
def test_latin1(text, plain):
    assert exports.latin1(text) == plain


@pytest.fixture(scope="module")
def profiles() -> pilots.Pilots:
    return pilots.load_pilots()


def _brief_text(city_id: str, **changes) -> tuple[int, str]:
    """The brief's page count and text, from the app's data layer with `changes` to its inputs."""
    inputs = dataclasses.replace(cache.brief_inputs(city_id), **changes)
    reader = PdfReader(io.BytesIO(exports.city_brief_pdf(city_id, inputs)))
    return len(reader.pages), " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.parametrize("city_id", list(config.CITIES))
def test_city_brief_is_one_page_with_the_citys_name_and_county_rank(city_id, raw_counties, raw_national, profiles):
    pages, text = _brief_text(city_id, pilots=profiles)
    city = config.CITIES[city_id]
    county = raw_counties.loc[city.main_county]
    rank, se = county["kfr_pooled_pooled_p25"], county["kfr_pooled_pooled_p25_se"]
    national = raw_national.loc[25, "kfr_pooled_pooled"]
    assert pages == 1
    assert city.label in text
    row = f"All races {100 * rank:.1f} {100 * (rank - 1.959964 * se):.1f} to {100 * (rank + 1.959964 * se):.1f}"
    assert f"{row} {100 * national:.1f} {100 * (rank - national):+.1f}" in text
    black = county["kfr_black_pooled_p25"]
    expected_black = "no estimate" if math.isnan(black) else f"{100 * black:.1f}"
    assert f"Black {expected_black}" in text


def test_city_brief_carries_the_pilot_summary():
    profile = pilots.load_pilots().profiles["newark"]
    _, text = _brief_text("newark")
    assert profile.pilot in text
    assert " ".join(profile.summary.text.split()[:6]) in text


def test_city_brief_without_pilots_says_so():
    pages, text = _brief_text("racine", pilots=None)
    assert pages == 1 and "The pilot profile is not available" in text


def test_city_brief_legend_counts_tracts_without_an_estimate(profiles):
    tracts = store.study_tracts("newark", config.processed_dir())
    missing = int(tracts.loc[tracts["city_share"] > 0, "household_income_p25"].isna().sum())
    assert missing > 0  # so the count in the legend is really checked
    _, text = _brief_text("newark", pilots=profiles)
    assert f"no estimate (fewer than 20 children): {missing} tracts" in text


def test_city_brief_refuses_an_unknown_city():
    with pytest.raises(ValueError, match="Unknown city"):
        cache.brief_inputs("gotham")
    with pytest.raises(ValueError, match="Unknown city"):
        exports.city_brief_pdf("gotham", cache.brief_inputs("tulsa"))


@pytest.mark.parametrize("city_id, name", [("new-orleans", "economic-mobility-brief-new-orleans.pdf"),
                                           ("tulsa", "economic-mobility-brief-tulsa.pdf")])
def test_brief_file_name(city_id, name):
    assert exports.brief_file_name(city_id) == name


def test_a_spec_as_pages_keep_it_exports_with_its_data():
    """Pages draw light specs whose bigger datasets are DataFrames; exports turn them into records (NaN -> null)."""
    from explorer import charts
    frame = pd.DataFrame({"parent_percentile": range(1, 151), "child_rank": [float(p) for p in range(1, 151)]})
    frame.loc[9, "child_rank"] = math.nan
    spec = charts.light_spec(alt.Chart(frame).mark_point().encode(x="parent_percentile:Q", y="child_rank:Q"))
    assert any(isinstance(rows, pd.DataFrame) for rows in spec["datasets"].values())
    plain = exports.vega_lite_dict(spec)
    (rows,) = plain["datasets"].values()
    assert len(rows) == 150 and rows[9]["child_rank"] is None and rows[0] == {"parent_percentile": 1, "child_rank": 1.0}
    root = ElementTree.fromstring(exports.chart_svg(spec))
    assert sum(e.tag.endswith("path") for e in root.iter()) >= 149  # one mark per drawn point
    assert exports.chart_png(spec).startswith(b"\x89PNG")


def test_an_exported_chart_carries_its_title_its_who_and_what_and_its_source(chart):
    context = exports.ChartContext("Household income rank, by parents' income and race",
                                   "Tulsa, OK and the US - sons by race and parents' income",
                                   exports.source_line(config.NATIONAL_OUTCOMES["kfr"], config.NATIONAL_OUTCOMES["jail"]))
    assert context.source == ("Source: Opportunity Insights, national_percentile_outcomes, children born 1978-83, "
                              "followed to 2014-15")  # one data set named once
    texts = [e.text for e in ElementTree.fromstring(exports.chart_svg(chart, context)).iter()
             if e.tag.endswith(("text", "tspan"))]  # the subtitle's two lines are two tspans
    assert context.title in texts and context.subtitle in texts and context.source in texts
    plain, titled = exports.chart_png(chart), exports.chart_png(chart, context)
    assert int.from_bytes(titled[20:24], "big") > int.from_bytes(plain[20:24], "big")  # taller: the title block


def test_the_source_line_names_each_data_set_with_its_cohort():
    line = exports.source_line(config.METRICS["income_rank_p25"], config.METRICS["absolute_mobility_2014"])
    assert line == ("Source: Opportunity Insights, county_outcomes_simple, children born 1978-83, followed to 2014-15; "
                    "mobility, children born 1980-82")


def test_the_brief_prints_the_citys_live_link_as_text_and_as_a_qr_code_that_opens_it(profiles):
    """The QR code decodes to the link, and the link opens the profile page on the brief's city."""
    import zxingcpp
    from urllib.parse import parse_qs, urlsplit

    from tests.conftest import open_page
    link = "https://explorer.example.org/pilot?city=racine"
    reader = PdfReader(io.BytesIO(exports.city_brief_pdf("racine", dataclasses.replace(
        cache.brief_inputs("racine", link), pilots=profiles))))
    assert len(reader.pages) == 1
    assert link in " ".join(reader.pages[0].extract_text().split())
    decoded = [result.text for image in reader.pages[0].images
               for result in zxingcpp.read_barcodes(image.image.convert("L"))]
    assert decoded == [link]
    parts = urlsplit(decoded[0])
    at = open_page("pages/profile.py", params={k: v[-1] for k, v in parse_qs(parts.query).items()})
    assert parts.path == "/pilot" and not at.exception and at.session_state["city"] == "racine"
    assert at.title[0].value.startswith("Racine")


def test_a_brief_without_a_link_has_no_qr_code(profiles):
    reader = PdfReader(io.BytesIO(exports.city_brief_pdf("racine", dataclasses.replace(
        cache.brief_inputs("racine"), pilots=profiles))))
    assert "Open this view in the app" not in reader.pages[0].extract_text()
