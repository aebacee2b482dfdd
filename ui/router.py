"""The router's part: one call before the page and one after (app.py), and a page's partial reruns, so
that pages stay thin."""
from __future__ import annotations

import streamlit as st

from explorer import links
from ui.language import language_picker, speak
from ui.address import EXTRA_KEY, copy_link_control, linked, page_state, restore_view, sync_view
from ui.facilitator import presentation_toggle, view_headline, view_stepper, views_file_panel
from ui import room
from ui.widgets import city_picker, guarded


def run_page(navigation) -> None:
    """Run the selected page; a missing data file or an unexpected error shows a message, not a traceback."""
    guarded(navigation.run, navigation.title)  # (a page's partial parts have the same guard)


ROUTER_KEY = "_router"        # this full run's (page, sidebar share slot), for a page's partial reruns


PUBLISHED_KEY = "_published"  # True once this run has written the page's state to the URL and share link


def publish(page: str, share_slot, writer: str = "page") -> None:
    """Write the page's state to the URL and its link into the sidebar's "Share this view".

    `writer` names who writes it (the router or a page's part): an outer part and the part inside it
    both write on the outer part's runs (the last write shows), so their controls need their own keys."""
    from streamlit.errors import StreamlitInvalidLayoutContextError
    state, dropped = links.valid_part(page_state(page))  # once per run: the URL and the link both show it
    sync_view(state)
    room.published(page, state)  # a facilitator's room gets the view; a follower's own change is noticed
    try:
        with share_slot.container():
            copy_link_control(state, dropped, key=f"share_{writer}")
    except StreamlitInvalidLayoutContextError:  # a part first drawn in a partial rerun can't reach the
        st.rerun()                               # sidebar yet: draw the whole page once (rare)
    st.session_state[PUBLISHED_KEY] = True


def partial(body, name: str = "page") -> None:
    """Draw `body()`, the part of a page that its own widgets change, as a fragment: a click, a switch
    or a map pick inside it reruns only `body`, not the page, the sidebar or the other pages' code.

    Each run of it ends by publishing the page's state (URL and share link), so the link is never a click
    behind; an error inside shows the page's message, not a traceback. What the page draws after it
    is not redrawn by its reruns, and a change outside it (the city) reruns everything. Parts nest: a
    click in an inner part (the map) reruns that part alone; it may fill containers the outer part made.
    """
    page, share_slot = st.session_state[ROUTER_KEY]

    @st.fragment
    def page_part() -> None:
        speak()  # a partial rerun runs in a thread of its own: it speaks the session's language too
        guarded(body, page)
        publish(page, share_slot, writer=name)

    page_part()


def before_page(page: str):
    """Apply a newly opened link (or a presenter's new view, in a room), then draw the shared sidebar: city,
    presentation mode, the presenter's room, facilitator's views.

    `page` is the page's id (explorer.registry). In presentation mode with a view number in the link,
    Previous / Next sit on top of the page.
    """
    before = speak()
    restore_view(page)
    if speak() != before:  # a link in another language: draw the whole page, the menu too, in it
        st.rerun()
    room.follow(page)  # in a presenter's room: their newest view (this run ends there if it is new)
    language_picker()
    city_picker()
    present_bar = presentation_toggle()
    present = present_bar is not None
    room.banner(present_bar)
    share_slot = st.sidebar.empty()
    state = page_state(page)
    room.room_panel(page)
    views_file = views_file_panel(page, state)
    number = linked("view")
    if number is not None and number <= len(views_file.views):
        view_stepper(views_file, number, present)
    if present:
        room.presenter_strip(page, present_bar)
        view_headline(page, state)
    room.code_dialog()
    st.session_state[EXTRA_KEY] = {}
    st.session_state[ROUTER_KEY] = (page, share_slot)
    st.session_state[PUBLISHED_KEY] = False
    return share_slot


def after_page(page: str, share_slot) -> None:
    """Write the page's final state to the URL and put its link in the sidebar's "Share this view"
    (unless the page's partial part already did, as it does on every one of its runs)."""
    if not st.session_state.get(PUBLISHED_KEY):
        publish(page, share_slot)
