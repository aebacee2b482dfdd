"""Facilitator's views: an ordered list of prepared views kept in a small TOML file.

A facilitator lines up the views for a workshop (which page, which city, which outcome...) with a note
to themselves for each, downloads the file, and steps through it on the projector. The file is
hand-editable:

    title = "A data walk through the nine cities"

    [[view]]
    title = "Where children from low-income families get ahead in Detroit"
    note = "Ask the room which neighborhoods they expected to be darker."
    prompts = ["Does this match what you see in your neighborhood?"]   # optional: for the room, on the kit
    page = "neighborhoods"          # the page's id
    [view.link]                     # the page's state, as in its shareable link (see explorer.links)
    city = "detroit"
    basemap = false

Files are uploaded by people, so `parse` checks everything (size, encoding, TOML syntax, unknown keys,
each link value through `links.decode`) and reports every problem at once, in plain words.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from typing import Any, Collection

from explorer import config, links
from explorer.i18n import _

MAX_BYTES = 64 * 1024           # a 12-view file is about 4 KB; anything near this is not a views file
MAX_VIEWS = links.MAX_VIEWS
MAX_TITLE = 120
MAX_NOTE = 1500
MAX_PROMPTS = 5                 # discussion prompts per view: a station's poster holds three comfortably
MAX_PROMPT = 200
STATION_MINUTES = 5             # the data-walk kit's default time at each station: 11 fit in about 70 minutes
EXAMPLE_FILE = config.ROOT / "data" / "views" / "data_walk.toml"

FILE_KEYS = ("title", "view")
VIEW_KEYS = ("title", "note", "prompts", "page", "link")
LINK_EXCLUDED = ("view", "room")  # a view's number is its place in the file; a view opens for anyone, in no room
_PAGE_PATH = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


class ViewsFileError(ValueError):
    """The file cannot be used; `problems` lists every reason, each one short sentence."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("This views file cannot be used: " + " ".join(problems))


@dataclass(frozen=True)
class View:
    title: str
    page: str                    # url path of the page the view opens
    note: str = ""               # for the facilitator's eyes: what to point at, what to ask
    link: dict[str, Any] = field(default_factory=dict)  # the link fields this view sets (links.FIELDS values)
    prompts: tuple[str, ...] = ()  # questions for the room (the data-walk kit prints them on the view's poster)

    def query_params(self) -> dict[str, str]:
        """The view's query parameters (defaults left out), for st.page_link / st.switch_page."""
        return links.encode(self.link)


@dataclass(frozen=True)
class ViewsFile:
    title: str
    views: tuple[View, ...]


# ---- reading ----

def load(path=EXAMPLE_FILE, pages: Collection[str] | None = None) -> ViewsFile:
    """A views file from disk (the shipped example by default), checked like an upload."""
    with open(path, "rb") as handle:
        return parse(handle.read(MAX_BYTES + 1), pages)


def example(pages: Collection[str] | None = None) -> ViewsFile:
    """The shipped data walk in the reader's language: its title, notes and prompts are ours, so the catalog
    has them (explorer.views_extract lists them for it). A user's own file is never translated."""
    walk = load(EXAMPLE_FILE, pages)
    return ViewsFile(_(walk.title), tuple(
        replace(view, title=_(view.title), note=_(view.note), prompts=tuple(_(p) for p in view.prompts))
        for view in walk.views))


def parse(content: bytes | str, pages: Collection[str] | None = None) -> ViewsFile:
    """Check and read a views file; `pages` are the app's url paths (None: any well-formed path).

    Raises ViewsFileError listing every problem found, and only that, whatever the file holds.
    """
    try:
        return _parse(content, pages)
    except ViewsFileError:
        raise
    except Exception as error:  # a file this code did not foresee: a plain refusal, never a crash
        raise ViewsFileError([_("The file could not be read ({error}); check that it is a views file saved from "
                                "this app or written like the example.").format(error=type(error).__name__)]) from None


