"""The facilitator's room: presentation mode, stepping through a views file, and the sidebar panel
that loads, extends and downloads it. The pure parts are explorer.views."""
from __future__ import annotations

import streamlit as st

from explorer import headline, i18n, links, registry, views
from explorer.i18n import N_, _, ngettext
from explorer.plain import literal, literal_lines
from ui.address import OWN_FIELDS
from ui.language import speak
from ui.own_data import upload_lost


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
.st-key-present_headline p { font-size: 1.5rem; font-weight: 600; line-height: 1.3; margin: 0; }
@media (max-width: 640px) { .st-key-present_headline p { font-size: 1.05rem; } }
a:focus-visible, button:focus-visible { outline: 3px solid #000000; outline-offset: 2px; }
</style>
"""


PRESENT_KEY = "present"  # session-state key of the presentation-mode toggle (and the ?present= field)


def _leave_presentation() -> None:
    st.session_state[PRESENT_KEY] = False
    st.query_params.pop(PRESENT_KEY, None)


def presentation_css(present: bool):
    """Switch the page to presentation mode (?present=1): big type, high contrast, controls hidden.

    The sidebar (and its toggle) is hidden too, so a small "Exit presentation" button stays on the page, in
    a row that the presenter's room shares (returned; None when not presenting).
    """
    if not present:
        return None
    st.html(PRESENTATION_CSS)
    bar = st.container(key="present_bar", horizontal=True, vertical_alignment="center", gap="medium")
    bar.button(_("Exit presentation"), icon=":material/close_fullscreen:", type="tertiary",
               key="present_exit", on_click=_leave_presentation)
    return bar


def view_headline(page: str, state: dict) -> None:
    """Presentation mode's line above the map or chart: what the view shows, in words (explorer.headline),
    since the controls that would say it are hidden. Shown as literal text: no part of it is Markdown."""
    from explorer.data import cache
    with st.container(key="present_headline"):
        st.markdown(literal(headline.view_headline(page, state, cache.county_label(page, state))))


def view_stepper(views_file: views.ViewsFile, number: int, present: bool = True) -> None:
    """"View n of N", the facilitator's note, and previous / next links to the neighbouring views.

    Titles and notes come from an uploaded file, so they are shown as literal text, never as Markdown.
    """
    number = min(max(number, 1), len(views_file.views))
    view = views_file.views[number - 1]
    before, after = views.neighbours(views_file, number)
    with st.container(key="view_stepper", horizontal=True, vertical_alignment="center"):
        for target, name, label, icon in ((before, "Previous", _("Previous"), ":material/arrow_back:"),
                                          (after, "Next", _("Next"), ":material/arrow_forward:")):
            page = registry.BY_ID.get(views_file.views[target - 1].page) if target else None
            if page is None:
                st.button(label, icon=icon, disabled=True, key=f"view_stepper_{name}")
            else:
                st.page_link(page.file, label=label, icon=icon,
                             query_params=views.step_params(views_file, target, present))
        st.markdown(_("**View {number} of {count}:** {title}").format(number=number, count=len(views_file.views),
                                                                      title=literal(view.title)))
    folded = [(title, text) for title, text in ((_("Facilitator's note"), view.note),
                                                 (_("Questions for the room"), "\n".join(view.prompts))) if text]
    for place, (title, text) in zip(st.columns(len(folded)) if len(folded) > 1 else [st], folded):
        with place.expander(title):  # side by side: one row above the map, so it stays above the fold
            st.markdown(literal_lines(text))


VIEWS_FILE_LOST = N_("The views file you loaded is no longer on the server (the app restarted, or this page was "
                   "left open a long time). The list is the example data walk again: remove the file with "
                   "the × and load it again.")


VIEWS_FILE_KEY = "views_file"  # the session's current views file (a views.ViewsFile; in memory only)
EXAMPLE_LANG_KEY = f"{VIEWS_FILE_KEY}_example_lang"  # the language of the untouched example walk (else None)


VIEWS_HELP = N_("A list of prepared views to step through on a projector. The app starts with a 15-minute "
              "data walk through the nine cities; load your own file, add the view on screen, or download "
              "the list to edit or reuse. Files are read in memory only, never saved: download your list "
              "before you close the page, since views you add are gone if the app restarts.")


PAGE_IDS = tuple(registry.BY_ID)  # the pages a views file may name


def current_views() -> views.ViewsFile:
    """This session's views file: the uploaded or edited one, else the shipped data walk in the reader's
    language (loaded again in the new language when the reader switches, as long as it is untouched)."""
    example_in = st.session_state.get(EXAMPLE_LANG_KEY)
    if VIEWS_FILE_KEY not in st.session_state or (example_in is not None and example_in != i18n.current()):
        _load_example(keep_problems=True)
    return st.session_state[VIEWS_FILE_KEY]


def _load_upload() -> None:
    speak()  # a callback runs before the page's run: its problems are told in the session's language
    file = st.session_state.get(f"{VIEWS_FILE_KEY}_upload")
    if file is None:
        return
    try:
        st.session_state[VIEWS_FILE_KEY] = views.parse(file.getvalue(), pages=PAGE_IDS)
        st.session_state[EXAMPLE_LANG_KEY] = None  # a user's own file: its texts stay as written
        st.session_state[f"{VIEWS_FILE_KEY}_problems"] = []
    except views.ViewsFileError as error:
        st.session_state[f"{VIEWS_FILE_KEY}_problems"] = error.problems


def _load_example(keep_problems: bool = False) -> None:
    speak()  # also a callback (the button's): the example in the session's language
    st.session_state[VIEWS_FILE_KEY] = views.example(pages=PAGE_IDS)
    st.session_state[EXAMPLE_LANG_KEY] = i18n.current()
    if not keep_problems:
        st.session_state[f"{VIEWS_FILE_KEY}_problems"] = []


def views_file_panel(page: str, state: dict) -> views.ViewsFile:
    """Sidebar expander for facilitators: load a views file, add the current view (`page` is its page's id,
    `state` its link state), download the list; a link starts presenting the loaded views from the first one.
    """
    views_file = current_views()
    lost = st.sidebar.empty()  # outside the expander: a facilitator presenting has it closed
    with st.sidebar.expander(_("Facilitator's views"), icon=":material/slideshow:"):
        st.caption(_(VIEWS_HELP))
        first = registry.BY_ID.get(views_file.views[0].page) if views_file.views else None
        if first is not None:
            st.page_link(first.file, label=_("Present these views"), icon=":material/play_arrow:",
                         query_params=views.step_params(views_file, 1, True))
        st.button(_("Load the example data walk"), icon=":material/restart_alt:", key=f"{VIEWS_FILE_KEY}_example",
                  on_click=_load_example)
        st.file_uploader(_("Load a views file (.toml)"), type=["toml"], key=f"{VIEWS_FILE_KEY}_upload",
                         on_change=_load_upload)
        if upload_lost(f"{VIEWS_FILE_KEY}_upload"):
            lost.warning(_(VIEWS_FILE_LOST), icon=":material/cloud_off:")
        for problem in st.session_state.get(f"{VIEWS_FILE_KEY}_problems", []):
            st.error(literal(problem), icon=":material/block:")
        summary = st.empty()
        title = st.text_input(_("Title for the view on screen"), max_chars=views.MAX_TITLE, key=f"{VIEWS_FILE_KEY}_title")
        note = st.text_area(_("Note for yourself (optional)"), max_chars=views.MAX_NOTE, key=f"{VIEWS_FILE_KEY}_note")
        asked = st.text_area(_("Questions for the room (optional, one per line)"), key=f"{VIEWS_FILE_KEY}_prompts",
                             max_chars=views.MAX_PROMPTS * (views.MAX_PROMPT + 1),
                             help=_("Printed on this view's poster in the data-walk kit."))
        if st.button(_("Add this view"), icon=":material/add:", key=f"{VIEWS_FILE_KEY}_add", disabled=not title.strip()):
            # the reader's language is not part of a view: the file's views open in whoever's language
            valid, _dropped = links.valid_part({k: v for k, v in state.items()
                                                if k not in (*OWN_FIELDS, "present", "lang")})
            prompts = tuple(line.strip() for line in asked.splitlines() if line.strip())
            try:
                views_file = views.with_view(views_file, views.View(title.strip(), page, note.strip(), valid,
                                                                    prompts))
                st.session_state[VIEWS_FILE_KEY] = views_file
                st.session_state[EXAMPLE_LANG_KEY] = None  # now the facilitator's own list: kept as it is
                st.toast(_("Added view {number}.").format(number=len(views_file.views)))
            except views.ViewsFileError as error:
                for problem in error.problems:
                    st.error(literal(problem), icon=":material/block:")
        count = len(views_file.views)
        summary.markdown(ngettext("**{title}**: {count} view", "**{title}**: {count} views", count).format(
            title=literal(views_file.title), count=count))
        st.download_button(_("Download these views"), lambda: views.dumps(views_file).encode("utf-8"),
                           file_name="views.toml", mime="application/toml", key=f"{VIEWS_FILE_KEY}_download",
                           on_click="ignore", icon=":material/download:")
        kit_download(views_file, page)
    return views_file


def kit_download(views_file: views.ViewsFile, page: str) -> None:
    """The data-walk kit of these views (explorer.walk_kit): a PDF built in memory when clicked, never on a rerun.
    Its posters' links point at this site, wherever it is hosted (`page` is the page open now)."""
    minutes = st.number_input(_("Minutes at each station"), min_value=2, max_value=20, value=views.STATION_MINUTES,
                              key=f"{VIEWS_FILE_KEY}_minutes", help=_("For the timing on the kit's facilitator's sheet."))
    root = links.site_root(st.context.url or "", page)
    lang = i18n.current()  # the kit is built in a worker thread: in the language of the page that offered it

    def kit() -> bytes:
        from explorer.data import cache
        with i18n.speaking(lang):
            return cache.kit_pdf(views_file, root, int(minutes))

    st.download_button(_("Data-walk kit (PDF)"), kit, file_name="data-walk-kit.pdf", mime="application/pdf",
                       key=f"{VIEWS_FILE_KEY}_kit", on_click="ignore", icon=":material/picture_as_pdf:",
                       help=_("Posters for the walls, one per view: its map or chart, its questions for the room "
                              "and a code that opens it on a phone; and a sheet with the stations and their timing."))


def presenting() -> bool:
    """Is this session in presentation mode (the sidebar toggle, or ?present=1 in the link)?"""
    return bool(st.session_state.get(PRESENT_KEY))


def how_to_read(text: str, title: str = N_("How to read this map")) -> None:
    """A page's how-to-read paragraph (our Markdown): in full on screen; on a projector folded into an
    expander, so that the map and its legend stay above the fold and the facilitator says it instead."""
    if presenting():
        with st.expander(_(title), icon=":material/help:"):
            st.markdown(_(text))
    else:
        st.markdown(_(text))


def chart(spec, place=None) -> None:
    """A chart (a Vega-Lite spec or an Altair chart) across its column; in presentation mode with every
    axis, legend, title and label at least 20 px (explorer.charts.for_projector)."""
    from explorer import charts  # here: Altair loads with the first chart, not with the router
    place = place or st
    if presenting():
        place.vega_lite_chart(charts.for_projector(spec), width="stretch")
    elif isinstance(spec, dict):
        place.vega_lite_chart(spec, width="stretch")
    else:
        place.altair_chart(spec, width="stretch")


def presentation_toggle():
    """The sidebar switch for presentation mode (a link sets it with ?present=1); applies the CSS when on and
    returns the row on top of the page that holds "Exit presentation" (None when not presenting)."""
    present = st.sidebar.toggle(_("Presentation mode"), key=PRESENT_KEY,
                                help=_("Big type, high contrast and no controls, for a projector. "
                                       "Leave it with the Exit presentation button at the top of the page."))
    return presentation_css(present)
