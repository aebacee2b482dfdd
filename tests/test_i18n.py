"""English and Spanish: the catalog covers every text the code marks, the Spanish keeps each text's numbers
and fields, links carry the language, and figures read the same in both languages."""
from __future__ import annotations

import collections
import io
import re
import string

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from explorer import config, i18n, links, registry
from harness import ROOT
from harness.pages import PAGES

# Texts that read the same in Spanish: no letters at all (years), file formats, and names.
SAME_IN_BOTH = {"PNG", "SVG", "CSV", "PDF", "QR"}


def source_messages() -> dict[str, tuple]:
    """Every text the code marks (_(), N_(), ngettext) as Babel extracts it with babel.cfg: id -> where."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(ROOT, method_map, options_map):
        found.setdefault(message, (filename, lineno))
    return found


def spanish_catalog():
    with open(i18n.catalog_path("es"), "rb") as source:
        return read_po(source, locale=i18n.LOCALES["es"])


@pytest.fixture(scope="module")
def catalog():
    return spanish_catalog()


@pytest.fixture(scope="module")
def marked():
    return source_messages()


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_marked_text_has_a_spanish_translation(catalog, marked):
    missing = []
    for message_id, where in marked.items():
        entry = catalog.get(message_id if isinstance(message_id, str) else message_id[0])
        texts = (entry.string if isinstance(entry.string, tuple) else (entry.string,)) if entry else ("",)
        if not all(t and t.strip() for t in texts):
            missing.append((message_id, where))
    assert missing == []


def test_the_catalog_has_no_leftovers_or_guesses(catalog, marked):
    """No entry the code no longer uses, none marked fuzzy (a guess Babel made), none kept obsolete."""
    ids = {m if isinstance(m, str) else m[0] for m in marked}
    assert sorted(m.id for m in catalog if m.id and (m.id if isinstance(m.id, str) else m.id[0]) not in ids) == []
    assert [m.id for m in catalog if m.id and m.fuzzy] == [] and not catalog.obsolete


def test_spanish_differs_from_english_where_it_should(catalog):
    same = [m.id for m in catalog if m.id and isinstance(m.id, str) and m.string == m.id
            and re.search(r"[A-Za-z]{3}", m.id) and m.id not in SAME_IN_BOTH]
    assert same == []


def test_the_spanish_keeps_every_field_and_number(catalog):
    """'{count} tracts' must not lose {count}; '25th percentile' keeps its 25 (figures are never translated)."""
    wrong = []
    for m in catalog:
        if not m.id:
            continue
        pairs = zip(m.id, m.string) if isinstance(m.id, tuple) else [(m.id, m.string)]
        for english, spanish in pairs:
            digits = sorted(re.findall(r"\d+", english)), sorted(re.findall(r"\d+", spanish))
            if fields(english) != fields(spanish) or (digits[0] and set(digits[0]) - set(digits[1])):
                wrong.append((english, spanish))
    assert wrong == []


def test_a_compiled_catalog_matches_its_source():
    """The .mo is build output (make compiles it). One at least as new as the .po, which the app would
    read, holds what the .po says; an older one is passed over for the .po compiled in memory."""
    def same(value):  # a plural's id and texts come as lists from one reader, tuples from the other
        return tuple(value) if isinstance(value, (list, tuple)) else value

    def entries(messages) -> dict:
        return {same(m.id): same(m.string) for m in messages if m.id and m.string}

    source = entries(spanish_catalog())
    assert entries(read_mo(io.BytesIO(i18n.compiled("es")))) == source
    compiled = i18n.catalog_path("es", ".mo")
    if compiled.exists() and compiled.stat().st_mtime >= i18n.catalog_path("es").stat().st_mtime:
        with open(compiled, "rb") as handle:
            assert entries(read_mo(handle)) == source


def test_lookups_follow_the_current_language():
    assert i18n._("Home") == "Home"
    with i18n.speaking("es"):
        assert i18n._("Home") == "Inicio"
        assert config.METRICS["top20_p25"].label == "Probabilidad de llegar al 20% más alto"
        assert config.RACES["black"] == "Negros" and dict(config.GENDERS.items())["female"] == "Mujeres"
        assert config.county_label("Wayne", "26") == "Condado de Wayne"
        assert config.county_label("Orleans", "22") == "Parroquia de Orleans"
        assert i18n._(registry.BY_ID["neighborhoods"].title) == "Mapa de vecindarios"
    assert i18n.current() == "en" and config.METRICS["top20_p25"].label == "Chance of reaching the top 20%"


@pytest.mark.parametrize("value, metric_id", [(34123.4, "household_income_p25"), (0.0825, "top20_p25"),
                                              (0.3675, "relative_mobility_2014"), (float("nan"), "top20_p25")])
def test_figures_are_the_same_characters_in_both_languages(value, metric_id):
    metric = config.get_metric(metric_id)
    english = metric.format(value)
    with i18n.speaking("es"):
        spanish = metric.format(value)
    if value == value:
        assert spanish == english and english in ("$34,123", "8.2%", "0.367", "8.3%", "0.368")
    else:
        assert (english, spanish) == ("no estimate", "sin estimación")


def test_a_language_that_writes_decimal_commas_gets_them(monkeypatch):
    monkeypatch.setitem(i18n.LOCALES, "es", "es_ES")
    i18n._symbols.cache_clear()
    with i18n.speaking("es"):
        assert config.METRICS["household_income_p25"].format(34123.4) == "$34.123"
    i18n._symbols.cache_clear()


@pytest.mark.parametrize("tag, lang", [("es-MX", "es"), ("es", "es"), ("ES_us", "es"), ("en-US", "en"),
                                       ("fr-FR", "en"), ("", "en"), (None, "en")])
def test_a_browser_language_picks_the_app_language(tag, lang):
    assert i18n.from_locale(tag) == lang


def test_links_carry_the_language_and_leave_english_out():
    state, ignored = links.decode({"lang": "es", "city": "tulsa"})
    assert state["lang"] == "es" and not ignored
    assert links.encode({"lang": "es", "city": "tulsa"})["lang"] == "es"
    assert "lang" not in links.encode({"lang": "en", "city": "tulsa"})
    state, ignored = links.decode({"lang": "<b>fr</b>"})
    assert state["lang"] == "en" and ignored


def test_a_spanish_link_opens_the_menu_in_spanish(at):
    at.query_params["lang"] = "es"
    at.run()
    assert not at.exception
    assert at.session_state["lang"] == "es"
    assert at.radio(key="lang").value == "es"
    at.radio(key="lang").set_value("en").run()
    assert at.session_state["lang"] == "en" and not at.exception


def test_the_checker_finds_english_on_an_english_page_and_reads_the_menu():
    """The page check can fail: the home page in English shows catalog sentences (the menu's names are
    too short to count, the metric descriptions are not)."""
    from harness.i18n_check import english_left, shown_texts
    from tests.conftest import open_page
    english = open_page("pages/maps.py", city="detroit")
    texts = shown_texts(english)
    assert any("Household income at about age 35" in t for t in texts)
    assert english_left(english)
    spanish = open_page("pages/maps.py", city="detroit", params={"lang": "es"})
    assert any("Ingreso del hogar a los 35 años aproximadamente" in t for t in shown_texts(spanish))


def test_the_home_page_in_spanish_shows_no_english_and_the_same_figures(raw_counties, raw_national):
    from harness.i18n_check import english_left
    from tests.conftest import open_page
    spanish, english = open_page("pages/home.py", params={"lang": "es"}), open_page("pages/home.py")
    assert not spanish.exception and english_left(spanish) == []
    assert [h.value for h in spanish.header][0] == "Adónde ir ahora"
    assert [m.value for m in spanish.metric] == [m.value for m in english.metric]
    hamilton = raw_counties.loc["39061", "kfr_pooled_pooled_p25"] * 100  # Cincinnati's county, the first card
    assert spanish.metric[0].value == f"{hamilton:.1f}"
    assert spanish.metric[0].proto.delta.endswith(f"frente a EE. UU. ({raw_national.loc[25, 'kfr_pooled_pooled'] * 100:.1f})")
    assert spanish.caption[0].value.startswith("Condado de Hamilton")
    assert english.caption[0].value.startswith("Hamilton County")  # the cards' cache keeps each language apart


FIGURE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def figures(at) -> collections.Counter:
    """Every figure a run shows in its text, numbers, metrics and tables (a multiset: order differs between
    languages, since the grammar does)."""
    texts = [e.value for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning",
                                  "success") for e in getattr(at, kind)]
    texts += [m.value for m in at.metric] + [m.proto.delta for m in at.metric]
    for table in [*at.dataframe, *at.table]:
        texts += [str(v) for v in table.value.to_numpy().ravel()]
    return collections.Counter(n for text in texts for n in FIGURE.findall(str(text)))


@pytest.mark.parametrize("present", [False, True], ids=["screen", "projector"])
@pytest.mark.parametrize("app_page", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_in_spanish_shows_no_english_and_the_same_figures(app_page, present):
    """Each page, on screen and in presentation mode, with ?lang=es: no sentence of the catalog left in
    English (the sidebar included), and the same figures as the English page shows, every one of them."""
    from harness.i18n_check import english_left
    from tests.conftest import open_page
    extra = {"present": "1"} if present else {}
    spanish = open_page(app_page.file, city="detroit", params={"lang": "es", **extra})
    english = open_page(app_page.file, city="detroit", params=extra)
    assert not spanish.exception and english_left(spanish) == []
    shown = figures(english)
    assert sum(shown.values()) >= 3 and figures(spanish) == shown
