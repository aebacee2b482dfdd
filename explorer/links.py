"""Shareable links: every piece of a page's view state, declared once, to and from URL query parameters.

A facilitator prepares a view, copies its link, and the same link opens exactly that view for everyone
in the room. The registry `FIELDS` says, for each query parameter: what values it may take, its default,
which pages use it, and which `st.session_state` key holds it on those pages. `encode` and `decode` are
pure functions over plain dicts, so the round trip is tested without a browser.

A link comes from anywhere (a chat message, a typo, a crawler), so `decode` never raises: an unknown
parameter or a bad value is left out, the default is used, and a short notice says what was ignored.
Notices quote URL text only after reducing it to a few safe characters (they are shown as Markdown).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit

from explorer import config, i18n, pilots, room_code
from explorer.i18n import N_, _

MAX_TRACTS = 20          # tracts selected side by side on the map page
MAX_VIEWS = 50           # views in one facilitator's file (see explorer.views)
# Parameters Streamlit itself reads (embedding); they are not ours but are not errors either.
STREAMLIT_PARAMS = frozenset({"embed", "embed_options"})

_SHOWN_CHARS = re.compile(r"[^A-Za-z0-9_,.\- ]")
_DIGITS = re.compile(r"[0-9]{1,6}")
_TRACT_ID = re.compile(r"[0-9]{11}")


def shown(text: object, limit: int = 24) -> str:
    """URL text made safe to quote in a Markdown notice: odd characters become '?', long text is cut."""
    cleaned = _SHOWN_CHARS.sub("?", str(text))
    return cleaned if len(cleaned) <= limit else cleaned[:limit] + "..."


# ---- value kinds: each parses URL text (raising ValueError with the rule) and formats a value back ----

_SEPARATORS = re.compile(r"[\s_\-]+")


def id_form(text: str) -> str:
    """'New Orleans', 'new_orleans', 'NEW-ORLEANS' -> 'new-orleans': how a hand-typed city reads as its id."""
    return _SEPARATORS.sub("-", text.strip().lower())


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of ids (a city, a metric, a race group). `forgiving`: case, spaces, underscores
    and hyphens do not matter (a city typed by hand); anything else must match exactly."""
    options: tuple[str, ...]
    forgiving: bool = False

    def canonical(self, text: str) -> str | None:
        """The option `text` names, or None."""
        if text in self.options:
            return text
        if self.forgiving and isinstance(text, str) and id_form(text) in self.options:
            return id_form(text)
        return None

    def parse(self, text: str) -> str:
        option = self.canonical(text)
        if option is None:
            raise ValueError(_("must be one of: {options}").format(options=", ".join(self.options)))
        return option

    def format(self, value: str) -> str:
        if not isinstance(value, str) or value not in self.options:  # our own state: exact ids only
            raise ValueError(_("must be one of: {options}").format(options=", ".join(self.options)))
        return value


@dataclass(frozen=True)
class Whole:
    """A whole number within [low, high] (a parent percentile, a view number)."""
    low: int
    high: int

    def parse(self, text: str) -> int:
        if not _DIGITS.fullmatch(text) or not self.low <= int(text) <= self.high:
            raise ValueError(_("must be {low}-{high}").format(low=self.low, high=self.high))
        return int(text)

    def format(self, value: int) -> str:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(_("must be a whole number {low}-{high}").format(low=self.low, high=self.high))
        return str(self.parse(str(value)))


@dataclass(frozen=True)
class Flag:
    """On or off, written 1 or 0."""

    def parse(self, text: str) -> bool:
        if text not in ("0", "1"):
            raise ValueError(_("must be 0 or 1"))
        return text == "1"

    def format(self, value: bool) -> str:
        if not isinstance(value, bool):
            raise ValueError(_("must be True or False"))
        return "1" if value else "0"


@dataclass(frozen=True)
class Digits:
    """An id of exactly `length` digits (a county's FIPS code); whether it exists is for the page to check."""
    length: int

    def parse(self, text: str) -> str:
        if len(text) != self.length or not (text.isascii() and text.isdigit()):
            raise ValueError(_("must be a {length}-digit code").format(length=self.length))
        return text

    def format(self, value: str) -> str:
        if not isinstance(value, str):
            raise ValueError(_("must be a {length}-digit code").format(length=self.length))
        return self.parse(value)


