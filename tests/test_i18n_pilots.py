"""The pilot profiles in Spanish: Babel finds every text of data/pilots.yaml (explorer.catalog_extract through
babel.cfg), each has its Spanish, a profile read in Spanish keeps every number of the English, and the one
cached copy of the profiles serves each language in turn."""
from __future__ import annotations

import io
import re

import pytest

from explorer import catalog_extract, config, i18n, pilots
from explorer.data import cache
from harness.i18n_check import english_left
from tests.conftest import open_page
from tests.test_pilots import all_facts
from tests.test_i18n import source_messages, spanish_catalog

YAML = config.PILOTS_FILE
LANSING_PILOT = "Lansing SAVE - a savings account for every kindergartner"
NEWARK_RESULT = "Landlords who got the letter were more than 20 times as likely to register by the deadline."
NEWARK_PILOT_ES = "Una carta recordatorio que logró que los propietarios registraran las viviendas con control de alquiler"
NEWARK_SUMMARY_ES = ("Probó una carta recordatorio a los propietarios que aumentó mucho el registro de viviendas con "
                     "control de alquiler.")


def figures(text: str) -> list[str]:
    """The figures of a text as written ("1,932", "15.6", "2020"), sorted as text, for comparing two languages."""
    return sorted(re.findall(r"\d[\d,.]*\d|\d", text))


@pytest.fixture(scope="module")
def loaded() -> pilots.Pilots:
    return pilots.load_pilots(YAML)


@pytest.fixture(scope="module")
def extracted() -> list[tuple[int, str, str]]:
    return list(catalog_extract.pilot_texts(YAML.read_text(encoding="utf-8")))


def english_texts(loaded: pilots.Pilots) -> set[str]:
    """Every text of the loaded profiles a reader can see, in English (the catalog's ids)."""
    texts = set(loaded.themes.values()) | {fact.text for fact in loaded.initiative}
    texts |= {text for t in loaded.takeaways for text in (t.title, t.text, t.connects)}
    for profile in loaded.profiles.values():
        texts |= {profile.pilot, profile.summary.text}
        texts |= {fact.text for facts in profile.sections.values() for fact in facts}
    return texts


def test_the_extractor_yields_the_known_texts_and_no_addresses(extracted):
    texts = [text for _, text, _ in extracted]
    assert LANSING_PILOT in texts and NEWARK_RESULT in texts
    assert "Housing stability" in texts and "Bring the whole community in" in texts
    assert not [t for t in texts if "http" in t or t in config.CITIES or t in ("story", "peers", "numbers")]
    lines = YAML.read_text(encoding="utf-8").splitlines()
    lineno, _, where = next(item for item in extracted if item[1] == LANSING_PILOT)
    assert LANSING_PILOT in lines[lineno - 1] and where == "lansing, pilot name"


def test_the_extractor_yields_exactly_what_the_loader_shows(loaded, extracted):
    """No shown field left out, none extra, and each text joined on one line as the loader keeps it."""
    assert {text for _, text, _ in extracted} == english_texts(loaded)


def test_babel_finds_the_yaml_texts_through_babel_cfg():
    """What `pybabel extract -F babel.cfg` (and tests/test_i18n.py) reads: the YAML's texts by its extractor."""
    found = source_messages()
    assert found[LANSING_PILOT][0] == "data/pilots.yaml" and NEWARK_RESULT in found
    assert "{text} **(unconfirmed)** (source: {links})" in found  # the loader's own line, from explorer/pilots.py


def test_the_babel_interface_takes_bytes_and_gives_a_note():
    source = b"themes:\n  a: Early childhood\ncities:\n  x:\n    pilot: A name\n    summary: {text: One line.}\n"
    found = list(catalog_extract.extract_pilots(io.BytesIO(source), ["_"], [], {}))
    assert found == [(2, None, "Early childhood", ["pilots.yaml: theme a"]),
                     (5, None, "A name", ["pilots.yaml: x, pilot name"]),
                     (6, None, "One line.", ["pilots.yaml: x, summary"])]


