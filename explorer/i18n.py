"""The app's languages: English (the default, the source text) and Spanish, through gettext catalogs.

Every word the app shows is written in English in the code and looked up here when it is shown:

    from explorer.i18n import _, N_, ngettext
    st.caption(_("Hover over or tap a tract for its numbers."))
    _("{count} tracts match").format(count=n)              # numbers go in by name, after the lookup
    ngettext("{n} tract", "{n} tracts", n).format(n=n)     # singular and plural
    NOTE = N_("A line kept in a constant")                  # marked for the catalog; `_(NOTE)` where shown

The catalog is `locale/<lang>/LC_MESSAGES/messages.po` (Babel extracts the marked texts: see the README,
"Translating"). Its compiled `.mo` is build output (`make run` and `make test` compile it); without one,
the `.po` is compiled in memory when the app starts.

Which language a piece of code speaks is the current run's: the router calls `use(lang)` at the top of
each run (and of each partial rerun), in that run's thread. Code that runs elsewhere (a download's
builder in a worker thread) takes the language as an argument and wraps its work in `speaking(lang)`.
Anything cached that holds text must take the language as an argument, so that the caches never mix
languages (explorer.data.cache passes `current()`).

Numbers are written for the reader with Babel's locale data (`localized`). Spanish uses the conventions of
Spanish as written in the United States (es_US: 1,234.5 and $26,200), which is what the app's readers see
on their bills, pay slips and school letters, so a figure reads the same in both languages.
"""
from __future__ import annotations

import contextlib
import gettext
import io
import threading
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import get_decimal_symbol, get_group_symbol

LANGUAGES = {"en": "English", "es": "Español"}  # each language in its own words, for the picker
DEFAULT = "en"
LOCALES = {"en": "en_US", "es": "es_US"}  # Babel locales of the number formats
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"

_state = threading.local()


def N_(text: str) -> str:
    """Mark a text for the catalog without translating it yet (module constants: translate where shown)."""
    return text


def catalog_path(lang: str, suffix: str = ".po") -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def compiled(lang: str) -> bytes:
    """The language's catalog compiled to .mo bytes from its .po source (what `pybabel compile` writes)."""
    with open(catalog_path(lang), "rb") as source:
        catalog = read_po(source, locale=LOCALES[lang])
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The language's translations: its compiled .mo when it is as new as the .po, else compiled in memory."""
    if lang == DEFAULT or lang not in LANGUAGES:
        return gettext.NullTranslations()
    mo, po = catalog_path(lang, ".mo"), catalog_path(lang)
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with open(mo, "rb") as handle:
            return gettext.GNUTranslations(handle)
    return gettext.GNUTranslations(io.BytesIO(compiled(lang)))


def valid(lang: object) -> str:
    """`lang` if the app speaks it, else the default."""
    return lang if isinstance(lang, str) and lang in LANGUAGES else DEFAULT


def from_locale(locale: str | None) -> str:
    """The app's language for a browser's language tag ("es-MX", "es", "en-US"): Spanish for any Spanish."""
    tag = (locale or "").replace("_", "-").split("-")[0].lower()
    return tag if tag in LANGUAGES else DEFAULT


def use(lang: str) -> None:
    """Speak `lang` (validated) in this thread from now on: the router's call at the top of each run."""
    _state.lang = valid(lang)


def current() -> str:
    return getattr(_state, "lang", DEFAULT)


@contextlib.contextmanager
def speaking(lang: str):
    """Speak `lang` inside the block (a builder in another thread), then the language before it."""
    before = current()
    use(lang)
    try:
        yield
    finally:
        use(before)


def bound(work):
    """`work` made to speak the current language wherever it runs later (a download's builder, which
    Streamlit calls in a worker thread)."""
    lang = current()

    def run(*args, **kwargs):
        with speaking(lang):
            return work(*args, **kwargs)
    return run


def _(text: str) -> str:
    """`text` in the current language (the English text itself where the catalog has none)."""
    return translations(current()).gettext(text) if text else text


def translated(field: str) -> property:
    """A read-only attribute giving the text field `field` (English, the catalog's id) in the reader's
    language: `label = translated("label_en")` in a dataclass that keeps `label_en`."""
    return property(lambda self: _(getattr(self, field)), doc=f"`{field}` in the reader's language")


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current()).ngettext(singular, plural, count)


def locale() -> str:
    """The Babel locale of the current language's numbers."""
    return LOCALES[current()]


@lru_cache(maxsize=None)
def _symbols(locale_name: str) -> dict[int, str] | None:
    decimal, group = get_decimal_symbol(locale_name), get_group_symbol(locale_name)
    return None if (decimal, group) == (".", ",") else str.maketrans({".": decimal, ",": group})


def localized(formatted: str) -> str:
    """A number written by a Python format pattern ("{:,.1f}": 1,234.5) with the reader's decimal and group
    marks from Babel's locale data. English and US Spanish share "." and ",", so the figures (and their
    rounding) are the same characters in both; a language written "1.234,5" gets its own marks."""
    table = _symbols(locale())
    return formatted if table is None else formatted.translate(table)


def compile_catalogs() -> list[Path]:
    """Write each language's .mo from its .po (what `make catalogs` runs). Babel's own `pybabel compile`
    would also check printf-style `%` formats, which the app does not use: it reads "20% of" or "% de" as
    `%`-placeholders and reports errors that are not there. The app's fields are `{name}`s, which
    tests/test_i18n.py checks in every translation."""
    written = []
    for lang in LANGUAGES:
        if lang != DEFAULT and catalog_path(lang).exists():
            catalog_path(lang, ".mo").write_bytes(compiled(lang))
            written.append(catalog_path(lang, ".mo"))
    return written


if __name__ == "__main__":
    for path in compile_catalogs():
        print(f"compiled {path.relative_to(LOCALE_DIR.parent)}")
