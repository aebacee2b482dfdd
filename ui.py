"""Shared Streamlit rendering helpers used by app.py and the pages (the only UI module outside pages/).

Kept out of `explorer/` so that the package stays testable without Streamlit.
"""
from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

import streamlit as st

from explorer import config
from explorer.store import DataFileError

if TYPE_CHECKING:  # imported where used: the home page, a new server's first page, needs neither
    import pandas as pd

    from explorer import upload

log = logging.getLogger("explorer")
CITY_KEY = "city"


def city_picker() -> config.City:
    """The sidebar city picker shared by every page; its value survives page switches.

    A link's ?city= reaches it through restore_view (which also names a bad value), and after_page
    writes it back into the URL with the rest of the page's state.
    """
    st.session_state.setdefault(CITY_KEY, config.DEFAULT_CITY)
    city_id = st.sidebar.selectbox("City", options=list(config.CITIES), key=CITY_KEY,
                                   format_func=lambda c: config.CITIES[c].label,
                                   help="The city whose neighborhoods and pilot every page shows.")
    return config.CITIES[city_id]


def current_city() -> config.City:
    return config.CITIES[st.session_state.get(CITY_KEY, config.DEFAULT_CITY)]


def run_page(navigation) -> None:
    """Run the selected page; a missing data file or an unexpected error shows a message, not a traceback."""
    guarded(navigation.run, navigation.title)  # (a page's partial parts have the same guard)


def guarded(draw, name: str) -> bool:
    """Call `draw()`; a missing data file or an unexpected error shows a message instead of a traceback.
    Returns whether it finished."""
    try:
        draw()
        return True
    except DataFileError as error:
        st.error(str(error), icon=":material/database:")
    except Exception:  # the crowd must never see a traceback; the log keeps it for us
        if os.environ.get("EXPLORER_RAISE") == "1":  # tests want the real exception
            raise
        log.exception("Page %s failed", name)
        st.error("Something went wrong while drawing this page. Try another choice or reload; "
                 "if it keeps happening, please report it.", icon=":material/error:")
    return False


def keep_valid(key: str, options):
    """Forget a remembered widget value that is not one of `options` (from an edited or old link, or a
    rebuilt data pack) before the widget is drawn; returns `options`. True and 25.0 are refused too,
    though Python finds them `in range(1, 101)`: no widget here offers a bool or a float."""
    value = st.session_state.get(key)
    if key in st.session_state and (isinstance(value, (bool, float)) or value not in options):
        del st.session_state[key]
    return options


def renewable_key(key: str, counter: str) -> str:
    """A widget's key that `renew_key(counter)` replaces: the way to reset a widget whose value code
    cannot set (a map's selection): the next run draws a new, empty widget."""
    generation = st.session_state.get(counter, 0)
    return key if not generation else f"{key}_{generation}"


def renew_key(counter: str) -> None:
    st.session_state[counter] = st.session_state.get(counter, 0) + 1


def table_with_download(frame: pd.DataFrame, file_name: str, *, key: str, label: str = "Show as table",
                        column_config: dict | None = None) -> None:
    """A chart's data as a table behind a toggle, plus a CSV download of exactly those rows."""
    if st.toggle(label, key=f"{key}_table"):
        st.dataframe(frame, hide_index=True, column_config=column_config)
    csv_download(frame, file_name, key=f"{key}_csv")


def csv_download(frame: pd.DataFrame, file_name: str, *, key: str, label: str = "Download CSV") -> None:
    """A CSV download of `frame`, written only when clicked: a run that nobody downloads from costs
    nothing (under a room's load, CSVs written and registered on every run were a tenth of the server's CPU)."""
    st.download_button(label, lambda: frame.to_csv(index=False).encode("utf-8"), file_name=file_name,
                       mime="text/csv", key=key, on_click="ignore", icon=":material/download:")


# ---- Workshops and sharing: share links, presentation mode, stepping through a facilitator's views ----
# Pure parts live in explorer.links / explorer.views; these helpers only draw. Controls a projector
# audience does not need go inside `st.container(key="controls_...")`: presentation mode hides them.

from explorer import links, views  # noqa: E402  (kept next to the helpers that use them)
from explorer.plain import literal, literal_lines  # noqa: E402

