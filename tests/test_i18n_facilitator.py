"""The facilitator's tools in Spanish: presentation mode and its headline, the views file panel, the example
data walk, and the data-walk kit (its words, its accents, its QR links' ?lang=es), with the same numbers as
in English and no language kept over from one visitor's kit to the next."""
from __future__ import annotations

import io
import re
import threading
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader

from explorer import headline, i18n, links, plain, registry, views
from explorer.data import cache
from harness import ROOT as ROOT_DIR
from harness.i18n_check import english_left, shown_texts
from tests.conftest import open_page

ROOT = "https://explorer.example.org"
WITHIN = 7  # the example walk's "Detroit, compared with itself": the neighborhood map, its colours within the area
STEP = views.step_params(views.load(), WITHIN)  # the stepper's link to it (presentation mode, ?view=7)


# The files of the facilitator's tools: their texts are what these tests look for (the other pages' own texts
# are their tests' concern).
SLICE = {"ui/facilitator.py": "python", "explorer/views.py": "python", "explorer/headline.py": "python",
         "explorer/walk_kit.py": "python", "data/views/data_walk.toml": "explorer.views_extract:extract"}


@lru_cache(maxsize=1)
def slice_messages() -> tuple[str, ...]:
    from babel.messages.extract import extract_from_file
    found = []
    for path, method in SLICE.items():
        for _line, message, _comments, _context in extract_from_file(method, str(ROOT_DIR / path)):
            found.extend([message] if isinstance(message, str) else message)
    return tuple(found)


def english_of_the_slice(at) -> list[str]:
    """The catalog sentences still shown in English that come from the facilitator's tools."""
    return [left for left in english_left(at) if any(left in message for message in slice_messages())]


def read(markdown: str) -> str:
    """A Markdown text as read: its escapes and bold marks gone."""
    return plain.as_read(markdown).replace("**", "")


def kit_walk(walk: views.ViewsFile) -> views.ViewsFile:
    """The example walk's views whose posters these tools draw alone: the race and class gap charts are worded
    by explorer.gaps and explorer.charts (their own tests cover their Spanish)."""
    return views.ViewsFile(walk.title, tuple(v for v in walk.views if v.page != "race-class-gaps"))


def page_text(page) -> str:
    return " ".join(page.extract_text().split())


def numbers(text: str) -> list[str]:
    return sorted(re.findall(r"\d+(?:[.,]\d+)*", text))


def qr_codes(page) -> list[str]:
    import zxingcpp
    return [result.text for image in page.images for result in zxingcpp.read_barcodes(image.image.convert("L"))]


@pytest.fixture(scope="module")
def presenting():
    """View 7 of the example walk, in presentation mode, in both languages."""
    return (open_page("pages/maps.py", city="detroit", params=STEP),
            open_page("pages/maps.py", city="detroit", params={**STEP, "lang": "es"}))


def test_presentation_mode_in_spanish_leaves_no_english_of_the_catalog(presenting):
    english, spanish = presenting
    assert not spanish.exception and not english.exception
    # (the map page's own how-to-read paragraph, not yet in Spanish on this branch, starts "How to read this map.")
    assert [left for left in english_of_the_slice(spanish) if left != "How to read this map"] == []
    assert "Cómo leer este mapa" in [e.proto.label for e in spanish.expander]
    assert english_of_the_slice(english)  # the check can fail: in English the same texts are found
    texts = "\n".join(read(t) for t in shown_texts(spanish))
    for words in ("Salir de la presentación", "Anterior", "Siguiente", "Modo de presentación",
                  "Nota del facilitador", "Preguntas para el grupo", "Vistas del facilitador",
                  "Kit del recorrido de datos (PDF)", "Agregar esta vista", "Descargar estas vistas",
                  "Detroit, comparado consigo mismo"):
        assert words in texts, words


def test_the_headline_is_a_spanish_sentence_with_the_same_numbers(presenting):
    english, spanish = presenting
    state = views.load().views[WITHIN - 1].link
    expected_en = headline.view_headline("neighborhoods", state)
    with i18n.speaking("es"):
        expected_es = headline.view_headline("neighborhoods", state)
    assert expected_es == ("Detroit, MI - ingreso del hogar a los 35 años aproximadamente - niños de familias de "
                           "bajos ingresos (padres en el percentil 25) - colores comparados dentro del área de Detroit")
    shown_en = [read(m.value) for m in english.markdown]
    shown_es = [read(m.value) for m in spanish.markdown]
    assert expected_en in shown_en and expected_es in shown_es and expected_en not in shown_es
    assert numbers(expected_es) == numbers(expected_en)
    # the stepper counts the same views: "Vista 7 de 11" for "View 7 of 11"
    assert "View 7 of 11: Detroit, compared with itself" in shown_en
    assert "Vista 7 de 11: Detroit, comparado consigo mismo" in shown_es


