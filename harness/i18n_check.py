"""What an AppTest run shows, as text, and which of it is still English: the check behind "a page in Spanish
shows no English sentence from the catalog".

    at = open_page("pages/maps.py", params={"lang": "es"})
    assert english_left(at) == []

`shown_texts` walks every element's protobuf (titles, Markdown, captions, labels, help, options, notices,
chart specs) and the column names and text cells of its tables. `english_left` lists each catalog sentence
(three words or more, its Spanish different) that appears word for word; a text with fields
("{count} tracts match") is looked for by its longest fixed part.
"""
from __future__ import annotations

import io
import re
import string
from functools import lru_cache

from babel.messages.pofile import read_po

from explorer import i18n

MIN_WORDS = 3


def _proto_strings(message, out: list[str]) -> None:
    for descriptor, value in message.ListFields():
        single = isinstance(value, (str, bytes, int, float, bool)) or hasattr(value, "ListFields")
        values = [value] if single else list(value)
        for item in values:
            if isinstance(item, str):
                out.append(item)
            elif hasattr(item, "ListFields"):
                _proto_strings(item, out)
            elif isinstance(item, bytes) and descriptor.name == "data":
                out.extend(_table_strings(item))


def _table_strings(data: bytes) -> list[str]:
    try:
        import pyarrow as pa
        table = pa.ipc.open_stream(io.BytesIO(data)).read_all()
    except Exception:
        return []
    texts = [str(name) for name in table.column_names]
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            texts.extend(str(v) for v in column.to_pylist() if v)
    return texts


def shown_texts(at) -> list[str]:
    """Every string the run's elements carry (main area and sidebar)."""
    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            _proto_strings(proto, out)
        for child in getattr(node, "children", {}).values() if isinstance(getattr(node, "children", None), dict) else []:
            walk(child)

    walk(at._tree)
    return out


@lru_cache(maxsize=1)
def catalog_sentences() -> tuple[str, ...]:
    """The English parts to look for: each catalog text of MIN_WORDS words or more whose Spanish differs."""
    with open(i18n.catalog_path("es"), "rb") as source:
        catalog = read_po(source, locale=i18n.LOCALES["es"])
    parts = []
    for message in catalog:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, str) else message.id[0]
        spanish = message.string if isinstance(message.string, str) else (message.string or ("",))[0]
        if spanish == english:
            continue
        fixed = [chunk for chunk, *_ in string.Formatter().parse(english) if chunk]
        longest = max(fixed, key=len, default="").strip()
        plain = re.sub(r"[*_`]", "", longest)  # Markdown marks may be drawn or kept: look for the words
        if len(plain.split()) >= MIN_WORDS:
            parts.append(plain)
    return tuple(sorted(set(parts)))


def english_left(at) -> list[str]:
    """The catalog's English sentences that the run still shows."""
    texts = "\n".join(re.sub(r"[*_`]", "", t) for t in shown_texts(at))
    return [sentence for sentence in catalog_sentences() if sentence in texts]