@dataclass(frozen=True)
class IdList:
    """A comma-separated list of ids, in the user's order, without repeats."""
    item: Choice | None       # None: items are 11-digit tract ids
    min_items: int
    max_items: int
    rule: str

    def rule_text(self) -> str:
        """The rule in the reader's language, with its count."""
        return _(self.rule).format(count=self.max_items)

    def _item_ok(self, text: str) -> bool:
        return text in self.item.options if self.item else bool(_TRACT_ID.fullmatch(text))

    def parse(self, text: str) -> tuple[str, ...]:
        items = tuple(text.split(",")) if text else ()
        if self.item:  # each item read as its Choice reads it (a forgiving one accepts 'New Orleans')
            items = tuple(self.item.canonical(i) or i for i in items)
        if not all(self._item_ok(i) for i in items) or len(set(items)) != len(items):
            raise ValueError(self.rule_text())
        if not self.min_items <= len(items) <= self.max_items:
            raise ValueError(self.rule_text())
        return items

    def format(self, value: tuple[str, ...]) -> str:
        if not isinstance(value, (tuple, list)) or not all(isinstance(i, str) and self._item_ok(i) for i in value):
            raise ValueError(self.rule_text())
        return ",".join(self.parse(",".join(value)))


@dataclass(frozen=True)
class Code:
    """A code copied by hand (a room's), read forgivingly by `read` into its one written form (None: not one)."""
    read: Callable[[str], str | None]
    rule: str

    def parse(self, text: str) -> str:
        value = self.read(text)
        if value is None:
            raise ValueError(_(self.rule).format(example=room_code.EXAMPLE))
        return value

    def format(self, value: str) -> str:
        if not isinstance(value, str) or self.read(value) != value:
            raise ValueError(_(self.rule).format(example=room_code.EXAMPLE))
        return value


@dataclass(frozen=True)
class Field:
    """One query parameter of a view.

    `pages` are the ids (explorer.registry) of the pages that read it ("*" for every page); `widget_key` is
    the st.session_state key that holds it on those pages (the wiring maps field <-> widget by it). This is
    the one declaration of those keys: a page takes its widgets' keys from here (`widget_keys`).
    """
    name: str
    kind: Choice | Whole | Flag | Digits | IdList | Code
    default: Any
    pages: tuple[str, ...]
    widget_key: str | None
    help: str
    widget_keys: Mapping[str, str] = field(default_factory=dict)  # page -> key, where pages differ
    restorable: bool = True   # False: the widget's state cannot be set from code (a map selection)

    def key_on(self, page: str) -> str | None:
        """The session-state key holding this field on one page."""
        return self.widget_keys.get(page, self.widget_key)


