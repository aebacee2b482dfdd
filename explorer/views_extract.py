"""Babel's extractor for the shipped views files (data/views/*.toml, babel.cfg): the example data walk's title
and each view's title, note and prompts are the app's own texts, so the catalog translates them
(explorer.views.example shows them in the reader's language). Link settings and page ids are not text."""
from __future__ import annotations

import tomllib


def _line_of(lines: list[str], key: str, start: int) -> int:
    """The 1-based number of the first line at or after `start` that sets `key` (the text's place, for the catalog)."""
    for number in range(start, len(lines) + 1):
        if lines[number - 1].lstrip().startswith(key):
            return number
    return start


def extract(fileobj, keywords, comment_tags, options):
    """Yield (line, funcname, message, comments) for each text of a views file, in file order."""
    source = fileobj.read()
    text = source.decode(options.get("encoding", "utf-8")) if isinstance(source, bytes) else source
    lines = text.splitlines()
    document = tomllib.loads(text)
    if isinstance(document.get("title"), str):
        yield _line_of(lines, "title", 1), None, document["title"], []
    at = 1
    for view in document.get("view", []):
        at = _line_of(lines, "[[view]]", at) + 1
        for key in ("title", "note"):
            if isinstance(view.get(key), str) and view[key]:
                yield _line_of(lines, key, at), None, view[key], [f"views file: a view's {key}"]
        for prompt in view.get("prompts", []):
            if isinstance(prompt, str) and prompt:
                yield _line_of(lines, "prompts", at), None, prompt, ["views file: a question for the room"]
