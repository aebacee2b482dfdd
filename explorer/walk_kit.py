"""The data-walk kit: one printable PDF from a facilitator's views file (explorer.views).

A data walk puts a few charts and maps on the walls of a room; small groups move from one to the next and
talk about each. The kit has a facilitator's sheet first (the stations in order, the time at each, the
facilitator's notes), then one landscape Letter poster per view: the view's title and what it shows in
words (explorer.headline), its map or chart drawn from the same tables, bins and colours as the screen, the
view's discussion prompts, its live link as a QR code and as text, and the source line.

Nothing here reads a file or calls Streamlit: `figure` takes the app's data layer (explorer.data.cache, or
anything with the same functions) as `data`. Text from a views file is drawn as text, never interpreted.
"""
from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd
from fpdf import FPDF


from explorer import config, exports, headline, i18n, links, profiles, registry, views
from explorer.i18n import N_, _, ngettext
from explorer.maps import scales

PAGE_W, PAGE_H, MARGIN = 279.4, 215.9, 12.0  # landscape US Letter, mm
FIGURE_W = 172.0                             # the map or chart; the prompts and the QR code take the rest
SIDE_X = MARGIN + FIGURE_W + 8
SIDE_W = PAGE_W - MARGIN - SIDE_X
KIT_QR = 44.0                                # mm: scans from a wall at a step or two
LEGEND_W = 58.0
NON_CONTIGUOUS = ("02", "15", "72")          # Alaska, Hawaii, Puerto Rico: off the poster's US map
CHART_WIDTH, CHART_HEIGHT = 760, 440        # px: the chart's drawing size (at least) before the PNG's 2x scale
WELCOME_MINUTES, CLOSE_MINUTES = 5, 10
TRACT_SOURCE = N_("Source: Opportunity Insights, Opportunity Atlas tract outcomes, {cohort}")


# ---- what a poster draws ----

@dataclass(frozen=True)
class MapFigure:
    """Areas filled with the screen's bin colours, dark outlines (a city limit, the cities' counties) and the
    screen's legend (scales.legend_table: colour, range, count)."""
    areas: tuple[tuple[tuple, tuple[int, int, int]], ...]   # (outer rings, RGB) per area
    outlines: tuple[tuple, ...]                             # rings
    legend: pd.DataFrame
    legend_title: str
    count_label: str = "tracts"   # what the legend counts: "tracts" or "counties"
    note: str = ""


@dataclass(frozen=True)
class ChartFigure:
    png: bytes


@dataclass(frozen=True)
class NoFigure:
    reason: str


@dataclass(frozen=True)
class EvidenceFigure:
    """An evidence station (the What works page): each strategy of the theme with its bottom line, and its
    studies (who and when, how strong, what they found), as text in large type."""
    blocks: tuple[tuple[str, str, tuple[tuple[str, str, str], ...]], ...]  # (strategy, bottom line, cards)


Figure = MapFigure | ChartFigure | NoFigure | EvidenceFigure


@dataclass(frozen=True)
class Poster:
    number: int
    view: views.View
    headline: str          # what the view shows, in words
    figure: Figure
    link: str              # the view's live address: opens it on a phone
    source: str


# ---- figures, page by page (the same tables, bins and colours as the page) ----

def _outer_rings(geometry: dict | None) -> tuple:
    return tuple(exports.outer_rings(geometry)) if geometry else ()


def _tract_map(data, city_id: str, metric_id: str, scale_id: str, city_only: bool = False,
               selected: tuple[str, ...] = ()) -> MapFigure:
    study = data.study_tracts(city_id)
    if city_only:
        study = study[study["in_city"]]
    scale, geometries, metric = data.tract_scale(metric_id, scale_id, city_id), data.tract_geometries(city_id), \
        config.METRICS[metric_id]
    fills = scales.colours(study[metric_id], scale)
    areas = tuple((_outer_rings(geometries[t]), tuple(int(c) for c in fill))
                  for t, fill in zip(study["tract"], fills) if t in geometries)
    outlines = _outer_rings(data.city_boundary(city_id)) + tuple(
        ring for t in selected if t in geometries for ring in _outer_rings(geometries[t]))
    if selected:
        note = _("Outlined: the city limit and the selected tracts. Colours: {groups} groups holding equal numbers "
                 "of {basis}.")
    else:
        note = _("Outlined: the city limit. Colours: {groups} groups holding equal numbers of {basis}.")
    note = note.format(groups=len(scale.colours), basis=_(scale.basis))
    return MapFigure(areas, outlines, scales.legend_table(study[metric_id], scale),
                     _legend_title(metric), note=note)


