"""Shared Streamlit rendering helpers used by app.py and the pages (the only UI module outside pages/).

Kept out of `explorer/` so that the package stays testable without Streamlit.
"""
from __future__ import annotations

import logging
import os

import pandas as pd
import streamlit as st

from explorer import config
from explorer.store import DataFileError

log = logging.getLogger("explorer")
CITY_KEY = "city"


def _city_from_url() -> None:
    """Seed the city picker from ?city= once per session; unknown values are named and ignored."""
    if CITY_KEY in st.session_state:
        return
    wanted = st.query_params.get(CITY_KEY)
    if wanted is None or wanted in config.CITIES:
        st.session_state[CITY_KEY] = wanted or config.DEFAULT_CITY
    else:
        st.session_state[CITY_KEY] = config.DEFAULT_CITY
        st.toast(f"Ignored unknown city in the link: {wanted[:40]!r}. Showing {config.CITIES[config.DEFAULT_CITY].label}.")


def city_picker() -> config.City:
    """The sidebar city picker shared by every page; its value survives page switches and is in the URL."""
    _city_from_url()
    city_id = st.sidebar.selectbox("City", options=list(config.CITIES), key=CITY_KEY,
                                   format_func=lambda c: config.CITIES[c].label,
                                   help="The city whose neighborhoods and pilot every page shows.")
    st.query_params[CITY_KEY] = city_id
    return config.CITIES[city_id]


def current_city() -> config.City:
    return config.CITIES[st.session_state.get(CITY_KEY, config.DEFAULT_CITY)]


def run_page(navigation) -> None:
    """Run the selected page; a missing data file or an unexpected error shows a message, not a traceback."""
    try:
        navigation.run()
    except DataFileError as error:
        st.error(str(error), icon=":material/database:")
    except Exception:  # the crowd must never see a traceback; the log keeps it for us
        if os.environ.get("EXPLORER_RAISE") == "1":  # tests want the real exception
            raise
        log.exception("Page %s failed", navigation.title)
        st.error("Something went wrong while drawing this page. Try another choice or reload; "
                 "if it keeps happening, please report it.", icon=":material/error:")


def table_with_download(frame: pd.DataFrame, file_name: str, *, key: str, label: str = "Show as table",
                        column_config: dict | None = None) -> None:
    """A chart's data as a table behind a toggle, plus a CSV download of exactly those rows."""
    if st.toggle(label, key=f"{key}_table"):
        st.dataframe(frame, hide_index=True, column_config=column_config)
    st.download_button("Download CSV", frame.to_csv(index=False).encode("utf-8"), file_name=file_name,
                       mime="text/csv", key=f"{key}_csv", icon=":material/download:")