def _parse(content: bytes | str, pages: Collection[str] | None) -> ViewsFile:
    document = _document(content)
    problems = [_("Unknown setting {setting} at the top of the file (expected: title, view).").format(
                    setting=repr(links.shown(key))) for key in document if key not in FILE_KEYS]
    title = _text(document.get("title"), _("The file's title"), MAX_TITLE, problems, required=True)
    entries = document.get("view")
    if not isinstance(entries, list) or not entries:
        problems.append(_("The file has no views: add at least one [[view]] section."))
        entries = []
    elif len(entries) > MAX_VIEWS:
        problems.append(_("The file has {count} views; at most {most} are allowed.").format(count=len(entries),
                                                                                          most=MAX_VIEWS))
        entries = []
    views = [_view(entry, number, pages, problems) for number, entry in enumerate(entries, start=1)]
    if problems:
        raise ViewsFileError(problems)
    return ViewsFile(title, tuple(views))


def _too_large() -> ViewsFileError:
    return ViewsFileError([_("The file is larger than {size} KB; a views file is a few KB.").format(
        size=MAX_BYTES // 1024)])


def _document(content: bytes | str) -> dict:
    if isinstance(content, bytes):
        if len(content) > MAX_BYTES:
            raise _too_large()
        try:
            content = content.decode("utf-8")
        except UnicodeDecodeError:
            raise ViewsFileError([_("The file is not UTF-8 text; save it as UTF-8 and try again.")]) from None
    elif len(content.encode("utf-8", "replace")) > MAX_BYTES:
        raise _too_large()
    try:
        return tomllib.loads(content)
    except tomllib.TOMLDecodeError as error:
        raise ViewsFileError([_("The file is not valid TOML: {error}.").format(error=str(error)[:160])]) from None
    except RecursionError:  # brackets nested hundreds deep exhaust the parser's stack
        raise ViewsFileError([_("The file nests lists or tables too deeply to read; a views file needs "
                                "at most a view's [view.link] inside a [[view]].")]) from None


def _text(value: Any, what: str, limit: int, problems: list[str], required: bool = False) -> str:
    """A text setting; `what` names it for the problems ('View 2: the note'), in the reader's language."""
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.append(_("{what} must be non-empty text.").format(what=what))
        return ""
    if len(value) > limit:
        problems.append(_("{what} is longer than {limit} characters.").format(what=what, limit=limit))
    return value


def _view(entry: Any, number: int, pages: Collection[str] | None, problems: list[str]) -> View | None:
    if not isinstance(entry, dict):
        problems.append(_("View {number} is not a [[view]] section.").format(number=number))
        return None
    problems.extend(_("View {number}: unknown setting {setting} (expected: {expected}).").format(
                        number=number, setting=repr(links.shown(key)), expected=", ".join(VIEW_KEYS))
                    for key in entry if key not in VIEW_KEYS)
    title = _text(entry.get("title"), _("View {number}: the title").format(number=number), MAX_TITLE, problems,
                  required=True)
    if "\n" in title:
        problems.append(_("View {number}: the title must be one line.").format(number=number))
    note = _text(entry.get("note"), _("View {number}: the note").format(number=number), MAX_NOTE, problems)
    prompts = _prompts(entry.get("prompts", []), number, problems)
    page = _page(entry.get("page"), number, pages, problems)
    link = _link(entry.get("link", {}), number, problems)
    return View(title=title, page=page, note=note, link=link, prompts=prompts)


def _prompts(value: Any, view: int, problems: list[str]) -> tuple[str, ...]:
    """A view's discussion prompts: a list of at most MAX_PROMPTS one-line texts."""
    if not isinstance(value, list):
        problems.append(_('View {number}: prompts must be a list of questions, such as '
                          '["Does this match what you see?"].').format(number=view))
        return ()
    if len(value) > MAX_PROMPTS:
        problems.append(_("View {number} has {count} prompts; at most {most} are allowed.").format(
            number=view, count=len(value), most=MAX_PROMPTS))
        return ()
    prompts = []
    for number, item in enumerate(value, start=1):
        text = _text(item, _("View {number}: prompt {prompt}").format(number=view, prompt=number), MAX_PROMPT,
                     problems, required=True)
        if "\n" in text or "\r" in text:
            problems.append(_("View {number}: prompt {prompt} must be one line.").format(number=view, prompt=number))
        prompts.append(text.strip())
    return tuple(prompts)


def _page(value: Any, view: int, pages: Collection[str] | None, problems: list[str]) -> str:
    if not isinstance(value, str) or not _PAGE_PATH.fullmatch(value):
        problems.append(_('View {number}: page must be a page\'s address such as "neighborhoods".').format(
            number=view))
        return ""
    if pages is not None and value not in pages:
        problems.append(_("View {number}: there is no page {page} (pages: {pages}).").format(
            number=view, page=repr(value), pages=", ".join(sorted(pages))))
    return value


def _url_text(value: Any) -> str | None:
    """A TOML value as the text it would have in a link; None if no link value looks like it."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, str)):
        return str(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ",".join(value)
    return None


def _link(table: Any, view: int, problems: list[str]) -> dict[str, Any]:
    if not isinstance(table, dict):
        problems.append(_("View {number}: link must be a table of settings ([view.link]).").format(number=view))
        return {}
    params: dict[str, str] = {}
    for key, value in table.items():
        text = _url_text(value)
        if key == "view":
            problems.append(_("View {number}: link cannot set {setting} (a view's number is its place in the "
                              "file).").format(number=view, setting=repr(key)))
        elif key in LINK_EXCLUDED:
            problems.append(_("View {number}: link cannot set {setting} (a view opens for whoever loads the "
                              "file, not in a presenter's room).").format(number=view, setting=repr(key)))
        elif text is None:
            problems.append(_("View {number}: link setting {setting} must be text, a whole number, true/false or "
                              "a list of ids.").format(number=view, setting=repr(links.shown(key))))
        else:
            params[key] = text
    state, ignored = links.decode(params)
    problems.extend(_("View {number}: {notice}.").format(number=view, notice=notice) for notice in ignored)
    return {key: state[key] for key in params if key in links.FIELDS}


# ---- stepping through a file (view numbers are 1-based, as in the ?view= parameter) ----

def neighbours(views_file: ViewsFile, number: int) -> tuple[int | None, int | None]:
    """The previous and next view numbers around `number` (None at either end)."""
    count = len(views_file.views)
    number = min(max(number, 1), count)
    return (number - 1 if number > 1 else None, number + 1 if number < count else None)


def step_params(views_file: ViewsFile, number: int, present: bool = True) -> dict[str, str]:
    """Query parameters that open view `number`: its link, its number, and presentation mode."""
    view = views_file.views[number - 1]
    return links.encode({**view.link, "view": number, "present": present})


def with_view(views_file: ViewsFile, view: View) -> ViewsFile:
    """The file with one more view at the end; refused (ViewsFileError) when full or not valid."""
    if len(views_file.views) >= MAX_VIEWS:
        raise ViewsFileError([_("The file already has {most} views, the most allowed.").format(most=MAX_VIEWS)])
    candidate = ViewsFile(views_file.title, (*views_file.views, view))
    return parse(dumps(candidate))  # the same checks as an upload, so what is added can be read back


# ---- writing ----

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}


def _toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _toml_value(name: str, value: Any) -> str:
    """A link value typed for hand editing: numbers as numbers, on/off as true/false, id lists as arrays."""
    kind = links.FIELDS[name].kind
    kind.format(value)  # refuse to write what could not be read back
    if isinstance(kind, links.Flag):
        return "true" if value else "false"
    if isinstance(kind, links.Whole):
        return str(value)
    if isinstance(kind, links.IdList):
        return "[" + ", ".join(_toml_string(item) for item in value) + "]"
    return _toml_string(value)


def dumps(views_file: ViewsFile) -> str:
    """The views file as TOML text that `parse` reads back to the same ViewsFile."""
    lines = [f"title = {_toml_string(views_file.title)}"]
    for view in views_file.views:
        lines += ["", "[[view]]", f"title = {_toml_string(view.title)}"]
        if view.note:
            lines.append(f"note = {_toml_string(view.note)}")
        if view.prompts:
            lines.append("prompts = [" + ", ".join(_toml_string(p) for p in view.prompts) + "]")
        lines.append(f"page = {_toml_string(view.page)}")
        if view.link:
            lines.append("[view.link]")
            lines += [f"{name} = {_toml_value(name, value)}" for name, value in view.link.items()]
    return "\n".join(lines) + "\n"
