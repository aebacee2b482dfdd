"""The presenter's room on screen (explorer.rooms): the facilitator starts it and shows its code; a participant
who opens its link follows the facilitator's view, explores on their own, and comes back.

Following is a small fragment that looks at the room every `rooms.POLL_S` seconds and, when the facilitator
has moved, opens their view as a link would (ui.address applies a room's view exactly). The facilitator's
session publishes its view at the end of each of its runs (ui.router.publish calls `published`).
"""
from __future__ import annotations

import os
import secrets
from dataclasses import replace

import streamlit as st

from explorer import i18n, links, registry, room_code, rooms
from explorer.i18n import N_, _, ngettext
from explorer.plain import literal
from ui.address import VIEW_PARAMS_KEY, drop_linked, linked, set_linked
from ui.facilitator import PRESENT_KEY
from ui.language import speak

FOLLOWER_KEY = "_room_follower"   # a participant's rooms.Follower
HOST_KEY = "_room_host"           # a facilitator's (code, key): the key proves the room is theirs
HOST_NOTE_KEY = "_room_host_note"  # what the facilitator's last publish found: followers, or a problem
VISITOR_KEY = "_room_visitor"     # this session's anonymous id, for the count of who is following
CODE_KEY = "room_code"            # the join form's text box
JOIN_ERROR_KEY = "_room_join_error"  # True after the join form was sent something that is not a code
SHOW_KEY = "_room_show"           # (page, code) to show large in the next run (a button's callback sets it)
REDIS_URL = "REDIS_URL"           # the setting that puts rooms in Redis (several processes behind a proxy)

UNREACHABLE = N_("The room cannot be reached just now. This page keeps trying.")
NO_ROOMS = N_("Rooms cannot be opened just now: the room service does not answer. Try again in a minute.")


@st.cache_resource(show_spinner=False)
def _store(redis_url: str | None) -> rooms.RoomStore:
    """The process's one room store (a connection pool, or a locked dict), shared by every session."""
    return rooms.store_for(redis_url)


def store() -> rooms.RoomStore:
    return _store(os.environ.get(REDIS_URL) or None)


def _visitor() -> str:
    return st.session_state.setdefault(VISITOR_KEY, secrets.token_hex(8))


def _join_link(page: str, code: str) -> str:
    lang = i18n.current()
    return rooms.join_link(links.site_root(st.context.url or "", page), code, None if lang == i18n.DEFAULT else lang)


# ---- a participant ----

def follow(page: str) -> None:
    """Before anything is drawn: join the room the link names, notice a participant's own click, and open the
    facilitator's newest view (this run ends there when it is a new one)."""
    code, key = linked("room"), linked("host")
    drop_linked("host")  # a facilitator's key is read once, never written back into the address
    if code and key:
        return _resume(code, key)
    hosted = st.session_state.get(HOST_KEY)
    if code and hosted and hosted[0] == code:  # the facilitator opened their own room's link: they lead it
        drop_linked("room")
        code = None
    if code is None:
        st.session_state.pop(FOLLOWER_KEY, None)
        return
    follower = st.session_state.get(FOLLOWER_KEY)
    if follower is None or follower.code != code:
        follower = rooms.Follower(code)
    if _clicked_away(follower, page):
        follower = rooms.leave(follower)
        st.toast(_(EXPLORING_NOW), icon=":material/explore:")
    if follower.following:
        follower = _look(follower)
    st.session_state[FOLLOWER_KEY] = follower


def _resume(code: str, key: str) -> None:
    """A facilitator's private presenter link: lead room `code` again (after a reload, or on another device),
    from its view as the followers see it now."""
    drop_linked("room")
    st.session_state.pop(FOLLOWER_KEY, None)
    try:
        room = store().read(code)
    except rooms.RoomStoreError:
        st.toast(_(UNREACHABLE), icon=":material/cloud_off:")
        return
    if not rooms.leads(room, key):
        st.toast(_("This presenter's link does not open room {code}: the room has ended, or the link is not "
                   "whole.").format(code=code), icon=":material/cast:")
        return
    st.session_state[HOST_KEY] = (code, key)
    st.session_state[HOST_NOTE_KEY] = room.following
    if room.view is not None:
        st.session_state.pop(VIEW_PARAMS_KEY, None)
        st.switch_page(registry.file_of(room.view.page), query_params=room.view.query_params(i18n.current()))


