"""The reader's language: chosen before anything is drawn, kept in the session and the link (?lang=es).

A new visitor reads the language of the link, else of their browser (`st.context.locale`), else English.
The sidebar's "Language / Idioma" switches it: a rerun that keeps the page and its state.
"""
from __future__ import annotations

import streamlit as st

from explorer import i18n, links

(LANG_KEY,) = links.widget_keys("start", "lang")


def first_language() -> str:
    """A new session's language: the link's, else the browser's, else English."""
    linked = st.query_params.get("lang")
    if linked in i18n.LANGUAGES:
        return linked
    try:
        return i18n.from_locale(st.context.locale)
    except Exception:  # no browser behind this run (a test's session): the default
        return i18n.DEFAULT


def speak() -> str:
    """Use the session's language for this run (the router's first call, and each partial rerun's)."""
    if st.session_state.get(LANG_KEY) not in i18n.LANGUAGES:
        st.session_state[LANG_KEY] = first_language()
    i18n.use(st.session_state[LANG_KEY])
    return i18n.current()


def keep_choices() -> None:
    """Keep every choice across a switch of language. A selectbox, radio or multiselect tells the server its
    choice by the option's shown text ("Black"), which the other language no longer offers ("Negros"), so
    the widget would fall back to its first option. Written back here, before the rerun, each choice is
    held by its id instead. Only text choices are written back: buttons, uploads and map selections cannot be
    set from code, and switches and numbers (sliders, number boxes) keep their value anyway."""
    for key in list(st.session_state):
        value = st.session_state[key]
        plain = isinstance(value, str) or (isinstance(value, list) and all(isinstance(item, str) for item in value))
        if key != LANG_KEY and plain and not str(key).startswith("_"):
            st.session_state[key] = value


def language_picker() -> None:
    """English / Español in the sidebar, labelled in both, at the top: the first thing a reader may need."""
    st.sidebar.radio("Language / Idioma", options=list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get,
                     key=LANG_KEY, horizontal=True, on_change=keep_choices)