SHARE_HELP = ("Copy this link with the copy button at the right of the box (or select it and copy). "
              "Anyone who opens it sees this page with the same choices.")

# Static CSS (never built from data). Larger type and darker text for a projector; the sidebar, the
# toolbar and every container keyed "controls_..." are hidden; captions stay, in near-black.
PRESENTATION_CSS = """
<style>
html { font-size: 20px; }
.stApp, .stApp p, .stApp li, .stApp td, .stApp th, .stApp label { color: #000000; }
.stApp { background: #ffffff; }
.stApp h1 { font-size: 2.4rem; } .stApp h2 { font-size: 1.9rem; } .stApp h3 { font-size: 1.5rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { color: #1a1a1a; font-size: 1rem; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stDecoration"], [data-testid="stDownloadButton"], [class*="st-key-controls"] { display: none; }
.block-container { padding-top: 1.5rem; max-width: 100%; }
a:focus-visible, button:focus-visible { outline: 3px solid #000000; outline-offset: 2px; }
</style>
"""


def copy_link_control(state: dict, key: str = "share") -> None:
    """A "Share this view" popover with the link to exactly this view, ready to copy.

    Streamlit has no clipboard API; st.code draws a copy button, and the text can be selected too.
    """
    valid, dropped = links.valid_part(state)
    url = links.link(st.context.url or "", valid)
    with st.container(key=f"controls_{key}"):
        with st.popover("Share this view", icon=":material/link:"):
            st.caption(SHARE_HELP)
            st.code(url, language=None, wrap_lines=True)
            if dropped:
                st.caption(f"Not in the link: {', '.join(dropped)}.")


PRESENT_KEY = "present"  # session-state key of the presentation-mode toggle (and the ?present= field)


def _leave_presentation() -> None:
    st.session_state[PRESENT_KEY] = False
    st.query_params.pop(PRESENT_KEY, None)


def presentation_css(present: bool) -> None:
    """Switch the page to presentation mode (?present=1): big type, high contrast, controls hidden.

    The sidebar (and its toggle) is hidden too, so a small "Exit presentation" button stays on the page.
    """
    if present:
        st.html(PRESENTATION_CSS)
        st.button("Exit presentation", icon=":material/close_fullscreen:", type="tertiary",
                  key="present_exit", on_click=_leave_presentation)


def view_stepper(views_file: views.ViewsFile, number: int, page_files: dict[str, str],
                 present: bool = True) -> None:
    """"View n of N", the facilitator's note, and previous / next links to the neighbouring views.

    `page_files` maps each url path to its page (explorer.registry's pages, as app.py made them). Titles and notes come from
    an uploaded file, so they are shown as literal text, never as Markdown.
    """
    number = min(max(number, 1), len(views_file.views))
    view = views_file.views[number - 1]
    before, after = views.neighbours(views_file, number)
    with st.container(key="view_stepper", horizontal=True, vertical_alignment="center"):
        for target, label, icon in ((before, "Previous", ":material/arrow_back:"),
                                    (after, "Next", ":material/arrow_forward:")):
            page = page_files.get(views_file.views[target - 1].page) if target else None
            if page is None:
                st.button(label, icon=icon, disabled=True, key=f"view_stepper_{label}")
            else:
                st.page_link(page, label=label, icon=icon,
                             query_params=views.step_params(views_file, target, present))
        st.markdown(f"**View {number} of {len(views_file.views)}:** {literal(view.title)}")
    if view.note:
        with st.expander("Facilitator's note"):
            st.markdown(literal_lines(view.note))


def colour_legend(legend: pd.DataFrame, title: str, *, count_label: str = "Tracts") -> None:
    """A map legend as a small table: a colour swatch, the range in units, a count.

    `legend` has columns colour (hex, from our palette), range and a count (explorer.scales.legend_table).
    A swatch is a tiny image built from the palette's hex code (scales.swatch_image), never from data
    text; a plain table costs the server far less than a styled one (it is redrawn on every switch).
    """
    import pandas as pd

    from explorer import scales
    shown = pd.DataFrame({" ": [scales.swatch_image(c) for c in legend["colour"]],
                          count_label: legend.iloc[:, 2].to_numpy(), title: legend["range"].to_numpy()})
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={" ": st.column_config.ImageColumn(" ", width=28),
                                count_label: st.column_config.NumberColumn(count_label, width=64)})


