"""Text from links, uploads and views files is shown as plain text: explorer.plain.literal."""
from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.plain import JOINER, as_read, literal, literal_lines

J = JOINER

# What GitHub-flavoured Markdown would turn into markup, links or pictures, as a visitor might send it
CORPUS = [
    "www.phish-example.com",
    "WWW.Phish-Example.com/login?x=1",
    "Open https://evil.example/login now",
    "http://127.0.0.1:8501/?city=detroit",
    "mailto:someone@example.org",
    "write to someone@example.org",
    "xmpp:user@example.org",
    "[click here](https://evil.example)",
    "![pixel](https://evil.example/p.png)",
    "<https://evil.example>",
    "<a href='https://evil.example'>link</a>",
    "<img src=x onerror=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#119;&#119;&#119;.evil.example",
    "**bold** _it_ `code` ~~gone~~ $x^2$",
    ":material/home: :red[red text] :smile:",
    "# heading\n- list\n> quote",
    "| a | b |\n|---|---|",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("text, shown", [
    ("www.phish-example.com", f"www{J}\\.phish\\-example\\.com"),
    ("Open https://evil.example/login now", f"Open https{J}\\:\\/\\/evil\\.example\\/login now"),
    ("a@b.org", f"a{J}\\@b\\.org"),
    ("**bold** [l](javascript:x)", f"\\*\\*bold\\*\\* \\[l\\]\\(javascript{J}\\:x\\)"),
    ("two\nlines\ttab", "two lines tab"),
    ("café 12", "café 12"),
])
def test_literal_escapes_syntax_and_breaks_every_address(text, shown):
    assert literal(text) == shown


@pytest.mark.parametrize("text", CORPUS)
def test_nothing_in_the_corpus_stays_markup_or_an_address(text):
    shown = literal(text)
    unescaped = shown.replace("\\\\", "")
    assert re.search(r"(?<!\\)[*_\[\]<>$`!&#|:@~]", unescaped) is None  # every mark escaped
    visible = re.sub(r"\\(.)", r"\1", shown)  # the text as Markdown shows it
    assert not re.search(r"(?i)www\.|[a-z]+:|[-.\w+]@", visible)  # no autolink can start


def test_notes_keep_their_lines():
    assert literal_lines("first www.a.org\nsecond") == f"first www{J}\\.a\\.org  \nsecond"


def test_long_text_is_cut_before_escaping():
    assert literal("x" * 30 + ".", limit=10) == "x" * 10 + "\\.\\.\\."


@given(st.text(max_size=80))
def test_literal_hides_no_text(text):
    """Dropping the added backslashes and joiners gives the text back (whitespace runs become one space)."""
    shown = literal(text)
    back = as_read(shown)
    flat = " ".join(re.sub(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]", " ", text).split())
    assert back == flat.replace(J, "")
