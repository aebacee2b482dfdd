"""A partner's own data: the uploader, validated in memory and kept in this session only, and its legend."""
from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from explorer.i18n import N_, _, current
from explorer.plain import literal
from ui.widgets import colour_legend

if TYPE_CHECKING:  # imported where used: the home page, a new server's first page, needs it not
    from explorer import upload


OWN_DATA_HELP = N_("A CSV with one row per census tract: a column of 11-digit 2010 tract ids named GEOID "
                 "(or tract, tract_id, fips) and one or more columns of numbers, such as program enrolment. "
                 "Or one row per place, with latitude and longitude columns; a column named name, label, "
                 "place or site is kept as the places' names (shown as plain text when you point at a dot, "
                 "and in the table). Up to 5 MB. The file is read "
                 "in memory for your session only: it is never saved, and other visitors never see it.")


OWN_DATA_LOST = N_("Your file is no longer on the server (the app restarted, or this page was left open a "
                 "long time), so the map no longer shows it. Remove it with the × and add it again.")


def upload_lost(key: str) -> bool:
    """Whether the browser still lists a file for the uploader `key` that the server no longer holds.

    Uploaded bytes live in the server process's memory only. After a restart (or once a closed session
    expired) the reconnected browser still shows the file's name; Streamlit then gives the widget no
    file and keeps a `DeletedFile` in its state, which is the only trace of it. Call after the uploader."""
    from streamlit.runtime.uploaded_file_manager import DeletedFile
    return isinstance(st.session_state.get(key), DeletedFile)


def own_data_uploader(study_tracts: set[str], scope: str, *, key: str = "own_data") -> upload.UploadResult | None:
    """The uploaded CSV, validated against the study area's tracts, or None (nothing usable uploaded).

    The parsed result is kept in this session's state only (never st.cache_data, which every visitor
    shares), reparsed only when the file or `scope` (the city) changes, and dropped when the file is
    removed. Messages quote the user's text, so they are escaped before Markdown; names and values
    are shown in a table, as text. The messages are in the reader's language: a switch of language reads the
    file again.
    """
    from explorer import upload
    file = st.file_uploader(_("Add your own data (CSV)"), type=["csv", "txt"], key=key, help=_(OWN_DATA_HELP))
    if file is None:
        st.session_state.pop(f"{key}_parsed", None)
        return None
    stamp = (file.file_id, scope, current())
    parsed = st.session_state.get(f"{key}_parsed")
    if parsed is None or parsed[0] != stamp:
        parsed = (stamp, upload.parse_upload(file.getvalue(), file.name, study_tracts))
        st.session_state[f"{key}_parsed"] = parsed
    result = parsed[1]
    for message in result.errors:
        st.error(literal(message), icon=":material/block:")
    for message in result.warnings:
        st.warning(literal(message), icon=":material/warning:")
    if not result.ok:
        return None
    st.caption(literal(result.summary))
    headers = {"tract": _("tract"), "latitude": _("latitude"), "longitude": _("longitude"), upload.LABEL: _("label")}
    st.dataframe(result.frame, hide_index=True, height=200,  # the app's own columns named in the reader's language
                 column_config={c: st.column_config.Column(headers[c]) for c in result.frame.columns if c in headers})
    return result


def own_data_panel(study_tracts: set[str], scope: str, *, key: str = "own_data"):
    """An "Add your own data" expander for a map: the uploader and, once a file with numbers is in, the
    column to show. Returns a maps.OwnData (in this session only) or None. Column names are options of
    a selectbox, which shows them as plain text."""
    from explorer.maps import own_layer
    lost = st.empty()  # outside the expander, which may be closed when the file goes
    with st.expander(_("Add your own data"), icon=":material/upload_file:"):
        result = own_data_uploader(study_tracts, scope, key=key)
        if upload_lost(key):
            lost.warning(_(OWN_DATA_LOST), icon=":material/cloud_off:")
        if result is None or (result.kind == "tracts" and not result.value_columns):
            return None
        column_key = f"{key}_column"
        if st.session_state.get(column_key) not in result.value_columns:
            st.session_state.pop(column_key, None)  # a column of the previous file
        column = st.selectbox(_("Column to show on the map"), result.value_columns, key=column_key,
                              help=_("Bigger, darker circles = higher values.")
                              ) if result.value_columns else None
        return own_layer.OwnData(result.kind, result.frame, column)


def own_data_legend(own, shapes) -> None:
    """The "Your data" legend under a map's own: the column's name as plain text, the circles' bins, how
    to read them, and a word when a big file of places was thinned."""
    from explorer.maps import own_layer, tract_details
    name = literal(own.column) if own.column else _("places")
    st.markdown(_("**Your data:** {name}").format(name=name))
    counted = _("Tracts") if own.kind == "tracts" else _("Points")
    colour_legend(own_layer.own_data_legend(own, shapes), _("Range"), count_label=counted)
    st.caption(_(tract_details.OWN_DATA_HOW_TO_READ))
    if note := own_layer.thinned_note(own, shapes):
        st.caption(note)