def _legend_title(metric: config.Metric) -> str:
    return f"{metric.label} ({metric.unit})"


def _county_map(data, group: str, gender: str) -> MapFigure:
    from explorer.maps import county_map
    counties, geometries = data.counties(), data.national_county_geometries()
    values, scale, metric = county_map.county_values(counties, group, gender), county_map.county_scale(counties, group), \
        county_map.county_metric(group)
    fills = scales.colours(values["value"], scale)
    areas = tuple((_outer_rings(geometries[f]), tuple(int(c) for c in fill))
                  for f, fill in zip(values["county_fips"], fills)
                  if f in geometries and not f.startswith(NON_CONTIGUOUS))
    cities = {f for c in config.CITIES for f in data.study_counties(c)["county_fips"]}
    outlines = tuple(ring for f in sorted(cities) if f in geometries for ring in _outer_rings(geometries[f]))
    legend = scales.legend_table(values["value"], scale)
    missing = _("no estimate for this group")
    legend["range"] = legend["range"].replace({scales.MISSING_LABEL: missing, _(scales.MISSING_LABEL): missing})
    return MapFigure(areas, outlines, legend, _legend_title(metric), count_label="counties",
                     note=_("The contiguous US (Alaska and Hawaii are in the app). Outlined: the nine cities' "
                            "counties."))


def _chart(spec) -> ChartFigure:
    from explorer import charts
    projected = charts.for_projector(spec)
    if not any(k in projected for k in ("hconcat", "vconcat", "concat", "facet")):
        projected["width"] = CHART_WIDTH
        projected["height"] = max(projected.get("height") if isinstance(projected.get("height"), int) else 0,
                                  CHART_HEIGHT)  # a wall chart fills its box, short bar charts included
    return ChartFigure(exports.chart_png(projected))


def _cities_chart(data, city_ids) -> ChartFigure:
    key = next(iter(profiles.KEY_NUMBERS.values()))  # the home cards' number, and the compare page's first chart
    per_city = {config.CITIES[c].label: data.city_key_numbers(c) for c in city_ids}
    table = profiles.sort_cities(profiles.comparison_table(per_city), profiles.column_label(key), True)
    return _chart(profiles.comparison_chart(table, key, profiles.comparison_intervals(per_city, key.id)))


def _tract_gap_map(data, state: Mapping[str, Any], city: config.City) -> Figure:
    from explorer.maps import deckgl
    from explorer.national import read, tract_views
    if not data.has_national_pack():
        return NoFigure(_("This map needs the national data, which this copy of the app does not have."))
    manifest, counties = data.national_pack_summary()
    fips = state.get("county") or city.main_county
    if fips not in set(counties["county_fips"]):
        return NoFigure(_("The national data has no tracts for this county."))
    tracts, shapes, outline = data.national_county_data(fips)
    if shapes is None:
        return NoFigure(_("The tract boundaries for this county are not in the national data."))
    outcome, gender, pct = state["outcome"], state["gender"], str(state["pctile"])
    if state["show"] == "gap":  # the page's own colours (tract_views), drawn here as shapes
        colours, title = tract_views.gap_colours(tracts, outcome, gender, pct), _("What the colour means")
    else:
        column = read.outcome_column(outcome, state["race"], gender, pct)
        colours = tract_views.group_colours(tracts, outcome, state["race"], gender, pct,
                                            manifest["breaks"].get(column, []))
        title = read.TRACT_OUTCOMES[outcome].label
    ids, fills, legend = list(colours.frame["tract"]), colours.palette[np.asarray(colours.bins, dtype=int)], colours.legend
    (ox, oy), unit = shapes.origin, deckgl.UNIT

    def degrees(geometry: dict) -> tuple:
        return tuple([(ox + x * unit, oy + y * unit) for x, y, *_ in ring] for ring in exports.outer_rings(geometry))
    areas = tuple((degrees(shapes.geometries[t]), tuple(int(c) for c in colour))
                  for t, colour in zip(ids, fills) if t in shapes.geometries)
    if not areas:
        return NoFigure(_("No tract in this county has estimates for this group (each needs at least 20 "
                          "children)."))
    return MapFigure(areas, _outer_rings(outline), legend, title, note=_("Outlined: the county."))


