"""The nine city pilots (data/pilots.yaml): loading, schema checks and peers by theme.

Every fact in the file carries the public web address it came from; a fact we could not confirm is
kept only with `confirmed: false` so the page can label it "unconfirmed". An empty `learned` or
`results` list is meaningful: no public account was found, and the page says so rather than
guessing. The loader refuses a file that breaks these rules, naming the city and the field, so a
bad edit fails in the tests and never reaches the screen half-drawn.

The texts are written in English in the file and read in the reader's language: each one is kept as its
English (`text_en`, `pilot_en`, ...), the catalog's id, and its property (`text`, `pilot`, ...) looks it up
with `_()` when read. Babel finds them through explorer.catalog_extract (babel.cfg), so the one loaded copy
(cached once for every visitor) serves each reader in their own language.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

import yaml

from explorer import config
from explorer.catalog_extract import one_line
from explorer.config import Labels
from explorer.i18n import N_, _, translated

# The story sections of a profile, in reading order, with their headings on screen (read in the reader's
# language: each lookup translates).
SECTIONS: dict[str, str] = Labels({
    "partners": N_("Partners"),
    "served": N_("Who it served"),
    "done": N_("What was done"),
    "learned": N_("What was learned"),
    "results": N_("Results"),
    "timeline": N_("Timeline"),
})
# Sections that may be empty: an empty list means "no public account found", said plainly on screen.
MAY_BE_EMPTY = frozenset({"learned", "results"})
# What the page says for an empty section, plainly, instead of guessing.
NO_PUBLIC_ACCOUNT = Labels({
    "learned": N_("No public account of lessons learned was found for this pilot."),
    "results": N_("No public result was found for this pilot. None is shown rather than guessed.")})
PROFILE_FIELDS = ("pilot", "themes", "summary", *SECTIONS)
TAKEAWAY_FIELDS = ("title", "place", "text", "connects", "sources")
# Where on the profile page a takeaway is shown: next to the story, the key numbers or the peers.
TAKEAWAY_PLACES = ("story", "numbers", "peers")


class PilotsFileError(ValueError):
    """data/pilots.yaml breaks the schema; the message names the city (or block) and the field."""


@dataclass(frozen=True)
class Fact:
    text_en: str                        # as written in the file (the catalog's id); `text` is the reader's
    sources: tuple[str, ...]
    confirmed: bool = True

    text = translated("text_en")


@dataclass(frozen=True)
class Profile:
    city_id: str
    pilot_en: str                       # the pilot's name in English; `pilot` is the reader's language
    themes: tuple[str, ...]             # theme ids from the declared list
    summary: Fact                       # one line on what the city tried (used for peers)
    sections: dict[str, tuple[Fact, ...]]  # SECTIONS key -> facts (maybe empty, see MAY_BE_EMPTY)

    pilot = translated("pilot_en")


@dataclass(frozen=True)
class Takeaway:
    title_en: str                       # the texts in English; `title`, `text`, `connects`: the reader's
    place: str                          # TAKEAWAY_PLACES: the part of the profile it belongs with
    text_en: str
    connects_en: str                    # how the takeaway links the pilots to the data
    sources: tuple[str, ...]

    title = translated("title_en")
    text = translated("text_en")
    connects = translated("connects_en")


@dataclass(frozen=True)
class Pilots:
    themes: dict[str, str]              # theme id -> label (config.Labels: read in the reader's language)
    profiles: dict[str, Profile]        # city id -> profile, in config.CITIES order
    initiative: tuple[Fact, ...]
    takeaways: tuple[Takeaway, ...]

    def theme_labels(self, city_id: str) -> list[str]:
        return [self.themes[t] for t in self.profiles[city_id].themes]

    def takeaway(self, place: str) -> Takeaway | None:
        return next((t for t in self.takeaways if t.place == place), None)


@dataclass(frozen=True)
class Peer:
    city_id: str
    shared_themes: tuple[str, ...]      # theme labels both cities carry
    summary: Fact


def is_web_address(value: object) -> bool:
    """True for an absolute http(s) address with a host; anything else is refused as a source."""
    if not isinstance(value, str):
        return False
    parts = urlparse(value.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value.strip()


def _fail(where: str, message: str) -> PilotsFileError:
    return PilotsFileError(f"data/pilots.yaml, {where}: {message}")


def checked_sources(raw: object, where: str, fail=None) -> tuple[str, ...]:
    """A non-empty list of http(s) addresses, stripped; `fail(where, message)` makes the error (this file's, or
    another data file's that shares the rule: explorer.evidence)."""
    fail = fail or _fail
    if not isinstance(raw, list) or not raw:
        raise fail(where, "needs 'sources', a non-empty list of http(s) addresses")
    for url in raw:
        if not is_web_address(url):
            raise fail(where, f"source {str(url)[:80]!r} is not an http(s) address")
    return tuple(url.strip() for url in raw)


def checked_text(raw: object, where: str, fail=None) -> str:
    """Non-empty text, as one line (the catalog's form of it)."""
    if not isinstance(raw, str) or not raw.strip():
        raise (fail or _fail)(where, "needs non-empty text")
    return one_line(raw)


_sources, _text = checked_sources, checked_text


def parse_fact(raw: object, where: str) -> Fact:
    """One fact: {text, sources, confirmed?}; a fact without a source is refused."""
    if not isinstance(raw, dict):
        raise _fail(where, "a fact must be a mapping with 'text' and 'sources'")
    if "text" not in raw:
        raise _fail(where, "is missing the field 'text'")
    if "sources" not in raw:
        raise _fail(where, "is missing the field 'sources'")
    confirmed = raw.get("confirmed", True)
    if not isinstance(confirmed, bool):
        raise _fail(where, "'confirmed' must be true or false")
    return Fact(_text(raw["text"], where), _sources(raw["sources"], where), confirmed)


def _facts(raw: object, where: str, may_be_empty: bool) -> tuple[Fact, ...]:
    if not isinstance(raw, list):
        raise _fail(where, "must be a list of facts (an empty list [] if none was found)")
    if not raw and not may_be_empty:
        raise _fail(where, "must hold at least one fact")
    return tuple(parse_fact(item, f"{where} #{index + 1}") for index, item in enumerate(raw))


def parse_profile(city_id: str, raw: object, themes: dict[str, str]) -> Profile:
    """One city's profile; raises PilotsFileError naming the city and the missing or bad field."""
    where = f"city {city_id!r}"
    if not isinstance(raw, dict):
        raise _fail(where, "the profile must be a mapping")
    for name in PROFILE_FIELDS:
        if name not in raw:
            raise _fail(where, f"is missing the field {name!r}")
    tags = raw["themes"]
    if not isinstance(tags, list) or not tags:
        raise _fail(f"{where}, 'themes'", "needs at least one theme")
    for tag in tags:
        if tag not in themes:
            raise _fail(f"{where}, 'themes'", f"unknown theme {tag!r}; declared: {', '.join(themes)}")
    sections = {name: _facts(raw[name], f"{where}, {name!r}", name in MAY_BE_EMPTY) for name in SECTIONS}
    return Profile(city_id, _text(raw["pilot"], f"{where}, 'pilot'"), tuple(tags),
                   parse_fact(raw["summary"], f"{where}, 'summary'"), sections)


def _takeaway(raw: object, where: str) -> Takeaway:
    if not isinstance(raw, dict):
        raise _fail(where, "must be a mapping")
    for name in TAKEAWAY_FIELDS:
        if name not in raw:
            raise _fail(where, f"is missing the field {name!r}")
    if raw["place"] not in TAKEAWAY_PLACES:
        raise _fail(where, f"'place' must be one of: {', '.join(TAKEAWAY_PLACES)}")
    return Takeaway(_text(raw["title"], where), raw["place"], _text(raw["text"], where),
                    _text(raw["connects"], where), _sources(raw["sources"], where))


def parse_pilots(raw: object) -> Pilots:
    """The whole file: declared themes, one profile per registry city (no more, no fewer), takeaways."""
    if not isinstance(raw, dict):
        raise _fail("top level", "must be a mapping with 'themes', 'initiative', 'takeaways' and 'cities'")
    for name in ("themes", "initiative", "takeaways", "cities"):
        if name not in raw:
            raise _fail("top level", f"is missing the field {name!r}")
    themes = raw["themes"]
    if not isinstance(themes, dict) or not themes:
        raise _fail("'themes'", "must map theme ids to labels")
    themes = Labels({str(key): _text(label, f"theme {key!r}") for key, label in themes.items()})
    cities = raw["cities"]
    if not isinstance(cities, dict):
        raise _fail("'cities'", "must map city ids to profiles")
    unknown = sorted(set(cities) - set(config.CITIES))
    if unknown:
        raise _fail("'cities'", f"unknown city {unknown[0]!r}; expected one of: {', '.join(config.CITIES)}")
    for city_id in config.CITIES:
        if city_id not in cities:
            raise _fail(f"city {city_id!r}", "has no profile")
    profiles = {city_id: parse_profile(city_id, cities[city_id], themes) for city_id in config.CITIES}
    takeaways = raw["takeaways"]
    if not isinstance(takeaways, list) or not takeaways:
        raise _fail("'takeaways'", "must be a non-empty list")
    return Pilots(themes, profiles, _facts(raw["initiative"], "'initiative'", False),
                  tuple(_takeaway(item, f"takeaway #{index + 1}") for index, item in enumerate(takeaways)))


def read_yaml(path: Path | str, error: type[ValueError], what: str) -> object:
    """A data file's YAML (UTF-8, safe YAML: no tags, no code); one clear `error` naming `what` if it cannot be
    read or parsed."""
    path = Path(path)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as problem:
        raise error(f"The {what} file {path.name} could not be read ({problem.strerror}).") from problem
    except yaml.YAMLError as problem:
        raise error(f"The {what} file {path.name} is not valid YAML: {problem}") from problem


def load_pilots(path: Path | str = config.PILOTS_FILE) -> Pilots:
    """Read and check data/pilots.yaml."""
    return parse_pilots(read_yaml(path, PilotsFileError, "pilot profiles"))


@lru_cache(maxsize=4)
def declared_themes(path: Path | str = config.PILOTS_FILE) -> Labels:
    """The themes the pilots file declares (id -> label, read in the reader's language), in its order: for the
    link registry's ?theme= and a view's headline, which need not load and check the whole profiles."""
    with open(path, encoding="utf-8") as handle:
        themes = (yaml.safe_load(handle) or {}).get("themes")
    return Labels({key: one_line(label) for key, label in themes.items()} if isinstance(themes, dict) else {})


def theme_ids() -> tuple[str, ...]:
    return tuple(declared_themes())


def peers(pilots: Pilots, city_id: str) -> list[Peer]:
    """The other cities sharing at least one theme tag, most shared themes first, then registry order."""
    own = set(pilots.profiles[city_id].themes)
    found = [Peer(other.city_id, tuple(pilots.themes[t] for t in other.themes if t in own), other.summary)
             for other in pilots.profiles.values() if other.city_id != city_id and own & set(other.themes)]
    return sorted(found, key=lambda peer: -len(peer.shared_themes))


def cities_by_theme(pilots: Pilots) -> dict[str, list[str]]:
    """Theme label -> the city ids that carry it (every declared theme, even one no city uses)."""
    return {label: [p.city_id for p in pilots.profiles.values() if theme in p.themes]
            for theme, label in pilots.themes.items()}


# Characters that mean something in Streamlit markdown ($ starts LaTeX): shown literally when escaped.
_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]$<>|~#"})


def escape_markdown(text: str) -> str:
    """Our own YAML text made literal for st.markdown (no emphasis, links, LaTeX or HTML from it)."""
    return text.translate(_MARKDOWN_SPECIAL)


def link_markdown(url: str, label: str) -> str:
    """A markdown link to a checked http(s) address; brackets and spaces in it are percent-encoded."""
    if not is_web_address(url):
        raise ValueError(f"Not an http(s) address: {url[:80]!r}")
    safe = url.strip().replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
    return f"[{escape_markdown(label)}]({safe})"


def source_label(url: str) -> str:
    """The site a source is on ('newarknj.gov'), so a reader sees where a link goes before clicking."""
    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def fact_markdown(fact: Fact) -> str:
    """One fact as a markdown line in the reader's language: the text, 'unconfirmed' when so marked, then its
    source links."""
    links = ", ".join(link_markdown(url, source_label(url)) for url in fact.sources)
    line = _("{text} (source: {links})") if fact.confirmed else _("{text} **(unconfirmed)** (source: {links})")
    return line.format(text=escape_markdown(fact.text), links=links)