def chart_downloads(chart, file_stem: str, *, key: str) -> None:
    """PNG and SVG downloads of an Altair chart, rendered only when clicked (vl-convert, no browser needed)."""
    from explorer import exports  # vl-convert loads only on pages that offer chart downloads
    with st.container(key=f"controls_{key}_chart", horizontal=True):
        st.download_button("PNG", lambda: exports.chart_png(chart), file_name=f"{file_stem}.png",
                           mime="image/png", key=f"{key}_png", on_click="ignore", icon=":material/image:")
        st.download_button("SVG", lambda: exports.chart_svg(chart), file_name=f"{file_stem}.svg",
                           mime="image/svg+xml", key=f"{key}_svg", on_click="ignore", icon=":material/draw:")


def city_brief_download(city: config.City, *, key: str = "city_brief") -> None:
    """The city's one-page printable brief (PDF), drawn when clicked from the app's cached data."""
    from explorer import data, exports

    def brief() -> bytes:
        try:
            profiles = data.pilots()
        except ValueError:  # a broken pilots file: the brief says the profile is unavailable
            profiles = None
        return exports.city_brief_pdf(city.id, config.processed_dir(), profiles,
                                      tracts=data.study_tracts(city.id), geometries=data.tract_geometries(city.id),
                                      scale=data.tract_scale(exports.INCOME.id, "national", city.id))

    with st.container(key=f"controls_{key}"):
        st.download_button(f"One-page brief for {city.name} (PDF)", brief,
                           file_name=exports.brief_file_name(city.id), mime="application/pdf",
                           key=key, on_click="ignore", icon=":material/picture_as_pdf:",
                           help="A printable handout: the county's numbers next to the nation, a tract map "
                                "and the city's pilot.")


# ---- A partner's own data: upload, validate in memory, keep in this session only ----

OWN_DATA_HELP = ("A CSV with one row per census tract: a column of 11-digit 2010 tract ids named GEOID "
                 "(or tract, tract_id, fips) and one or more columns of numbers, such as program enrolment. "
                 "Or one row per place, with latitude and longitude columns. Up to 5 MB. The file is read "
                 "in memory for your session only: it is never saved, and other visitors never see it.")


OWN_DATA_LOST = ("Your file is no longer on the server (the app restarted, or this page was left open a "
                 "long time), so the map no longer shows it. Remove it with the × and add it again.")
VIEWS_FILE_LOST = ("The views file you loaded is no longer on the server (the app restarted, or this page was "
                   "left open a long time). The list is the example data walk again: remove the file with "
                   "the × and load it again.")


def upload_lost(key: str) -> bool:
    """Whether the browser still lists a file for the uploader `key` that the server no longer holds.

    Uploaded bytes live in the server process's memory only. After a restart (or once a closed session
    expired) the reconnected browser still shows the file's name; Streamlit then gives the widget no
    file and keeps a `DeletedFile` in its state, which is the only trace of it. Call after the uploader."""
    from streamlit.runtime.uploaded_file_manager import DeletedFile
    return isinstance(st.session_state.get(key), DeletedFile)


def keep_uploads_in_memory() -> None:
    """Hold every upload in memory from the first byte: Streamlit's web server (Starlette) writes a
    multipart part bigger than 1 MB to a temporary file while it reads the request. Its threshold goes
    above the largest upload the server accepts. Called first thing in every run of app.py."""
    from starlette.formparsers import MultiPartParser

    from explorer.upload import UPLOAD_MAX_BYTES
    needed = UPLOAD_MAX_BYTES + 64 * 1024  # the part's headers and the request's framing
    if MultiPartParser.spool_max_size < needed:
        MultiPartParser.spool_max_size = needed


def own_data_uploader(study_tracts: set[str], scope: str, *, key: str = "own_data") -> upload.UploadResult | None:
    """The uploaded CSV, validated against the study area's tracts, or None (nothing usable uploaded).

    The parsed result is kept in this session's state only (never st.cache_data, which every visitor
    shares), reparsed only when the file or `scope` (the city) changes, and dropped when the file is
    removed. Messages quote the user's text, so they are escaped before Markdown; names and values
    are shown in a table, as text.
    """
    from explorer import upload
    file = st.file_uploader("Add your own data (CSV)", type=["csv", "txt"], key=key, help=OWN_DATA_HELP)
    if file is None:
        st.session_state.pop(f"{key}_parsed", None)
        return None
    stamp = (file.file_id, scope)
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
    st.dataframe(result.frame, hide_index=True, height=200)
    return result