EXPLORING_NOW = N_("You are exploring on your own now. \"Back to the presenter\" at the top of the page follows "
                   "the presenter again.")


def _clicked_away(follower: rooms.Follower, page: str) -> bool:
    """Did this run start with a click of the participant's own (another page, another choice)? Read from the
    page's widgets before it is drawn, so that the banner says so at once; what only the page knows (the map's
    selected tracts) is compared after it has run (`published`)."""
    widgets = links.page_state(links.from_widgets(st.session_state, page), page)
    return rooms.own_change(follower, rooms.RoomView.of(page, widgets), only=widgets.keys() - set(rooms.NOT_FOLLOWED))


def _look(follower: rooms.Follower) -> rooms.Follower:
    """One look at the room; a new view of the facilitator's is opened at once (st.switch_page ends the run)."""
    try:
        room = store().read(follower.code, _visitor())
    except rooms.RoomStoreError:
        return replace(follower, status="unreachable")
    action, follower = rooms.step(follower, room)
    st.session_state[FOLLOWER_KEY] = follower
    if action == rooms.APPLY:
        params = {**follower.applied.query_params(i18n.current()), "room": follower.code}
        st.session_state.pop(VIEW_PARAMS_KEY, None)  # applied even when the address would read the same
        st.switch_page(registry.file_of(follower.applied.page), query_params=params)
    return follower


@st.fragment(run_every=rooms.POLL_S)
def _poll() -> None:
    """The follower's look at the room, every POLL_S seconds while following; the page reruns as a whole when
    the facilitator moved (a new view), or when the banner has something new to say."""
    speak()
    follower = st.session_state.get(FOLLOWER_KEY)
    if follower is None or not follower.following:  # left in a click that reran only the page's part
        st.rerun(scope="app")
    follower = _look(follower)
    if not follower.following:  # the room is gone
        st.rerun(scope="app")
    # The line is drawn in here: a fragment that draws nothing loses its timer after the next full run
    st.markdown(f":material/cast: {_(FOLLOWING).format(code=follower.code)}"
                + (f" {_(UNREACHABLE)}" if follower.status == "unreachable" else ""), width="stretch")


def _leave() -> None:
    """"Explore on my own": the view stays, the controls come back (presentation mode hides them)."""
    follower = st.session_state.get(FOLLOWER_KEY)
    if follower is not None:
        st.session_state[FOLLOWER_KEY] = rooms.leave(follower)
    st.session_state[PRESENT_KEY] = False


def _rejoin() -> None:
    follower = st.session_state.get(FOLLOWER_KEY)
    if follower is not None:
        st.session_state[FOLLOWER_KEY] = rooms.rejoin(follower)


def _quit() -> None:
    """Leave the room altogether: the address no longer names it."""
    drop_linked("room")
    st.session_state.pop(FOLLOWER_KEY, None)


FOLLOWING = N_("**Following the presenter** · room {code}")  # short: on a phone the map is right below
EXPLORING = N_("**Exploring on your own** · room {code}")
FOLLOWING_HELP = N_("This page shows what the presenter shows, and changes when theirs does. Explore on your own "
                    "to click around; \"Back to the presenter\" follows again.")
ENDED = N_("Room {code} has ended: the presenter closed it, or it was left unused for hours. What you see "
           "stays, and everything is yours to explore.")
UNKNOWN = N_("There is no open room {code}. Check the code with the presenter: codes look like {example}.")