@pytest.mark.parametrize("page, state", [
    ("neighborhoods", {"city": "tulsa", "metric": "top20_p25", "scale": "within"}),
    ("us-counties", {"group": "black_white_gap", "gender": "female"}),
    ("us-counties", {"group": "hisp", "gender": "male"}),
    ("tract-gaps", {"show": "group", "race": "natam", "pctile": 75}),
    ("race-class-gaps", {"city": "tulsa", "outcome": "jail", "gender": "male", "pctile": 40}),
    ("compare-cities", {"cities": ("detroit", "tulsa", "racine")}),
    ("pilot", {"city": "newark"}),
    ("start", {}),
])
def test_every_headline_has_spanish_words_and_the_english_numbers(page, state):
    english = headline.view_headline(page, state)
    with i18n.speaking("es"):
        spanish = headline.view_headline(page, state)
    assert spanish != english and numbers(spanish) == numbers(english)
    assert spanish.count(headline.SEPARATOR) == english.count(headline.SEPARATOR)
    assert not re.search(r"\b(children|parents|colours|county|percentile)\b", spanish), spanish
    assert "th" not in re.findall(r"\d+(\w*)", spanish)  # "el percentil 25", never "25th"


def test_the_example_walk_in_spanish_keeps_its_pages_and_links():
    english = views.load()
    with i18n.speaking("es"):
        spanish = views.example()
    assert spanish.title == "Un recorrido de datos por las nueve ciudades"
    assert [(v.page, v.link) for v in spanish.views] == [(v.page, v.link) for v in english.views]
    assert spanish.views[0].title == "Nueve ciudades, una pregunta"
    for mine, theirs in zip(spanish.views, english.views):
        assert mine.title != theirs.title and mine.note != theirs.note and len(mine.prompts) == len(theirs.prompts)
        assert all(p.startswith("¿") or "¿" in p for p in mine.prompts) and all(p.endswith("?") for p in mine.prompts)
        assert not re.search(r"[0-9]", mine.title + mine.note + "".join(mine.prompts))
    assert views.parse(views.dumps(spanish)) == spanish  # downloaded in Spanish, it reads back as written
    assert views.example() == english  # and in English it is the file as shipped


def test_the_panel_shows_the_example_in_the_readers_language_and_switches_with_it():
    at = open_page("pages/profile.py", city="detroit", params={"lang": "es"})
    summaries = [read(m.value) for m in at.sidebar.markdown]
    assert "Un recorrido de datos por las nueve ciudades: 11 vistas" in summaries
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert "A data walk through the nine cities: 11 views" in [read(m.value) for m in at.sidebar.markdown]


def test_a_users_views_file_keeps_its_words_and_its_problems_are_told_in_spanish():
    at = open_page("pages/profile.py", city="detroit", params={"lang": "es"})
    own = ('title = "My walk"\n\n[[view]]\ntitle = "Nine cities, one question"\npage = "start"\n').encode()
    at.file_uploader(key="views_file_upload").upload("walk.toml", own, "application/toml").run()
    assert not at.exception
    assert "My walk: 1 vista" in [read(m.value) for m in at.sidebar.markdown]  # not translated
    bad = b'title = "Walk"\nextra = 1\n'
    at.file_uploader(key="views_file_upload").upload("bad.toml", bad, "application/toml").run()
    assert [plain.as_read(e.value) for e in at.sidebar.error] == [
        "Ajuste desconocido 'extra' al principio del archivo (se esperaba: title, view).",
        "El archivo no tiene vistas: agregue al menos una sección [[view]]."]


@pytest.fixture(scope="module")
def spanish_kit():
    with i18n.speaking("es"):
        walk = kit_walk(views.example())
        return walk, PdfReader(io.BytesIO(cache.kit_pdf(walk, ROOT, 6)))


def test_the_spanish_kit_prints_spanish_with_its_accents(spanish_kit):
    walk, kit = spanish_kit
    sheet = page_text(kit.pages[0])
    assert "Hoja del facilitador (no es para la pared)" in sheet and walk.title in sheet
    count = len(walk.views)
    total, close = 5 + 6 * count + 10, 5 + 6 * count
    assert (f"{count} estaciones, 6 minutos en cada una: unos {total} minutos, con 5 para la bienvenida y 10 para "
            "cerrar.") in sheet
    assert f"{close // 60}:{close % 60:02d} Todo el grupo: ¿qué vimos? {total // 60}:{total % 60:02d} Fin" in sheet
    assert "0:05 Nueve ciudades, una pregunta" in sheet
    assert "Facilitator" not in sheet and "Station" not in sheet
    every = " ".join(page_text(page) for page in kit.pages)
    for letter in "áéíóúñ¿":
        assert letter in every, letter
    for number, (view, page) in enumerate(zip(walk.views, kit.pages[1:]), start=1):
        words = page_text(page)
        assert f"Estación {number} de {len(walk.views)}" in words and view.title in words and "Hablemos de esto" in words
        assert "Abra esta vista en su teléfono:" in words and "Fuente: Opportunity Insights" in words
        assert all(f"{n}. {prompt}" in words for n, prompt in enumerate(view.prompts, start=1))
        assert "Talk about it" not in words and "Source:" not in words