def test_every_extracted_text_has_spanish(extracted):
    catalog = spanish_catalog()
    missing = [text for _, text, _ in extracted
               if not (catalog.get(text) and catalog.get(text).string and catalog.get(text).string != text)]
    assert missing == []


def test_a_profile_read_in_spanish_is_spanish_with_the_same_numbers(loaded):
    newark = loaded.profiles["newark"]
    english = [(fact.text, fact.confirmed) for fact in all_facts(loaded)]
    with i18n.speaking("es"):
        assert newark.pilot == NEWARK_PILOT_ES and newark.summary.text == NEWARK_SUMMARY_ES
        spanish = [(fact.text, fact.confirmed) for fact in all_facts(loaded)]
        assert loaded.profiles["racine"].sections["results"][0].text.startswith(
            "Este resultado es de todo el programa, no solo del proyecto piloto: 408 personas")
        assert "1,932" in newark.sections["results"][1].text
    assert len(spanish) == len(english) > 50
    for (en, confirmed_en), (es, confirmed_es) in zip(english, spanish):
        assert es != en and figures(es) == figures(en) and confirmed_es == confirmed_en, (en, es)
    assert newark.summary.text.startswith("Tested a reminder letter")  # English again outside the block


def test_headings_themes_peers_and_the_unconfirmed_mark_in_spanish(loaded):
    newark = loaded.profiles["newark"]
    with i18n.speaking("es"):
        assert list(pilots.SECTIONS.values())[:3] == ["Socios", "A quiénes atendió", "Qué se hizo"]
        assert pilots.NO_PUBLIC_ACCOUNT["results"].startswith("No se encontró ningún resultado público")
        assert loaded.theme_labels("detroit") == ["Estabilidad de la vivienda", "Seguridad financiera"]
        assert pilots.peers(loaded, "newark")[0].shared_themes == ("Estabilidad de la vivienda",)
        assert "Seguridad financiera" in pilots.cities_by_theme(loaded)
        line = pilots.fact_markdown(newark.sections["timeline"][1])
        assert "**(sin confirmar)** (fuente: [newarknj.gov](https://www.newarknj.gov/" in line
        assert loaded.takeaway("story").title == "Sumar a toda la comunidad"
    assert loaded.themes["housing-stability"] == "Housing stability"
    assert "**(unconfirmed)** (source: " in pilots.fact_markdown(newark.sections["timeline"][1])


def test_the_cached_profiles_serve_each_language_in_turn():
    with i18n.speaking("es"):
        assert cache.pilots().profiles["newark"].pilot == NEWARK_PILOT_ES
    assert cache.pilots().profiles["newark"].pilot.startswith("A reminder letter")


def pilot_english_left(at, loaded) -> list[str]:
    """The English of the profiles' texts that a run still shows (the page's own texts are another matter)."""
    ours = {re.sub(r"[*_`]", "", text) for text in english_texts(loaded)}
    return [sentence for sentence in english_left(at) if sentence in ours]


def test_the_profile_page_in_spanish_shows_the_spanish_profile_then_english_again(loaded):
    spanish = open_page("pages/profile.py", city="newark", params={"lang": "es"})
    assert not spanish.exception
    assert spanish.subheader[0].value == NEWARK_PILOT_ES
    text = "\n".join(element.value for element in spanish.markdown)
    assert NEWARK_SUMMARY_ES in text and "**(sin confirmar)**" in text and "(fuente: " in text
    assert "En dos meses se registraron 1,932 propiedades" in text
    assert "Estabilidad de la vivienda" in " ".join(c.value for c in spanish.caption)
    assert pilot_english_left(spanish, loaded) == []
    english = open_page("pages/profile.py", city="newark")
    assert english.subheader[0].value == loaded.profiles["newark"].pilot_en
    english_text = "\n".join(element.value for element in english.markdown)
    assert "In two months, 1,932 properties registered" in english_text and "(unconfirmed)" in english_text
