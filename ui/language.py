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


def language_picker() -> None:
    """English / Español in the sidebar, labelled in both, at the top: the first thing a reader may need."""
    st.sidebar.radio("Language / Idioma", options=list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get,
                     key=LANG_KEY, horizontal=True)
