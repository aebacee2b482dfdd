"""Text from outside the app, shown as plain text wherever Streamlit renders Markdown.

Visitors send text in links (?name=value), uploaded CSVs (file and column names, cells) and
facilitators' views files (titles, notes). Streamlit draws toasts, alerts, captions and st.markdown
as GitHub-flavoured Markdown, which turns more than syntax into markup: after parsing, it finds bare
addresses in the text and makes them links (`www.` names, `http://` and other scheme addresses, e-mail
addresses). Backslash escapes stop the syntax (emphasis, `[links](...)`, images, HTML, maths) but not
that second step, because the escapes are gone by then.

`literal` does both: it escapes every ASCII punctuation mark and puts an invisible WORD JOINER
(U+2060) where an address would start to be recognised (between `www` and its dot, before a `:`
and before an `@`), so nothing from outside becomes a link, a picture or formatting. The text reads the
same on screen. Tables (st.dataframe), selectbox options and the map's tooltips show text as text
already and need none of this.
"""
from __future__ import annotations

import re

JOINER = "\u2060"
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_ADDRESS_STARTS = re.compile(r"(?i)(?<=www)(?=\\\.)|(?=\\[:@])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


def literal(text: object, limit: int | None = None) -> str:
    """`text` made literal for any Streamlit call that renders Markdown (one line; cut to `limit`
    characters with "..." first, so an escape is never cut in half)."""
    flat = " ".join(_CONTROL.sub(" ", str(text)).split())
    if limit is not None and len(flat) > limit:
        flat = flat[:limit] + "..."
    return _ADDRESS_STARTS.sub(JOINER, _PUNCTUATION.sub(r"\\\1", flat))


def literal_lines(text: object) -> str:
    """Like `literal`, but a multi-line note keeps its line breaks (as Markdown hard breaks)."""
    return "  \n".join(literal(line) for line in str(text).splitlines())


def as_read(shown: str) -> str:
    """What a reader sees of `literal`'s output (its escapes and joiners dropped): for tests and logs."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", shown).replace(JOINER, "")