_CITIES = Choice(tuple(config.CITIES), forgiving=True)  # a city name typed into a link by hand still opens it
# The county map's groups: the races of the county file, or the Black-white gap (explorer.maps.COUNTY_GROUPS).
COUNTY_GROUPS = (*config.COUNTY_RACES, "black_white_gap")
FIELDS: dict[str, Field] = {f.name: f for f in (
    Field("city", _CITIES, config.DEFAULT_CITY, ("*",), "city", "the city every page shows"),
    Field("metric", Choice(config.TRACT_METRICS), "household_income_p25", ("neighborhoods",), "map_metric",
          "the tract outcome the map colours"),
    Field("scale", Choice(("national", "within")), "national", ("neighborhoods",), "map_scale",
          "colour bins from all US tracts (national) or from this area's tracts (within)"),
    Field("basemap", Flag(), False, ("neighborhoods", "us-counties", "tract-gaps"), "map_basemap",
          "street map background on (1) or off (0, the default: no request leaves the app)",
          widget_keys={"us-counties": "county_basemap", "tract-gaps": "national_basemap"}),
    Field("tracts", IdList(None, 0, MAX_TRACTS, N_("must be up to {count} different 11-digit tract ids")),
          (), ("neighborhoods",), "tract_map", "the tracts selected on the map, compared side by side",
          restorable=False),
    Field("group", Choice(COUNTY_GROUPS), "pooled", ("us-counties",), "county_group",
          "the children's group the national county map shows, or the Black-white gap"),
    Field("gender", Choice(tuple(config.GENDERS)), "pooled", ("us-counties", "race-class-gaps", "tract-gaps"), "county_gender",
          "men, women or everyone", widget_keys={"race-class-gaps": "gap_gender", "tract-gaps": "national_gender"}),
    Field("outcome", Choice(tuple(config.NATIONAL_OUTCOMES)), "kfr", ("race-class-gaps", "tract-gaps"), "gap_outcome",
          "the national outcome the gap charts (or the tract race gap maps) show",
          widget_keys={"tract-gaps": "national_outcome"}),
    Field("pctile", Whole(1, 100), 25, ("race-class-gaps", "tract-gaps"), "gap_pctile",
          "the parents' income percentile at which the gap is stated (the tract race gap maps: 25 or 75)",
          widget_keys={"tract-gaps": "national_pct"}),
    Field("county", Digits(5), None, ("tract-gaps",), "national_county",
          "the US county of the tract race gap maps, by its 5-digit FIPS code (default: the city's main county)"),
    Field("show", Choice(("gap", "group")), "gap", ("tract-gaps",), "national_view",
          "the tract race gap maps: the Black-white gap (gap) or one group of children (group)"),
    Field("race", Choice(tuple(config.RACES)), "black", ("tract-gaps",), "national_race",
          "the children's race the one-group tract map shows"),
    Field("cities", IdList(_CITIES, 2, len(config.CITIES), N_("must be 2-{count} different city ids")),
          tuple(config.CITIES), ("compare-cities",), "compare_cities", "the cities compared side by side (default: all)"),
    Field("theme", Choice(pilots.theme_ids()), pilots.theme_ids()[0], ("what-works",), "works_theme",
          "the pilots' theme whose strategies and evidence the What works page shows"),
    Field("present", Flag(), False, ("*",), "present", "presentation mode for a projector"),
    Field("lang", Choice(tuple(i18n.LANGUAGES)), i18n.DEFAULT, ("*",), "lang",
          "the language of every page: en (English, the default) or es (Spanish)"),
    Field("view", Whole(1, MAX_VIEWS), None, ("*",), None, "which view of the facilitator's file is showing",
          restorable=False),
    Field("room", Code(room_code.read_code, N_("must be a room code like {example}")), None, ("*",), None,
          "the presenter's room this visitor follows (explorer.rooms): the view comes from the room",
          restorable=False),
    Field("host", Code(room_code.read_key, N_("must be the key of a presenter's link")), None, ("*",), None,
          "with room: the facilitator's key, in their private presenter's link (read once, never written back)",
          restorable=False),
)}
DEFAULTS: dict[str, Any] = {name: f.default for name, f in FIELDS.items()}


def fields_for(page: str) -> list[Field]:
    """The fields one page reads (its own plus the shared ones), in canonical order."""
    return [f for f in FIELDS.values() if page in f.pages or "*" in f.pages]


def widget_keys(page: str, *names: str) -> tuple[str, ...]:
    """The session-state keys of the named fields' widgets on one page, in the order asked (a page's widget
    keys for its link fields, so that they are declared once, here). A field the page does not read is an error."""
    by_name = {f.name: f for f in fields_for(page)}
    missing = [name for name in names if name not in by_name or not by_name[name].key_on(page)]
    if missing:
        raise KeyError(f"page {page!r} has no widget for: {', '.join(missing)}")
    return tuple(by_name[name].key_on(page) for name in names)


def complete(state: Mapping[str, Any]) -> dict[str, Any]:
    """A full state: every field, the given values over the defaults."""
    return {**DEFAULTS, **{k: v for k, v in state.items() if k in FIELDS}}