def own_data_panel(study_tracts: set[str], scope: str, *, key: str = "own_data"):
    """An "Add your own data" expander for a map: the uploader and, once a file with numbers is in, the
    column to show. Returns a maps.OwnData (in this session only) or None. Column names are options of
    a selectbox, which shows them as plain text."""
    from explorer import maps
    lost = st.empty()  # outside the expander, which may be closed when the file goes
    with st.expander("Add your own data", icon=":material/upload_file:"):
        result = own_data_uploader(study_tracts, scope, key=key)
        if upload_lost(key):
            lost.warning(OWN_DATA_LOST, icon=":material/cloud_off:")
        if result is None or (result.kind == "tracts" and not result.value_columns):
            return None
        column_key = f"{key}_column"
        if st.session_state.get(column_key) not in result.value_columns:
            st.session_state.pop(column_key, None)  # a column of the previous file
        column = st.selectbox("Column to show on the map", result.value_columns, key=column_key,
                              help="Bigger, darker circles = higher values."
                              ) if result.value_columns else None
        return maps.OwnData(result.kind, result.frame, column)


def own_data_legend(own, shapes) -> None:
    """The "Your data" legend under a map's own: the column's name as plain text, the circles' bins, how
    to read them, and a word when a big file of places was thinned."""
    from explorer import maps, tract_details
    st.markdown(f"**Your data:** {literal(own.column or 'places')}")
    colour_legend(maps.own_data_legend(own, shapes), "Range", count_label=own.kind.capitalize())
    st.caption(tract_details.OWN_DATA_HOW_TO_READ)
    if note := maps.thinned_note(own, shapes):
        st.caption(note)


# ---- Shareable links: restore a page's widgets from the URL, and keep the URL in step with them ----

VIEW_PARAMS_KEY = "_view_params"  # the query parameters this session last wrote or applied


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
    state = {**{k: v for k, v in links.DEFAULTS.items() if k != "city"}, **given} if "view" in given else given
    values = links.widget_values(state, page)
    for key, value in values.items():
        st.session_state[key] = value
    # What no widget can be set to from code (the map's selected tracts, the view number) waits here
    st.session_state[LINKED_KEY] = {f.name: state[f.name] for f in links.fields_for(page)
                                    if not f.restorable and f.name in state}
    if ignored:  # one short notice for the whole link
        st.toast(literal("; ".join(ignored) + "."), icon=":material/link_off:")
    st.session_state[VIEW_PARAMS_KEY] = params
    return values


LINKED_KEY = "_view_linked"   # link fields no widget holds: {"tracts": (...), "view": 3}
EXTRA_KEY = "_view_extra"     # this run's page state that no widget holds (set by the page, read by app.py)


def linked(name: str, default=None):
    """A value the last opened link gave for a field no widget can hold (e.g. the map's tracts)."""
    return st.session_state.get(LINKED_KEY, {}).get(name, default)


def drop_linked(name: str) -> None:
    """Forget a linked value once the user has made their own choice (e.g. clicked the map)."""
    st.session_state.get(LINKED_KEY, {}).pop(name, None)


def share_extra(**fields) -> None:
    """The page's state that lives outside widgets (e.g. tracts=(...)), to go into its link."""
    st.session_state[EXTRA_KEY] = fields


def sync_view(page: str, extra: dict | None = None) -> dict[str, str]:
    """Write the page's current state (its widgets, plus `extra` such as the selected tracts) to the URL."""
    valid, _ = links.valid_part({**links.from_widgets(st.session_state, page), **(extra or {})})
    params = links.encode(valid)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    st.session_state[VIEW_PARAMS_KEY] = params
    return params


# ---- The facilitator's panel: which views file is loaded, adding this view to it, downloading it ----

VIEWS_FILE_KEY = "views_file"  # the session's current views file (a views.ViewsFile; in memory only)
VIEWS_HELP = ("A list of prepared views to step through on a projector. The app starts with a 15-minute "
              "data walk through the nine cities; load your own file, add the view on screen, or download "
              "the list to edit or reuse. Files are read in memory only, never saved: download your list "
              "before you close the page, since views you add are gone if the app restarts.")


