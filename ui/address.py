"""The address (URL) as a page's state: restore a page's widgets from a link, keep the link in step
with them, and the sidebar's "Share this view". The pure parts are explorer.links."""
from __future__ import annotations

import streamlit as st

from explorer import links
from explorer.i18n import N_, _
from explorer.plain import literal


SHARE_HELP = N_("Copy this link with the copy button at the right of the box (or select it and copy). "
              "Anyone who opens it sees this page with the same choices.")


def copy_link_control(state: dict, dropped: list[str], key: str = "share") -> None:
    """A "Share this view" popover with the link to exactly this view (a valid state; `dropped` names what
    could not go into a link), ready to copy. The facilitator's view number and the room stay out: a shared
    link opens the view itself, not a step of someone's walk or someone's room.

    Streamlit has no clipboard API; st.code draws a copy button, and the text can be selected too.
    """
    url = links.link(st.context.url or "", {k: v for k, v in state.items() if k not in OWN_FIELDS})
    with st.container(key=f"controls_{key}"):
        with st.popover(_("Share this view"), icon=":material/link:"):
            st.caption(_(SHARE_HELP))
            st.code(url, language=None, wrap_lines=True)
            if dropped:
                st.caption(_("Not in the link: {names}.").format(names=", ".join(dropped)))


VIEW_PARAMS_KEY = "_view_params"  # the query parameters this session last wrote or applied
REWRITE_KEY = "_view_rewrite"     # True after applying a link: the address must be written once, even unchanged


def restore_view(page: str) -> dict:
    """Apply a newly opened link to the page's widgets (call before drawing them); return what it set.

    A link is new when the URL differs from what this session last wrote, i.e. someone opened it or
    stepped to another view. Only the fields the link sets are applied, so moving between pages keeps
    the city; a facilitator's view (?view=) is applied exactly, absent fields back at their defaults.
    Bad values are named in a notice and ignored.
    """
    params = st.query_params.to_dict()
    if params == st.session_state.get(VIEW_PARAMS_KEY):
        return {}
    given, ignored = links.decode_given(params)
    state = {**{k: v for k, v in links.DEFAULTS.items() if k not in _kept(given)}, **given} if exact(given) else given
    values = links.widget_values(state, page)
    for key, value in values.items():
        st.session_state[key] = value
    # What no widget can be set to from code (the map's selected tracts, the view number) waits here
    st.session_state[LINKED_KEY] = {f.name: state[f.name] for f in links.fields_for(page)
                                    if not f.restorable and f.name in state}
    if ignored:  # one short notice for the whole link
        st.toast(literal("; ".join(ignored) + "."), icon=":material/link_off:")
    st.session_state[VIEW_PARAMS_KEY] = params
    # A link to the page already open (Previous / Next, "Present these views" from its first page) gives
    # the server its query but leaves the browser's address as it was: write it back once this run.
    st.session_state[REWRITE_KEY] = True
    return values


def exact(given: dict) -> bool:
    """A facilitator's view (?view=) and a room's view (?room=) are applied exactly: what they leave out is
    back at its default, whatever the visitor had chosen before."""
    return "view" in given or "room" in given


def _kept(given: dict) -> tuple[str, ...]:
    """What an exact view leaves as the visitor has it: always their language; the city too for a step of
    a views file (a walk in one city), never for a room (the room's view names its city or the default)."""
    return ("lang",) if "room" in given else ("city", "lang")


LINKED_KEY = "_view_linked"   # link fields no widget holds: {"tracts": (...), "view": 3, "room": "MOB-..."}
OWN_FIELDS = ("view", "room")  # linked fields of the visitor's own, kept out of the links they share


EXTRA_KEY = "_view_extra"     # this run's page state that no widget holds (set by the page, read by app.py)


def linked(name: str, default=None):
    """A value the last opened link gave for a field no widget can hold (e.g. the map's tracts)."""
    return st.session_state.get(LINKED_KEY, {}).get(name, default)


def set_linked(name: str, value) -> None:
    """Stand a value in for a field no widget holds, as a link would (e.g. a search's picks on a map whose
    selection code cannot set)."""
    st.session_state.setdefault(LINKED_KEY, {})[name] = value


def drop_linked(name: str) -> None:
    """Forget a linked value once the user has made their own choice (e.g. clicked the map)."""
    st.session_state.get(LINKED_KEY, {}).pop(name, None)


def share_extra(**fields) -> None:
    """The page's state that lives outside widgets (e.g. tracts=(...)), to go into its link."""
    st.session_state[EXTRA_KEY] = fields


def sync_view(state: dict) -> dict[str, str]:
    """Write a page's current (valid) state to the URL, unless the URL already says it (and the browser's
    address with it: after a newly applied link it is written once whatever the server's copy says)."""
    params = links.encode(state)
    if st.session_state.pop(REWRITE_KEY, False) or st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    st.session_state[VIEW_PARAMS_KEY] = params
    return params


def page_state(page: str) -> dict:
    """The page's current view: its widgets, the linked values no widget holds, the page's own extras."""
    return links.page_state({**links.from_widgets(st.session_state, page),
                             **{k: v for k, v in st.session_state.get(LINKED_KEY, {}).items() if k in OWN_FIELDS},
                             **st.session_state.get(EXTRA_KEY, {})}, page)