def test_the_spanish_kits_codes_open_their_views_in_spanish(spanish_kit):
    walk, kit = spanish_kit
    for _view, page in zip(walk.views, kit.pages[1:]):
        (decoded,) = qr_codes(page)
        params = parse_qs(urlsplit(decoded).query)
        assert params["lang"] == ["es"] and "view" not in params
        assert links.short(decoded) in page_text(page).replace(" ", "")


def test_a_map_poster_has_the_same_numbers_in_both_languages(spanish_kit):
    walk, kit = spanish_kit
    number = next(n for n, v in enumerate(walk.views, start=1) if v.link.get("scale") == "within")
    english = PdfReader(io.BytesIO(cache.kit_pdf(kit_walk(views.load()), ROOT, 6)))
    words_en, words_es = page_text(english.pages[number]), page_text(kit.pages[number])
    assert "sectores)" in words_es and "tracts)" in words_en
    assert numbers(words_es) == numbers(words_en)


def test_a_kit_built_in_english_after_a_spanish_one_is_english():
    walk = views.ViewsFile("¡Bienvenidos!", (views.View("Racine", "pilot", "Nota.", {"city": "racine"}, ("¿Qué ve?",)),))
    with i18n.speaking("es"):
        spanish = PdfReader(io.BytesIO(cache.kit_pdf(walk, ROOT, 5)))
    english = PdfReader(io.BytesIO(cache.kit_pdf(walk, ROOT, 5)))
    assert "¡Bienvenidos!" in page_text(spanish.pages[0]) and "1 estación, 5 minutos" in page_text(spanish.pages[0])
    assert "1 station, 5 minutes at each" in page_text(english.pages[0]) and "estación" not in page_text(english.pages[0])
    assert "Talk about it" in page_text(english.pages[1]) and "Hablemos de esto" in page_text(spanish.pages[1])
    assert "lang=" not in qr_codes(english.pages[1])[0] and "lang=es" in qr_codes(spanish.pages[1])[0]
    with i18n.speaking("es"):
        figure_es = cache.kit_figure("pilot", {"city": "racine"})
    assert cache.kit_figure("pilot", {"city": "racine"}).note.startswith("Outlined: the city limit.")
    assert figure_es.note.startswith("Con contorno: el límite de la ciudad.")


def test_the_kit_button_builds_in_the_language_it_was_drawn_in(monkeypatch):
    """The download's builder runs in another thread (Streamlit's worker): it speaks the page's language."""
    import streamlit as st
    built = {}
    offered = st.download_button

    def keep(label, data=None, *args, **kwargs):
        if kwargs.get("key") == "views_file_kit":
            built["kit"] = data
        return offered(label, data if not callable(data) else b"", *args, **kwargs)
    monkeypatch.setattr(st, "download_button", keep)
    walk = views.ViewsFile("Walk", (views.View("Racine", "pilot", "", {"city": "racine"}, ("Why?",)),))
    at = open_page("pages/profile.py", city="detroit", state={"views_file": walk, "views_file_example_lang": None},
                   params={"lang": "es"})
    assert not at.exception and callable(built.get("kit"))
    result = {}
    def build() -> None:
        try:
            result.update(pdf=built["kit"](), lang=i18n.current())
        except Exception as error:  # shown by the assertion below, not lost in the thread
            result["error"] = error
    worker = threading.Thread(target=build)
    worker.start()
    worker.join(120)
    assert "error" not in result, result.get("error")
    assert result["lang"] == "en"  # the worker thread's own language is left as it was
    sheet = page_text(PdfReader(io.BytesIO(result["pdf"])).pages[0])
    assert "Hoja del facilitador" in sheet and "1 estación" in sheet


def test_the_views_file_problems_follow_the_language():
    with pytest.raises(views.ViewsFileError) as english:
        views.parse(b'title = ""\n')
    with i18n.speaking("es"), pytest.raises(views.ViewsFileError) as spanish:
        views.parse(b'title = ""\n')
    assert english.value.problems == ["The file's title must be non-empty text.",
                                      "The file has no views: add at least one [[view]] section."]
    assert spanish.value.problems == ["El título del archivo debe ser un texto no vacío.",
                                      "El archivo no tiene vistas: agregue al menos una sección [[view]]."]
    assert registry.BY_ID  # the pages a views file names are ids, never translated