def current_views(page_paths) -> views.ViewsFile:
    """This session's views file: the uploaded or edited one, else the shipped data walk."""
    if VIEWS_FILE_KEY not in st.session_state:
        st.session_state[VIEWS_FILE_KEY] = views.load(pages=page_paths)
    return st.session_state[VIEWS_FILE_KEY]


def _load_upload(page_paths) -> None:
    file = st.session_state.get(f"{VIEWS_FILE_KEY}_upload")
    if file is None:
        return
    try:
        st.session_state[VIEWS_FILE_KEY] = views.parse(file.getvalue(), pages=page_paths)
        st.session_state[f"{VIEWS_FILE_KEY}_problems"] = []
    except views.ViewsFileError as error:
        st.session_state[f"{VIEWS_FILE_KEY}_problems"] = error.problems


def _load_example(page_paths) -> None:
    st.session_state[VIEWS_FILE_KEY] = views.load(pages=page_paths)
    st.session_state[f"{VIEWS_FILE_KEY}_problems"] = []


def views_file_panel(page_path: str, state: dict, page_paths, pages: dict | None = None) -> views.ViewsFile:
    """Sidebar expander for facilitators: load a views file, add the current view, download the list.

    With `pages` (url path -> st.Page), a link starts presenting the loaded views from the first one.
    """
    views_file = current_views(page_paths)
    lost = st.sidebar.empty()  # outside the expander: a facilitator presenting has it closed
    with st.sidebar.expander("Facilitator's views", icon=":material/slideshow:"):
        st.caption(VIEWS_HELP)
        first = pages.get(views_file.views[0].page) if pages and views_file.views else None
        if first is not None:
            st.page_link(first, label="Present these views", icon=":material/play_arrow:",
                         query_params=views.step_params(views_file, 1, True))
        st.button("Load the example data walk", icon=":material/restart_alt:", key=f"{VIEWS_FILE_KEY}_example",
                  on_click=_load_example, args=(page_paths,))
        st.file_uploader("Load a views file (.toml)", type=["toml"], key=f"{VIEWS_FILE_KEY}_upload",
                         on_change=_load_upload, args=(page_paths,))
        if upload_lost(f"{VIEWS_FILE_KEY}_upload"):
            lost.warning(VIEWS_FILE_LOST, icon=":material/cloud_off:")
        for problem in st.session_state.get(f"{VIEWS_FILE_KEY}_problems", []):
            st.error(literal(problem), icon=":material/block:")
        summary = st.empty()
        title = st.text_input("Title for the view on screen", max_chars=views.MAX_TITLE, key=f"{VIEWS_FILE_KEY}_title")
        note = st.text_area("Note for yourself (optional)", max_chars=views.MAX_NOTE, key=f"{VIEWS_FILE_KEY}_note")
        if st.button("Add this view", icon=":material/add:", key=f"{VIEWS_FILE_KEY}_add", disabled=not title.strip()):
            valid, _ = links.valid_part({k: v for k, v in state.items() if k not in ("view", "present")})
            try:
                views_file = views.with_view(views_file, views.View(title.strip(), page_path, note.strip(), valid))
                st.session_state[VIEWS_FILE_KEY] = views_file
                st.toast(f"Added view {len(views_file.views)}.")
            except views.ViewsFileError as error:
                for problem in error.problems:
                    st.error(literal(problem), icon=":material/block:")
        summary.markdown(f"**{literal(views_file.title)}**: {len(views_file.views)} views")
        st.download_button("Download these views", lambda: views.dumps(views_file).encode("utf-8"),
                           file_name="views.toml", mime="application/toml", key=f"{VIEWS_FILE_KEY}_download",
                           on_click="ignore", icon=":material/download:")
    return views_file


def presentation_toggle() -> bool:
    """The sidebar switch for presentation mode (a link sets it with ?present=1); applies the CSS when on."""
    present = st.sidebar.toggle("Presentation mode", key=PRESENT_KEY,
                                help="Big type, high contrast and no controls, for a projector. "
                                     "Leave it with the Exit presentation button at the top of the page.")
    presentation_css(present)
    return present


# ---- The router's part: one call before the page and one after, so that pages stay thin ----