def figure(page: str, state: Mapping[str, Any], data) -> Figure:
    """The map or chart that view (`page`, its link state) shows first, drawn from the app's data layer."""
    full = links.complete(state)
    city = config.get_city(full["city"])
    if page == "neighborhoods":
        return _tract_map(data, city.id, full["metric"], full["scale"], selected=tuple(full["tracts"]))
    if page == "us-counties":
        return _county_map(data, full["group"], full["gender"])
    if page == "race-class-gaps":
        from explorer import charts
        specs = data.gap_curves(full["outcome"], (full["gender"],), tuple(config.RACES))[0]
        return _chart(charts.set_percentile(specs[0], full["pctile"]))
    if page == "pilot":
        return _tract_map(data, city.id, "top20_p25", "national", city_only=True)
    if page == "compare-cities":
        return _cities_chart(data, full["cities"])
    if page == "tract-gaps":
        return _tract_gap_map(data, full, city)
    if page == "what-works":
        return _evidence(data.evidence(), full["theme"])
    return _cities_chart(data, config.CITIES)  # the home page: the nine cities' cards as one chart


def _evidence(found, theme: str) -> EvidenceFigure:
    return EvidenceFigure(tuple((item.name, item.bottom_line, tuple((card.study, card.strength_label, card.found)
                                                                     for card in found.cards_for(item.id)))
                                for item in found.in_theme(theme)))


def source(page: str, state: Mapping[str, Any], data) -> str:
    """The poster's source line: the data sets behind its figure (the studies' sites on an evidence station,
    read from the app's data layer `data`)."""
    full = links.complete(state)
    if page == "neighborhoods":
        return exports.source_line(config.METRICS[full["metric"]])
    if page == "pilot":
        return exports.source_line(config.METRICS["top20_p25"])
    if page == "race-class-gaps":
        return exports.source_line(config.NATIONAL_OUTCOMES[full["outcome"]])
    if page == "tract-gaps":
        return _(TRACT_SOURCE).format(cohort=_(config.COHORT))
    if page == "what-works":
        from explorer import evidence
        found = data.evidence()
        cards = [card for item in found.in_theme(full["theme"]) for card in found.cards_for(item.id)]
        return _("Sources: the studies named, read at {sites}").format(sites=", ".join(evidence.source_hosts(cards)))
    return exports.source_line(config.METRICS["income_rank_p25"])  # county ranks: home, compare, county map


# ---- links ----

def view_link(root: str, view: views.View) -> str:
    """The view's live address: its page with its link state (no view number: a phone opening it has no
    views file, and no presentation mode), in the kit's language (?lang=es on a Spanish kit)."""
    path = "" if view.page == registry.DEFAULT.id else view.page
    return links.link(f"{root.rstrip('/')}/{path}", {**view.link, "lang": i18n.current()})


def posters(views_file: views.ViewsFile, root: str, data) -> list[Poster]:
    """One poster per view, from the app's data layer `data` (its kit_figure: `figure`, kept; its county_label:
    the tract race gap page's county by name)."""
    return [Poster(number, view, headline.view_headline(view.page, view.link, data.county_label(view.page, view.link)),
                   data.kit_figure(view.page, view.link), view_link(root, view), source(view.page, view.link, data))
            for number, view in enumerate(views_file.views, start=1)]


# ---- drawing ----

text = exports.latin1


def _png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def _fit_text(pdf: FPDF, layout, width: float, height: float, sizes=(16, 14, 12, 10, 8), gap: float = 0.35) -> float:
    """The largest font size at which the lines that `layout(size)` gives ((style, text, points) each, `gap`
    times their size apart) fit in the box."""
    for size in sizes:
        used = 0.0
        for style, line, points in layout(size):
            pdf.set_font("Helvetica", style, points)
            lines = len(pdf.multi_cell(width, points * 0.45, text(line), dry_run=True, output="LINES"))
            used += lines * points * 0.45 + points * gap
        if used <= height:
            return size
    return sizes[-1]


