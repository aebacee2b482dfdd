"""What the evidence says: for each kind of program the nine cities piloted, what studies elsewhere found
(data/evidence.yaml, checked here like data/pilots.yaml).

A strategy (reminder letters, children's savings accounts, summer jobs...) belongs to one of the pilots'
themes and names the pilot cities that tried it; its cards each sum up one study: who did it and when, how
strong its design is (a randomized trial, a quasi-experimental comparison, or a description with no
comparison group), what it found with the numbers the study states, and the public pages it was read from.
The texts are written in English in the file and shown through the catalog (`translated`), like the pilot
profiles. Pure Python (PyYAML); no Streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from explorer import config
from explorer.config import Labels
from explorer.i18n import N_, translated
from explorer.pilots import checked_sources, checked_text, read_yaml, source_label

EVIDENCE_FILE = config.ROOT / "data" / "evidence.yaml"
MAX_CARDS = 3  # per strategy: the best one to three studies, not a literature review

# How strong a study's design is, strongest first: the fixed list a card's `strength` is one of.
STRENGTHS = Labels({
    "randomized": N_("Randomized trial"),
    "quasi-experimental": N_("Quasi-experimental study"),
    "descriptive": N_("Descriptive study"),
})
STRENGTH_HELP = Labels({
    "randomized": N_("People (or places) were assigned by lottery to get the program or not, so a difference "
                     "between the groups can be put down to the program."),
    "quasi-experimental": N_("A comparison with a similar group that did not get the program, chosen by "
                             "circumstance rather than by lottery: good evidence, less certain than a trial."),
    "descriptive": N_("What participants did or achieved, with no comparison group: it cannot show what the "
                      "program caused."),
})
STRATEGY_FIELDS = ("name", "theme", "cities", "what", "bottom_line")
CARD_FIELDS = ("strategy", "study", "strength", "found", "sources", "confirmed")


class EvidenceFileError(ValueError):
    """data/evidence.yaml breaks the schema; the message names the strategy or card and the field."""


@dataclass(frozen=True)
class Strategy:
    id: str
    name_en: str                  # the texts in English (the catalog's ids); `name`, `what`, `bottom_line`: the reader's
    theme: str                    # a theme id of data/pilots.yaml
    cities: tuple[str, ...]       # the pilot cities that tried it
    what_en: str
    bottom_line_en: str

    name = translated("name_en")
    what = translated("what_en")
    bottom_line = translated("bottom_line_en")


@dataclass(frozen=True)
class Card:
    strategy: str
    study_en: str
    strength: str                 # a key of STRENGTHS
    found_en: str
    sources: tuple[str, ...]
    confirmed: bool = True

    study = translated("study_en")
    found = translated("found_en")

    @property
    def strength_label(self) -> str:
        return STRENGTHS[self.strength]


@dataclass(frozen=True)
class Evidence:
    strategies: dict[str, Strategy]   # in the file's order
    cards: tuple[Card, ...]

    def cards_for(self, strategy_id: str) -> tuple[Card, ...]:
        return tuple(card for card in self.cards if card.strategy == strategy_id)

    def of_city(self, city_id: str) -> list[Strategy]:
        """The strategies a city's pilot tried."""
        return [s for s in self.strategies.values() if city_id in s.cities]

    def in_theme(self, theme: str) -> list[Strategy]:
        return [s for s in self.strategies.values() if s.theme == theme]

    def cities_in(self, theme: str) -> list[str]:
        """The pilot cities that tried a strategy of this theme, in the registry's order."""
        tried = {city for s in self.in_theme(theme) for city in s.cities}
        return [city for city in config.CITIES if city in tried]

    def similar(self, city_id: str) -> list[tuple[str, Strategy]]:
        """(other city, its strategy) for every other pilot city that tried something in the same themes."""
        themes = {s.theme for s in self.of_city(city_id)}
        return [(other, s) for s in self.strategies.values() if s.theme in themes
                for other in s.cities if other != city_id]


def _fail(where: str, message: str) -> EvidenceFileError:
    return EvidenceFileError(f"data/evidence.yaml, {where}: {message}")


def _text(raw: object, where: str) -> str:
    return checked_text(raw, where, _fail)