def encode(state: Mapping[str, Any]) -> dict[str, str]:
    """Query parameters for a (full or partial) state, in registry order, defaults left out.

    Raises ValueError naming the field if a value is not valid: the state comes from our own
    widgets, so an invalid one is a programming error to fix, not a user's typo.
    """
    unknown = sorted(set(state) - set(FIELDS))
    if unknown:
        raise ValueError(f"Unknown view fields: {', '.join(unknown)}")
    params = {}
    for name, spec in FIELDS.items():
        value = state.get(name, spec.default)
        if value is None and spec.default is None:
            continue
        try:
            text = spec.kind.format(value)
        except ValueError as error:
            raise ValueError(f"{name}={value!r}: {error}") from None
        if spec.default is None or text != spec.kind.format(spec.default):
            params[name] = text
    return params


def valid_part(state: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """(valid state, dropped names): the fields `encode` accepts, and the names of the others.

    For the copy-link control: a page whose widget offers a value the registry does not know yet must
    still get a working link (for the rest of its state) rather than an error.
    """
    valid: dict[str, Any] = {}
    dropped: list[str] = []
    for name, value in state.items():
        try:
            encode({name: value})
        except ValueError:
            dropped.append(shown(name))
        else:
            valid[name] = value
    return valid, dropped


def _last(value: str | list[str] | tuple[str, ...]) -> str | None:
    """A repeated parameter (?a=1&a=2) counts by its last value, as st.query_params does."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and value and isinstance(value[-1], str):
        return value[-1]
    return None


def decode_given(params: Mapping[str, str | list[str]]) -> tuple[dict[str, Any], list[str]]:
    """(the valid fields given, notices): only what the URL sets, nothing filled in."""
    given: dict[str, Any] = {}
    ignored: list[str] = []
    for name, raw in params.items():
        if name in STREAMLIT_PARAMS:
            continue
        spec = FIELDS.get(name) if isinstance(name, str) else None
        text = _last(raw)
        if spec is None:
            ignored.append(_("Ignored unknown setting {name}").format(name=shown(name)))
        elif text is None:
            ignored.append(_("Ignored {name} (no value)").format(name=name))
        else:
            try:
                given[name] = spec.kind.parse(text)
            except ValueError as error:
                ignored.append(_("Ignored {name}={value} ({rule})").format(name=name, value=shown(text), rule=error))
    return given, ignored


def decode(params: Mapping[str, str | list[str]]) -> tuple[dict[str, Any], list[str]]:
    """(full state, notices): every valid parameter applied over the defaults; the rest named and ignored."""
    given, ignored = decode_given(params)
    return complete(given), ignored


def widget_values(state: Mapping[str, Any], page: str) -> dict[str, Any]:
    """st.session_state key -> widget value for the page's restorable fields present in `state`.

    Id lists become lists (what st.multiselect holds); fields without a settable widget are left out.
    """
    return {f.key_on(page): list(state[f.name]) if isinstance(f.kind, IdList) else state[f.name]
            for f in fields_for(page) if f.restorable and f.key_on(page) and f.name in state}


def from_widgets(session: Mapping[str, Any], page: str) -> dict[str, Any]:
    """The page's state read back from its widgets' session-state keys (lists become tuples)."""
    state = {}
    for f in fields_for(page):
        key = f.key_on(page)
        if f.restorable and key and key in session:
            value = session[key]
            state[f.name] = tuple(value) if isinstance(value, list) else value
    return state


def page_state(state: Mapping[str, Any], page: str) -> dict[str, Any]:
    """Only the fields one page uses (what its copy-link control should carry)."""
    return {f.name: state[f.name] for f in fields_for(page) if f.name in state}


def site_root(page_url: str, page: str) -> str:
    """The app's own address ('https://host/prefix') from the address of its page `page` (an id)."""
    parts = urlsplit(page_url)
    path = parts.path.rstrip("/")
    if path.endswith("/" + page):
        path = path[: -len(page) - 1]
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def link(page_url: str, state: Mapping[str, Any]) -> str:
    """The page's URL (any old query or fragment dropped) with the state's query parameters."""
    parts = urlsplit(page_url)
    query = urlencode(encode(state), safe=",")
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def short(link: str) -> str:
    """A link as people read it off a poster or a screen and type it: without 'https://'."""
    return link.split("://", 1)[-1]