def _draw_map(pdf: FPDF, figure: MapFigure, x: float, y: float, width: float, height: float) -> None:
    map_w = width - LEGEND_W - 4
    exports.draw_areas(pdf, figure.areas, figure.outlines, x, y, map_w, height - 10)
    legend_x = x + map_w + 4
    pdf.set_xy(legend_x, y)
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(LEGEND_W, 5, text(figure.legend_title), new_x="LEFT", new_y="NEXT", align="L")
    top = pdf.get_y() + 2
    pdf.set_draw_color(120, 120, 120)
    pdf.set_line_width(0.1)
    for row, (colour, label, count) in enumerate(figure.legend[["colour", "range", "tracts"]].itertuples(index=False)):
        row_y = top + row * 11
        pdf.set_fill_color(*scales.hex_to_rgb(colour))
        pdf.rect(legend_x, row_y, 7, 6, style="DF")
        pdf.set_xy(legend_x + 9, row_y)
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(LEGEND_W - 9, 4.4, text(_legend_row(label, int(count), figure.count_label)), align="L")
    if figure.note:
        pdf.set_xy(x, y + height - 8)
        pdf.set_font("Helvetica", "", 9)
        pdf.multi_cell(map_w, 4, text(figure.note), align="L")


def _legend_row(label: str, count: int, counted: str) -> str:
    """'under $20,000 (54 tracts)': a legend row's range and how many tracts (or counties) it holds."""
    if counted == "counties":
        return ngettext("{range} ({count} county)", "{range} ({count} counties)", count).format(range=label,
                                                                                               count=count)
    return ngettext("{range} ({count} tract)", "{range} ({count} tracts)", count).format(range=label, count=count)


def _draw_figure(pdf: FPDF, figure: Figure, x: float, y: float, width: float, height: float) -> None:
    if isinstance(figure, MapFigure):
        _draw_map(pdf, figure, x, y, width, height)
    elif isinstance(figure, ChartFigure):
        pixels_w, pixels_h = _png_size(figure.png)
        scale = min(width / pixels_w, height / pixels_h)
        pdf.image(io.BytesIO(figure.png), x=x, y=y, w=pixels_w * scale, h=pixels_h * scale)
    elif isinstance(figure, EvidenceFigure):
        _draw_evidence(pdf, figure, x, y, width, height)
    else:
        pdf.set_xy(x, y + height / 3)
        pdf.set_font("Helvetica", "", 16)
        pdf.multi_cell(width, 8, text(figure.reason), align="C")


def _draw_evidence(pdf: FPDF, figure: EvidenceFigure, x: float, y: float, width: float, height: float) -> None:
    """Each strategy in bold with its bottom line, then its studies, in the largest type that fits the box."""
    def lines(size: float) -> list[tuple[str, str, float]]:  # (style, text, size)
        out = []
        for name, bottom_line, cards in figure.blocks:
            out += [("B", name, size + 2), ("", bottom_line, size)]
            out += [("", f"- {study} ({strength}): {found}", size - 2) for study, strength, found in cards]
        return out

    size = _fit_text(pdf, lines, width, height, sizes=(14, 13, 12, 11, 10, 9, 8), gap=0.25)
    pdf.set_xy(x, y)
    for style, line, points in lines(size):
        pdf.set_font("Helvetica", style, points)
        pdf.set_x(x)
        pdf.multi_cell(width, points * 0.45, text(line), new_x="LEFT", new_y="NEXT", align="L")
        pdf.ln(points * 0.25)