def banner(bar=None) -> None:
    """A participant's line on top of the page: following or exploring, and the button that switches between
    them; in presentation mode inside its row on top (`bar`), beside "Exit presentation"."""
    follower = st.session_state.get(FOLLOWER_KEY)
    if follower is None:
        return
    code = follower.code  # only capitals, digits and hyphens (room_code.read_code): safe in Markdown
    with (bar or st).container(key="room_banner", horizontal=True, vertical_alignment="center"):
        if follower.status in ("ended", "unknown"):
            gone = {"ended": ENDED}.get(follower.status, UNKNOWN)
            words = _(gone).format(code=code, example=room_code.EXAMPLE)
            st.warning(words, icon=":material/cast:")
            st.button(_("Leave the room"), key="room_quit", on_click=_quit, icon=":material/close:")
        elif follower.following:
            _poll()
            st.button(_("Explore on my own"), key="room_leave", on_click=_leave, icon=":material/explore:",
                      help=_(FOLLOWING_HELP))
        else:
            st.markdown(f":material/explore: {_(EXPLORING).format(code=code)}", width="stretch")
            st.button(_("Back to the presenter"), key="room_rejoin", on_click=_rejoin, type="primary",
                      icon=":material/cast:")


# ---- the facilitator ----

def published(page: str, state: dict) -> None:
    """After each run (the router's publish): the facilitator's session puts its view in its room; a follower
    who changed the view themselves is now exploring on their own."""
    hosted, follower = st.session_state.get(HOST_KEY), st.session_state.get(FOLLOWER_KEY)
    if not hosted and not (follower and follower.following):
        return  # in no room (most visitors): nothing to publish or compare
    view = rooms.RoomView.of(page, state)
    if hosted:
        try:
            room = store().publish(*hosted, view)
        except rooms.RoomStoreError:
            st.session_state[HOST_NOTE_KEY] = UNREACHABLE
            return
        if room is None:  # expired, or ended from another tab
            st.session_state.pop(HOST_KEY, None)
            st.toast(_("Your room {code} has closed. Start a new one to share your view again.").format(code=hosted[0]),
                     icon=":material/cast:")
        st.session_state[HOST_NOTE_KEY] = room.following if room else None
        return
    if rooms.own_change(follower, view):
        st.session_state[FOLLOWER_KEY] = rooms.leave(follower)
        st.toast(_(EXPLORING_NOW), icon=":material/explore:")


def _start() -> None:
    speak()  # a callback: its words in the session's language
    key = room_code.new_key()
    try:
        code = store().create(rooms.host_hash(key))
    except rooms.RoomStoreError:
        st.session_state[HOST_NOTE_KEY] = NO_ROOMS
        return
    st.session_state[HOST_KEY] = (code, key)
    st.session_state[HOST_NOTE_KEY] = 0
    _quit()  # a facilitator follows no one


def _end() -> None:
    hosted = st.session_state.pop(HOST_KEY, None)
    if hosted:
        try:
            store().end(*hosted)
        except rooms.RoomStoreError:
            pass  # it expires on its own; followers are told once it does
    st.session_state.pop(HOST_NOTE_KEY, None)


def _join() -> None:
    """The join form's submit: follow the room typed in, if it spells a code at all."""
    code = room_code.read_code(st.session_state.get(CODE_KEY, ""))
    st.session_state[JOIN_ERROR_KEY] = code is None
    if code is not None:
        st.session_state.pop(FOLLOWER_KEY, None)
        set_linked("room", code)


def room_panel(page: str) -> None:
    """The sidebar's "Presenter's room": start one and show its code, or join one by its code."""
    hosted = st.session_state.get(HOST_KEY)
    with st.sidebar.expander(_("Presenter's room"), icon=":material/cast:", expanded=bool(hosted)):
        if hosted:
            _host_controls(page, *hosted)
        elif st.session_state.get(FOLLOWER_KEY) is not None:
            st.caption(_("You are in room {code}.").format(code=st.session_state[FOLLOWER_KEY].code))
            st.button(_("Leave the room"), key="room_quit_panel", on_click=_quit, icon=":material/close:")
        else:
            _join_form()
            st.caption(_("Presenting? Start a room: everyone who opens its link or types its code sees your "
                         "view on their own screen, and follows it as you move."))
            st.button(_("Start a room"), key="room_start", on_click=_start, icon=":material/cast:")
            note = st.session_state.get(HOST_NOTE_KEY)
            if isinstance(note, str):
                st.error(_(note), icon=":material/cloud_off:")


