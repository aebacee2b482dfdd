"""The shared widgets of every page: the city picker, error boundaries, keys that reset, tables with
their CSV, colour legends, chart and brief downloads."""
from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

import streamlit as st

from explorer import config, i18n
from explorer.i18n import N_, _
from explorer.data.cache import DataFileError  # the store's, as the cached layer passes it on

if TYPE_CHECKING:  # imported where used: the home page, a new server's first page, needs neither
    import pandas as pd


log = logging.getLogger("explorer")


CITY_KEY = "city"


def city_picker() -> config.City:
    """The sidebar city picker shared by every page; its value survives page switches.

    A link's ?city= reaches it through restore_view (which also names a bad value), and after_page
    writes it back into the URL with the rest of the page's state.
    """
    st.session_state.setdefault(CITY_KEY, config.DEFAULT_CITY)
    city_id = st.sidebar.selectbox(_("City"), options=list(config.CITIES), key=CITY_KEY,
                                   format_func=lambda c: config.CITIES[c].label,
                                   help=_("The city whose neighborhoods and pilot every page shows."))
    return config.CITIES[city_id]


def current_city() -> config.City:
    return config.CITIES[st.session_state.get(CITY_KEY, config.DEFAULT_CITY)]


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
        st.error(_("Something went wrong while drawing this page. Try another choice or reload; "
                   "if it keeps happening, please report it."), icon=":material/error:")
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


def table_with_download(frame: pd.DataFrame, file_name: str, *, key: str, label: str = N_("Show as table"),
                        column_config: dict | None = None) -> None:
    """A chart's data as a table behind a toggle, plus a CSV download of exactly those rows."""
    if st.toggle(_(label), key=f"{key}_table"):
        st.dataframe(frame, hide_index=True, column_config=column_config)
    csv_download(frame, file_name, key=f"{key}_csv")


def csv_download(frame: pd.DataFrame, file_name: str, *, key: str, label: str = N_("Download CSV")) -> None:
    """A CSV download of `frame`, written only when clicked: a run that nobody downloads from costs
    nothing (under a room's load, CSVs written and registered on every run were a tenth of the server's CPU)."""
    st.download_button(_(label), lambda: frame.to_csv(index=False).encode("utf-8"), file_name=file_name,
                       mime="text/csv", key=key, on_click="ignore", icon=":material/download:")


# The data grid's 14 px type, as Chromium measures it (tests/browser/test_no_overlap.py): a wide glyph of a cell
# and of a (bold) header, the cell's padding, the widest a column may grow
CHAR_PX, HEADER_CHAR_PX, CELL_PADDING_PX, MAX_COLUMN_PX = 7.5, 8.8, 32, 480


def fitted_width(frame: pd.DataFrame, column: str, header: str | None = None) -> int:
    """Pixels a data grid's column needs to show its header and its longest cell whole (the grid cuts text
    that does not fit, and sizes columns from only a sample of rows)."""
    widest = max([HEADER_CHAR_PX * len(str(header or column)), *(CHAR_PX * len(str(v)) for v in frame[column])])
    return min(MAX_COLUMN_PX, round(CELL_PADDING_PX + widest))


def fitted_text_columns(frame: pd.DataFrame, skip: tuple[str, ...] = ()) -> dict:
    """column_config giving each column (but `skip`) the width its text needs (fitted_width)."""
    return {column: st.column_config.Column(width=fitted_width(frame, column))
            for column in frame.columns if column not in skip}


def colour_legend(legend: pd.DataFrame, title: str, *, count_label: str = N_("Tracts")) -> None:
    """A map legend as a small table: a colour swatch, the range in units, a count.

    `legend` has columns colour (hex, from our palette), range and a count (explorer.maps.scales.legend_table).
    A swatch is a tiny image built from the palette's hex code (scales.swatch_image), never from data
    text; a plain table costs the server far less than a styled one (it is redrawn on every switch).
    """
    import pandas as pd

    from explorer.maps import scales
    from ui.facilitator import presenting
    title, count_label = _(title), _(count_label)  # (a text already in the reader's language stays as it is)
    if presenting():  # a projector: the page's large type (a data grid keeps its small one)
        st.html(legend_html(legend, title, count_label))
        return
    shown = pd.DataFrame({" ": [scales.swatch_image(c) for c in legend["colour"]],
                          count_label: legend.iloc[:, 2].to_numpy(), title: legend["range"].to_numpy()})
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={" ": st.column_config.ImageColumn(" ", width=28),
                                count_label: st.column_config.NumberColumn(  # its header whole ("Condados")
                                    count_label, width=max(64, round(CELL_PADDING_PX + HEADER_CHAR_PX * len(count_label)))),
                                title: st.column_config.TextColumn(title, width=fitted_width(shown, title))})