def page_state(page: str) -> dict:
    """The page's current view: its widgets, the linked values no widget holds, the page's own extras."""
    return links.page_state({**links.from_widgets(st.session_state, page),
                             **{k: v for k, v in st.session_state.get(LINKED_KEY, {}).items() if k == "view"},
                             **st.session_state.get(EXTRA_KEY, {})}, page)


ROUTER_KEY = "_router"        # this full run's (page, sidebar share slot), for a page's partial reruns
PUBLISHED_KEY = "_published"  # True once this run has written the page's state to the URL and share link


def publish(page: str, share_slot, writer: str = "page") -> None:
    """Write the page's state to the URL and its link into the sidebar's "Share this view".

    `writer` names who writes it (the router or a page's part): an outer part and the part inside it
    both write on the outer part's runs (the last write shows), so their controls need their own keys."""
    from streamlit.errors import StreamlitInvalidLayoutContextError
    state = page_state(page)
    sync_view(page, state)
    try:
        with share_slot.container():
            copy_link_control({k: v for k, v in state.items() if k != "view"}, key=f"share_{writer}")
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
        guarded(body, page)
        publish(page, share_slot, writer=name)

    page_part()


def before_page(page: str, page_path: str, pages: dict):
    """Apply a newly opened link, then draw the shared sidebar: city, presentation mode, facilitator's views.

    `page` is the page module's name (as in explorer.links), `page_path` its url path, `pages` url path ->
    st.Page. In presentation mode with a view number in the link, Previous / Next sit on top of the page.
    """
    restore_view(page)
    city_picker()
    present = presentation_toggle()
    share_slot = st.sidebar.empty()
    views_file = views_file_panel(page_path, page_state(page), tuple(pages), pages)
    number = linked("view")
    if number is not None and number <= len(views_file.views):
        view_stepper(views_file, number, pages, present)
    st.session_state[EXTRA_KEY] = {}
    st.session_state[ROUTER_KEY] = (page, share_slot)
    st.session_state[PUBLISHED_KEY] = False
    return share_slot


def after_page(page: str, share_slot) -> None:
    """Write the page's final state to the URL and put its link in the sidebar's "Share this view"
    (unless the page's partial part already did, as it does on every one of its runs)."""
    if not st.session_state.get(PUBLISHED_KEY):
        publish(page, share_slot)


# ---- The app's own map component (frontend/area_map): shapes sent once per visit, clicks in the browser ----

AREA_MAP_BUILD = config.ROOT / "frontend" / "area_map" / "build"


@st.cache_resource(show_spinner=False)
def _area_map_component():
    import streamlit.components.v1 as components
    return components.declare_component("area_map", path=str(AREA_MAP_BUILD))


def area_map(shapes, styling: dict, *, key: str, height: int, label: str, selected: list[str] | None = None,
             max_selected: int = 0, too_many: str = "", interactive: bool = True) -> list[str]:
    """Draw a map (explorer.area_map's shapes and styling); return the ids selected on it.

    The shapes go to the browser only when its frame does not hold them yet (the frame's last report
    names the shapes and the styling version it holds), so a switch sends the styling alone and a click
    neither. `selected` is the page's
    choice for a newly drawn frame (a link's tracts); after that the frame's own picks count, kept to
    the shapes' ids and to `max_selected` (0: the map is not selectable). `interactive=False`: no pan or zoom.
    """
    value = st.session_state.get(key)
    value = value if isinstance(value, dict) else {}
    held = value.get("have") == shapes.key
    picked = value.get("selected") if held and isinstance(value.get("selected"), list) else None
    known = set(shapes.ids)
    chosen = [t for t in (selected or []) if t in known] if picked is None else \
        [t for t in picked if isinstance(t, str) and t in known]
    chosen = list(dict.fromkeys(chosen))[:max_selected]
    if held and value.get("styled") == styling["version"]:  # the frame has these colours: send none
        styling = {"styling": "held", "version": styling["version"]}
    spec = {**styling, "key": shapes.key, "shapes": None if held else shapes.payload, "height": height,
            "label": label, "interactive": interactive, "selectable": max_selected > 0, "max_selected": max_selected, "too_many": too_many,
            "selected": chosen, "selection_from": "browser" if picked is not None and picked == chosen else "server"}
    _area_map_component()(spec=spec, key=key, default=None)
    return chosen
