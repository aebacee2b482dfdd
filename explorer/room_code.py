"""A room's code: how it is made and how it is read back (explorer.rooms, and the ?room= link field); and its
facilitator's key, the secret that lets one session lead the room (the ?host= field of a presenter's link).

8 symbols of Crockford's base32 (digits and capitals without I, L, O and U) are 40 random bits: with a
hundred rooms open, a guess finds one once in about ten billion tries. A code is read back forgivingly,
as people copy it off a screen or say it aloud: any case, with or without the `MOB` and the hyphens,
spaces allowed, and O, I and L read as 0, 1 and 1.
"""
from __future__ import annotations

import re
import secrets
from typing import Callable

PREFIX = "MOB"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
SYMBOLS = 8                                   # 40 bits, shown as two groups of four
MAX_TEXT = 40                                 # longer text typed or linked as a code is not read at all
EXAMPLE = "MOB-K7QD-4M2X"                     # how a code looks, for the words that explain it

KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{32}")  # secrets.token_urlsafe(24): 192 random bits

_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")
_PREFIXES = (PREFIX, PREFIX.translate(_READ_AS))  # "MOB", or "M0B" as it may be typed


def new_code(choose: Callable[[str], str] = secrets.choice) -> str:
    """A fresh room code, e.g. 'MOB-K7QD-4M2X' (`choose` picks one symbol: secrets.choice by default)."""
    symbols = "".join(choose(ALPHABET) for _ in range(SYMBOLS))
    return f"{PREFIX}-{symbols[:4]}-{symbols[4:]}"


def read_code(text: object) -> str | None:
    """The room code that `text` spells ('mob k7qd 4m2x', 'K7QD4M2X', 'MOB-K7QD-4M2X'), or None.

    Only its form is checked here: whether such a room is open is the store's question."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return None
    compact = _SEPARATORS.sub("", text).upper()
    if len(compact) == len(PREFIX) + SYMBOLS and compact.startswith(_PREFIXES):
        compact = compact[len(PREFIX):]
    compact = compact.translate(_READ_AS)
    if len(compact) != SYMBOLS or any(symbol not in ALPHABET for symbol in compact):
        return None
    return f"{PREFIX}-{compact[:4]}-{compact[4:]}"


def new_key() -> str:
    """A facilitator's key: 192 random bits, kept in their session (and in their private presenter link)."""
    return secrets.token_urlsafe(24)


def read_key(text: object) -> str | None:
    """`text` if it has a facilitator's key's form, else None (whether it opens a room is the store's question)."""
    return text if isinstance(text, str) and KEY_PATTERN.fullmatch(text) else None