LEGEND_CSS = ("<style>.projector-legend{border-collapse:collapse;font-size:1rem;margin:0.5rem 0}"
              ".projector-legend td,.projector-legend th{padding:0.25rem 0.6rem;text-align:left;color:#000}"
              ".projector-legend .swatch{display:inline-block;width:1.6em;height:1.1em;border:1px solid #555}"
              ".projector-legend td.count{text-align:right}</style>")


def legend_html(legend: pd.DataFrame, title: str, count_label: str = "Tracts") -> str:
    """The map legend as an HTML table in the page's own type (presentation mode). Colours must be #rrggbb
    codes of our palettes; every text is escaped."""
    from html import escape

    from explorer.maps import scales
    rows = []
    for colour, count, label in zip(legend["colour"], legend.iloc[:, 2], legend["range"]):
        if not scales.HEX_COLOUR.fullmatch(str(colour)):
            raise ValueError(f"not a #rrggbb colour: {colour!r}")
        rows.append(f'<tr><td><span class="swatch" style="background:{colour}"></span></td>'
                    f'<td>{escape(str(label))}</td><td class="count">{int(count):,}</td></tr>')
    return (f'{LEGEND_CSS}<table class="projector-legend" aria-label="{escape(title)}"><thead><tr><th></th>'
            f'<th>{escape(title)}</th><th>{escape(count_label)}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def chart_context(page: str, title: str, *metrics, **shown):
    """An exported chart's context: its title, the view in words (page `page`'s link state, explorer.headline,
    with `shown` for what a chart fixes itself, e.g. outcome="jail") and the source of the metrics it draws."""
    from explorer import exports, headline
    from ui.address import page_state
    words = headline.view_headline(page, {**page_state(page), **shown})
    return exports.ChartContext(title, words, exports.source_line(*metrics))


def chart_downloads(chart, file_stem: str, *, key: str, context=None) -> None:
    """PNG and SVG downloads of an Altair chart, rendered only when clicked (vl-convert, no browser needed);
    `context` (chart_context) puts its title, who and what, and source on the image."""
    from explorer import exports  # vl-convert loads only on pages that offer chart downloads
    with st.container(key=f"controls_{key}_chart", horizontal=True):
        st.download_button("PNG", i18n.bound(lambda: exports.chart_png(chart, context)), file_name=f"{file_stem}.png",
                           mime="image/png", key=f"{key}_png", on_click="ignore", icon=":material/image:")
        st.download_button("SVG", i18n.bound(lambda: exports.chart_svg(chart, context)), file_name=f"{file_stem}.svg",
                           mime="image/svg+xml", key=f"{key}_svg", on_click="ignore", icon=":material/draw:")


def city_brief_download(city: config.City, *, key: str = "city_brief") -> None:
    """The city's one-page printable brief (PDF), drawn when clicked from the app's cached data."""
    from explorer import exports, links
    from explorer.data import cache
    live = links.link(st.context.url or "", {"city": city.id, "lang": i18n.current()})  # this page, on this city,
                                                                                        # wherever it is hosted

    def brief() -> bytes:
        return exports.city_brief_pdf(city.id, cache.brief_inputs(city.id, live))

    with st.container(key=f"controls_{key}"):
        st.download_button(_("One-page brief for {city} (PDF)").format(city=city.name), i18n.bound(brief),
                           file_name=exports.brief_file_name(city.id), mime="application/pdf",
                           key=key, on_click="ignore", icon=":material/picture_as_pdf:",
                           help=_("A printable handout: the county's numbers next to the nation, a tract map "
                                  "and the city's pilot."))
