"""What the evidence says on screen and in print: the What works page (its theme in the address), the profile's
section, the city brief's line and the data-walk kit's evidence station."""
from __future__ import annotations

import dataclasses
import io

import pytest
from pypdf import PdfReader

from explorer import config, exports, i18n, plain, views, walk_kit
from explorer.data import cache
from tests.conftest import open_page

FOUND = cache.evidence()


def texts(at) -> list[str]:
    return [plain.as_read(e.value) for e in (*at.markdown, *at.caption, *at.subheader, *at.header)]


def url(at) -> dict[str, str]:
    return {name: at.query_params[name] for name in at.query_params}


def test_a_link_opens_its_theme_with_the_pilot_cities_strategies_and_cards(raw_counties):
    at = open_page("pages/what_works.py", params={"theme": "early-childhood", "city": "tulsa"})
    assert not at.exception and not at.toast
    assert at.radio(key="works_theme").value == "early-childhood"
    assert "Early childhood" in texts(at)
    assert [s.value for s in at.subheader] == ["Preschool attendance and parent engagement"]
    assert "**Pilot cities:** Dayton, OH." in [m.value for m in at.markdown]
    assert any(t.startswith("**Show Up to Grow Up") for t in (m.value for m in at.markdown))
    assert sum(m.value.startswith(":green-badge[") for m in at.markdown) == 3  # three randomized trials
    table = at.table[0].value
    dayton = table[table.iloc[:, 0] == "Dayton, OH"]
    montgomery = raw_counties.loc[config.CITIES["dayton"].main_county, "kfr_pooled_pooled_p25"]
    assert dayton.iloc[0, 1] == pytest.approx(round(100 * montgomery, 1), abs=0.05)  # the key numbers beside them
    assert url(at) == {"theme": "early-childhood", "city": "tulsa"}


def test_choosing_a_theme_writes_it_into_the_address():
    at = open_page("pages/what_works.py")
    assert at.radio(key="works_theme").value == "housing-stability"  # the first theme by default
    at.radio(key="works_theme").set_value("youth-employment").run()
    assert url(at)["theme"] == "youth-employment"
    assert [s.value for s in at.subheader] == ["Paid youth internships and summer jobs",
                                              "Sector-based job training for young adults"]


def test_an_unknown_theme_in_a_link_is_named_and_the_page_still_opens():
    at = open_page("pages/what_works.py", params={"theme": "<b>space</b>"})
    assert not at.exception and at.radio(key="works_theme").value == "housing-stability"
    assert [plain.as_read(t.value) for t in at.toast][0].startswith("Ignored theme=?b?space??b? (must be one of:")


def test_the_profile_shows_the_evidence_for_its_pilot_and_the_others_that_tried_something_similar():
    at = open_page("pages/profile.py", city="newark")
    assert "What the evidence says" in [h.value for h in at.header]
    subheaders = [s.value for s in at.subheader]
    assert "Reminder letters and behavioural nudges" in subheaders and "Housing stability and eviction prevention" in subheaders
    markdown = " ".join(m.value for m in at.markdown)
    assert "20 times" in markdown and "1,932 properties" in markdown
    assert "(https://www.newarknj.gov/news/mayor-baraka-says-rent-control-registration-by-landlords-at-an-all-time-high)" \
        in " ".join(c.value for c in at.caption)  # the card's source, linked
    assert "**Others of the nine that tried something similar:** Detroit, MI (Housing stability and eviction " \
           "prevention)." in [m.value for m in at.markdown]


def test_the_profile_s_evidence_reads_in_spanish():
    at = open_page("pages/profile.py", city="dayton", params={"lang": "es", "city": "dayton"})
    assert "Lo que dice la evidencia" in [h.value for h in at.header]
    assert "Asistencia al preescolar y participación de los padres" in [s.value for s in at.subheader]
    assert any("2.5 días" in m.value and "9.3 puntos porcentuales" in m.value for m in at.markdown)


def brief_text(city_id: str, lang: str = "en", **changes) -> tuple[int, str]:
    inputs = dataclasses.replace(cache.brief_inputs(city_id), **changes)
    reader = PdfReader(io.BytesIO(exports.city_brief_pdf(city_id, inputs, lang)))
    return len(reader.pages), " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("city_id", list(config.CITIES))
def test_the_brief_gives_one_line_on_the_evidence_with_a_source_and_stays_on_one_page(city_id, lang):
    pages, text = brief_text(city_id, lang)
    strategy = FOUND.of_city(city_id)[0]
    with i18n.speaking(lang):
        line = exports.latin1(f"({strategy.name}): {strategy.bottom_line}")
    assert pages == 1
    assert " ".join(line.split())[:60] in text  # the line (wrapped on the page)
    assert FOUND.cards_for(strategy.id)[0].sources[0][:40] in text.replace(" ", "")


def test_a_brief_without_the_evidence_file_leaves_the_line_out():
    pages, text = brief_text("racine", evidence=None)
    assert pages == 1 and "What the evidence says" not in text


def test_the_kit_s_evidence_station_prints_the_theme_s_studies_and_where_they_were_read():
    walk = views.ViewsFile("Evidence", (views.View("What works for young people", "what-works", "",
                                                   {"theme": "youth-employment"}, ("What would work here?",)),))
    reader = PdfReader(io.BytesIO(walk_kit.kit_pdf(walk, walk_kit.posters(walk, "https://example.org", cache))))
    poster = " ".join(reader.pages[1].extract_text().split())
    assert "Paid youth internships and summer jobs" in poster and "Sector-based job training" in poster
    assert "43 percent" in poster and "$8,251" in poster
    assert "Sources: the studies named, read at science.sciencemag.org, clear.dol.gov" in poster
    assert "theme=youth-employment" in poster.replace(" ", "")  # the poster's live link opens the theme


def test_the_page_says_what_the_sidebar_s_city_piloted_and_opens_its_theme():
    at = open_page("pages/what_works.py", city="tulsa")
    assert "**Tulsa, OK** piloted: Sector-based job training for young adults (Youth employment)." in [
        m.value for m in at.markdown]
    at.button(key="works_own_theme").click().run()
    assert at.radio(key="works_theme").value == "youth-employment" and url(at)["theme"] == "youth-employment"
    assert not [b for b in at.button if b.key == "works_own_theme"]  # on its theme already: no button