def _join_form() -> None:
    with st.form("room_join", border=False, enter_to_submit=True):
        st.text_input(_("Follow a presenter: room code"), key=CODE_KEY, max_chars=room_code.MAX_TEXT,
                      placeholder=room_code.EXAMPLE)
        st.form_submit_button(_("Follow"), on_click=_join, icon=":material/login:")
    if st.session_state.get(JOIN_ERROR_KEY):
        st.error(_("That is not a room code. Codes look like {example}: ask the presenter for theirs.").format(
            example=room_code.EXAMPLE), icon=":material/block:")


def _host_controls(page: str, code: str, key: str) -> None:
    note = st.session_state.get(HOST_NOTE_KEY)
    link = _join_link(page, code)
    st.markdown(_("Room **{code}** is open.").format(code=code))
    if isinstance(note, int):
        st.caption(ngettext("{count} person following now.", "{count} people following now.", note).format(count=note))
    elif note:
        st.warning(_(note), icon=":material/cloud_off:")
    st.code(link, language=None, wrap_lines=True)
    st.image(_qr(link), width=160, caption=_("Scan to follow this room"),
             alt=_("QR code that opens room {code}").format(code=code))
    st.button(_("Show the code on the screen"), key="room_show", icon=":material/fullscreen:",
              on_click=_show_code, args=(page, code))
    with st.popover(_("Your presenter's link"), icon=":material/key:"):  # folded: never on the projector by chance
        st.caption(_("Keep this link to yourself: it opens this room as its presenter again, after a reload or on "
                     "another device. Anyone who has it can lead the room."))
        st.code(rooms.join_link(links.site_root(st.context.url or "", page), code, key=key), language=None,
                wrap_lines=True)
    st.button(_("End the room"), key="room_end", on_click=_end, icon=":material/stop_circle:")


def _qr(link: str) -> bytes:
    from explorer.exports import qr_png  # the printing module loads only for a facilitator with a room
    return qr_png(link)


def _show_code(page: str, code: str) -> None:
    st.session_state[SHOW_KEY] = (page, code)


CODE_CSS = "<style>.st-key-room_code_big h1 { font-size: 4rem; letter-spacing: 0.04em; }</style>"


def code_dialog() -> None:
    """The room's code, link and QR code large enough to read from the back of the room, in a dialog the
    facilitator opens on the projector ("Show the code on the screen") and closes with its ×."""
    shown = st.session_state.pop(SHOW_KEY, None)
    if not shown or not st.session_state.get(HOST_KEY):
        return
    page, code = shown
    link = _join_link(page, code)

    @st.dialog(_("Follow on your own screen"), width="large")
    def dialog() -> None:
        st.html(CODE_CSS)
        with st.container(key="room_code_big", horizontal=True, vertical_alignment="center"):
            st.image(_qr(link), width=300, alt=_("QR code that opens room {code}").format(code=code))
            with st.container():
                st.markdown(_("Scan the code, or open **{link}**").format(link=literal(links.short(link))))
                st.title(code, anchor=False)
                st.caption(_("Or type the room code under \"Presenter's room\" in the menu."))
    dialog()


def presenter_strip(page: str, bar) -> None:
    """In presentation mode, a facilitator with a room: how to follow, in the row on top of the page (`bar`),
    and the button that shows the code large (the sidebar, with the room's panel, is hidden there)."""
    hosted = st.session_state.get(HOST_KEY)
    if not hosted:
        return
    link = _join_link(page, hosted[0])
    with bar.container(key="room_strip", horizontal=True, vertical_alignment="center", width="content"):
        st.markdown(_("Follow on your own screen: **{link}**").format(link=literal(links.short(link))),
                    width="content")
        st.button(_("Show the room code"), key="room_show_present", icon=":material/qr_code_2:", type="tertiary",
                  on_click=_show_code, args=(page, hosted[0]))