def _poster(pdf: FPDF, poster: Poster, count: int, walk_title: str) -> None:
    pdf.add_page()
    pdf.set_xy(MARGIN, MARGIN)
    pdf.set_font("Helvetica", "", 11)
    pdf.set_text_color(70, 70, 70)
    pdf.cell(FIGURE_W, 5, text(_("Station {number} of {count}").format(number=poster.number, count=count)))
    pdf.set_xy(SIDE_X, MARGIN)
    pdf.cell(SIDE_W, 5, text(walk_title[:60]), align="R")
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(MARGIN, MARGIN + 7)
    pdf.set_font("Helvetica", "B", 26)
    pdf.multi_cell(PAGE_W - 2 * MARGIN, 11, text(poster.view.title), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("Helvetica", "", 13)
    pdf.multi_cell(PAGE_W - 2 * MARGIN, 6, text(poster.headline), new_x="LMARGIN", new_y="NEXT", align="L")
    top = pdf.get_y() + 4
    bottom = PAGE_H - MARGIN - 8
    _draw_figure(pdf, poster.figure, MARGIN, top, FIGURE_W, bottom - top)

    qr_y = bottom - KIT_QR - 14
    if poster.view.prompts:
        pdf.set_xy(SIDE_X, top)
        pdf.set_font("Helvetica", "B", 17)
        pdf.cell(SIDE_W, 8, text(_("Talk about it")), new_x="LEFT", new_y="NEXT")
        lines = [f"{n}. {prompt}" for n, prompt in enumerate(poster.view.prompts, start=1)]
        size = _fit_text(pdf, lambda size: [("", line, size) for line in lines], SIDE_W, qr_y - pdf.get_y() - 6)
        pdf.set_font("Helvetica", "", size)
        for line in lines:
            pdf.set_x(SIDE_X)
            pdf.multi_cell(SIDE_W, size * 0.45, text(line), new_x="LEFT", new_y="NEXT", align="L")
            pdf.ln(size * 0.35)
    pdf.image(io.BytesIO(exports.qr_png(poster.link)), x=SIDE_X, y=qr_y, w=KIT_QR, h=KIT_QR)
    pdf.set_xy(SIDE_X, qr_y + KIT_QR + 1)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(SIDE_W, 4, text(_("Open this view on your phone:")), new_x="LEFT", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(SIDE_W, 3.6, text(links.short(poster.link)), align="L")
    pdf.set_xy(MARGIN, PAGE_H - MARGIN - 4)
    pdf.set_font("Helvetica", "", 8)
    pdf.cell(FIGURE_W, 4, text(poster.source))


def schedule(count: int, minutes: int) -> list[tuple[str, str]]:
    """(clock, what) rows: the welcome, each station's turn, the closing talk; clock as 'h:mm' from the start.
    Row n (1 to count) is station n's."""
    def clock(at: int) -> str:
        return f"{at // 60}:{at % 60:02d}"
    rows, at = [(clock(0), _("Welcome"))], WELCOME_MINUTES
    for number in range(1, count + 1):
        rows.append((clock(at), _("Station {number}").format(number=number)))
        at += minutes
    rows += [(clock(at), _(CLOSE_TALK)), (clock(at + CLOSE_MINUTES), _("End"))]
    return rows


CLOSE_TALK = N_("Whole room: what did we see?")


HOW_TO_RUN = (
    N_("Print one poster per station and put them up around the room in station order, with space to stand."),
    N_("Split the room into small groups of four to eight. Each group starts at its own station. At each round's "
    "time, call time: every group moves on to the next number (after the last station, back to the first)."),
    N_("At each station a group reads the poster, talks through its questions and can scan the code to open the "
    "view on a phone. Ask someone in each group to note what the group says."),
    N_("Close with the whole room: what surprised people, what matched their experience, and what should happen next."),
)


def _sheet(pdf: FPDF, views_file: views.ViewsFile, items: list[Poster], minutes: int) -> None:
    pdf.add_page()
    pdf.set_xy(MARGIN, MARGIN)
    pdf.set_font("Helvetica", "", 11)
    pdf.set_text_color(70, 70, 70)
    pdf.cell(0, 5, text(_("Facilitator's sheet (not for the wall)")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Helvetica", "B", 20)
    pdf.multi_cell(0, 9, text(views_file.title), new_x="LMARGIN", new_y="NEXT", align="L")
    total = WELCOME_MINUTES + minutes * len(items) + CLOSE_MINUTES
    pdf.set_font("Helvetica", "", 11)
    timing = ngettext("{count} station, {minutes} minutes at each: about {total} minutes with {welcome} for the "
                      "welcome and {close} to close.",
                      "{count} stations, {minutes} minutes at each: about {total} minutes with {welcome} for the "
                      "welcome and {close} to close.", len(items))
    pdf.multi_cell(0, 5.5, text(timing.format(count=len(items), minutes=minutes, total=total,
                                              welcome=WELCOME_MINUTES, close=CLOSE_MINUTES)),
                   new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(1)
    pdf.set_font("Helvetica", "", 9.5)
    for step in HOW_TO_RUN:
        pdf.multi_cell(0, 4.6, text(f"- {_(step)}"), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(2)
    clocks = [at for at, _what in schedule(len(items), minutes)]  # row n: station n's round
    bottom = PAGE_H - MARGIN - 13                       # the closing lines go under the table
    _sheet_header(pdf)
    per_row = (bottom - pdf.get_y()) / max(len(items), 1)
    note_lines = min(max(int((per_row - 1.2) // NOTE_LINE), 2), 6)  # as many as one page allows: 2 to 6
    for item in items:
        pdf.set_font("Helvetica", "", NOTE_SIZE)
        note = _clip_lines(pdf, item.view.note or "-", SHEET_WIDTHS[3], note_lines)
        used = len(pdf.multi_cell(SHEET_WIDTHS[3], NOTE_LINE, text(note), dry_run=True, output="LINES")) * NOTE_LINE
        pdf.set_font("Helvetica", "", 9.5)
        title_h = 4.5 * len(pdf.multi_cell(SHEET_WIDTHS[2], 4.5, text(item.view.title), dry_run=True, output="LINES"))
        if pdf.get_y() + max(used, title_h) > bottom:  # a long walk: the table goes on over the page
            pdf.add_page()
            pdf.set_xy(MARGIN, MARGIN)
            _sheet_header(pdf)
        top = pdf.get_y()
        pdf.set_font("Helvetica", "", 9.5)
        pdf.cell(SHEET_WIDTHS[0], 4.5, str(item.number))
        pdf.cell(SHEET_WIDTHS[1], 4.5, clocks[item.number])
        pdf.multi_cell(SHEET_WIDTHS[2], 4.5, text(item.view.title), new_x="RIGHT", new_y="TOP", align="L")
        pdf.set_font("Helvetica", "", NOTE_SIZE)
        pdf.multi_cell(SHEET_WIDTHS[3], NOTE_LINE, text(note), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_y(top + max(used, title_h) + 1.2)
    (close, close_talk), (end, end_label) = schedule(len(items), minutes)[-2:]
    pdf.set_xy(MARGIN, PAGE_H - MARGIN - 11)
    pdf.set_font("Helvetica", "B", 9.5)
    pdf.cell(0, 5, text(f"{close}  {close_talk}    {end}  {end_label}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9.5)
    pdf.cell(0, 5, text(_("Each poster's code opens its view in the app; the app's Facilitator's views panel steps "
                          "through the same views on a projector.")))


SHEET_WIDTHS = (10, 16, 74, 155.4)  # mm: number, round, station, note
NOTE_SIZE = 8
NOTE_LINE = NOTE_SIZE * 0.42


def _sheet_header(pdf: FPDF) -> None:
    pdf.set_font("Helvetica", "B", 9.5)
    pdf.set_fill_color(235, 235, 235)
    heads = (_("No."), _("Round"), _("Station"), _("Your note (the posters do not show it)"))
    for width, head in zip(SHEET_WIDTHS, heads):
        pdf.cell(width, 6, text(head), border="B", fill=True)
    pdf.ln()


def _clip_lines(pdf: FPDF, note: str, width: float, lines: int) -> str:
    """The note cut at a word to fit `lines` lines at the current font (the app shows it whole)."""
    def fits(candidate: str) -> bool:
        return len(pdf.multi_cell(width, NOTE_LINE, text(candidate), dry_run=True, output="LINES")) <= lines
    if fits(note):
        return note
    words = note.split()
    low, high = 0, len(words)  # the most words that fit, found by halving: a 1,500-character note is ~250 words
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(" ".join(words[:middle]) + " ...") else (low, middle - 1)
    return " ".join(words[:low]) + " ..."


def kit_pdf(views_file: views.ViewsFile, items: list[Poster], minutes: int = views.STATION_MINUTES) -> bytes:
    """The kit: the facilitator's sheet, then one poster per view, on landscape Letter."""
    pdf = FPDF(orientation="landscape", unit="mm", format="letter")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.set_creator("Economic Mobility Explorer")
    pdf.set_title(text(_("{title}: data-walk kit").format(title=views_file.title)))
    _sheet(pdf, views_file, items, minutes)
    for item in items:
        _poster(pdf, item, len(items), views_file.title)
    return bytes(pdf.output())