def _sources(raw: object, where: str) -> tuple[str, ...]:
    return checked_sources(raw, where, _fail)


def _fields(raw: object, allowed: tuple[str, ...], where: str) -> dict:
    if not isinstance(raw, dict):
        raise _fail(where, "must be a mapping of fields")
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        raise _fail(where, f"unknown field(s) {', '.join(map(str, unknown))}; allowed: {', '.join(allowed)}")
    return raw


def parse_strategy(strategy_id: str, raw: object, city_themes: dict[str, tuple[str, ...]]) -> Strategy:
    """One strategy, checked: its theme must be one a pilot city carries, and each of its cities must carry it."""
    where = f"strategy {strategy_id!r}"
    fields = _fields(raw, STRATEGY_FIELDS, where)
    used = {theme for themes in city_themes.values() for theme in themes}
    theme = fields.get("theme")
    if theme not in used:
        raise _fail(f"{where}, 'theme'", f"{theme!r} is not a theme of any pilot; used: {', '.join(sorted(used))}")
    cities = fields.get("cities")
    if not isinstance(cities, list) or not cities:
        raise _fail(f"{where}, 'cities'", "needs the pilot cities that tried it (city ids)")
    for city in cities:
        if city not in city_themes:
            raise _fail(f"{where}, 'cities'", f"unknown city {str(city)!r}")
        if theme not in city_themes[city]:
            raise _fail(f"{where}, 'cities'", f"{city}'s pilot does not carry the theme {theme!r}")
    return Strategy(strategy_id, _text(fields.get("name"), f"{where}, 'name'"), theme, tuple(cities),
                    _text(fields.get("what"), f"{where}, 'what'"),
                    _text(fields.get("bottom_line"), f"{where}, 'bottom_line'"))


def parse_card(index: int, raw: object, strategies: dict[str, Strategy]) -> Card:
    where = f"card #{index}"
    fields = _fields(raw, CARD_FIELDS, where)
    strategy = fields.get("strategy")
    if strategy not in strategies:
        raise _fail(f"{where}, 'strategy'", f"unknown strategy {str(strategy)!r}")
    strength = fields.get("strength")
    if strength not in STRENGTHS:
        raise _fail(f"{where}, 'strength'", f"must be one of: {', '.join(STRENGTHS)}")
    confirmed = fields.get("confirmed", True)
    if not isinstance(confirmed, bool):
        raise _fail(f"{where}, 'confirmed'", "must be true or false")
    return Card(strategy, _text(fields.get("study"), f"{where}, 'study'"), strength,
                _text(fields.get("found"), f"{where}, 'found'"), _sources(fields.get("sources"), where), confirmed)


def parse_evidence(raw: object, city_themes: dict[str, tuple[str, ...]]) -> Evidence:
    """The whole file, checked against the pilots' themes (`city_themes`: city id -> its pilot's theme ids)."""
    top = _fields(raw, ("strategies", "cards"), "the file")
    raw_strategies = top.get("strategies")
    if not isinstance(raw_strategies, dict) or not raw_strategies:
        raise _fail("'strategies'", "needs at least one strategy")
    strategies = {sid: parse_strategy(sid, spec, city_themes) for sid, spec in raw_strategies.items()}
    raw_cards = top.get("cards")
    if not isinstance(raw_cards, list):
        raise _fail("'cards'", "needs a list of cards")
    evidence = Evidence(strategies, tuple(parse_card(n, card, strategies) for n, card in enumerate(raw_cards, 1)))
    for strategy in strategies.values():
        count = len(evidence.cards_for(strategy.id))
        if not 1 <= count <= MAX_CARDS:
            raise _fail(f"strategy {strategy.id!r}", f"has {count} cards; each strategy needs 1 to {MAX_CARDS}")
    return evidence


def load_evidence(city_themes: dict[str, tuple[str, ...]], path: Path | str = EVIDENCE_FILE) -> Evidence:
    """Read and check data/evidence.yaml."""
    return parse_evidence(read_yaml(path, EvidenceFileError, "evidence"), city_themes)


def source_hosts(cards) -> list[str]:
    """The sites the cards' sources are on, once each, for a printed source line ('leo.nd.edu, ...')."""
    return list(dict.fromkeys(source_label(url) for card in cards for url in card.sources))
