"""Exports for workshops: charts as PNG/SVG, and a one-page printable brief per city (PDF).

Charts are rendered by vl-convert (the Vega-Lite engine, bundled: no browser, no network). The brief
is drawn with fpdf2's built-in Helvetica, so it needs no font files; text is therefore kept to Latin-1
(typographic quotes and dashes are replaced by plain ones; Spanish accents, ñ, ¿ and ¡ are Latin-1). Every
number on the brief comes from the processed data through the app's data layer (explorer.data.cache.brief_inputs:
the same tables and colour scale the screen uses), and missing estimates (fewer than 20 children) read
"no estimate", never zero.

The brief speaks the current language (explorer.i18n), or the one it is given: its download button builds it
in a worker thread, which must be handed the page's language (`lang`, or the builder wrapped in
`i18n.speaking(lang)`, as ui.widgets does with `i18n.bound`). A chart's context is written by the page in the reader's language
before the download, so the image carries it as it is.
"""
from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath
from typing import Iterable

import altair as alt
import pandas as pd
import vl_convert as vlc
from fpdf import FPDF

from explorer import config, i18n, stats
from explorer.data import store
from explorer.i18n import N_, _, localized, ngettext
from explorer.maps import scales

RANK = config.METRICS["income_rank_p25"]
INCOME = config.METRICS["household_income_p25"]
BRIEF_GROUPS = ("pooled", "black", "white", "hisp")
# The brief's texts, in English (the catalog's ids): `_()` where they are drawn.
SOURCE_LINE = N_("Source: Opportunity Insights (Chetty, Friedman, Hendren, Jones and Porter, The Opportunity Atlas; "
                 "county_outcomes_simple and national_percentile_outcomes). Children born 1978-83, incomes "
                 "measured in 2014-15. Made with the Economic Mobility Explorer.")
RANK_EXPLAINER = N_("Where children whose parents were at the 25th percentile of US incomes ended up as adults "
                    "(about age 35) on the national household income ladder: 0 is the bottom, 100 the top. "
                    "The 95% interval shows the uncertainty of the county's estimate.")
MAP_EXPLAINER = N_("Each shape is a 2010 census tract in or touching the city (outlined). Colour: average household "
                   "income at about age 35 of children from families at the 25th percentile, in 2015 dollars, "
                   "in the same seven equal-sized groups of all US tracts as the app's neighborhood map (red: "
                   "lowest; blue: highest).")
NO_ESTIMATE_WHY = N_("no estimate (fewer than 20 children)")  # the screen legend's grey row (scales.MISSING_LABEL)
MAP_SIZE = 96  # mm, square


# ---- charts ----

def _vl_version() -> str | None:
    """The Vega-Lite version Altair writes ('6.4'), if vl-convert bundles it; else its default."""
    version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return version if version in vlc.get_vegalite_versions() else None


def vega_lite_dict(chart: alt.TopLevelMixin | dict) -> dict:
    """A plain Vega-Lite dict from an Altair chart or from a spec as pages draw it.

    Pages may keep named datasets as DataFrames (explorer.charts.light_spec); they become records
    here, with missing values as null (JSON), as Vega-Lite expects.
    """
    if not isinstance(chart, dict):
        return chart.to_dict()
    datasets = chart.get("datasets") or {}
    if not any(isinstance(rows, pd.DataFrame) for rows in datasets.values()):
        return chart
    return {**chart, "datasets": {name: json.loads(rows.to_json(orient="records"))
                                  if isinstance(rows, pd.DataFrame) else rows for name, rows in datasets.items()}}


@dataclass(frozen=True)
class ChartContext:
    """What an exported chart says about itself, so that it reads on its own when pasted into slides: its
    title, one line of who and what (explorer.headline) and where the numbers come from (source_line)."""
    title: str
    subtitle: str
    source: str


def source_line(*metrics) -> str:
    """'Source: Opportunity Insights, county_outcomes_simple, children born 1978-83, followed to 2014-15' for
    the data sets behind a chart (config metrics, each naming its raw file and its cohort)."""
    seen: dict[str, str] = {}
    for metric in metrics:
        seen.setdefault(PurePath(metric.source_file).stem, metric.cohort)
    data_sets = "; ".join(f"{name}, {cohort}" for name, cohort in seen.items())
    return _("Source: Opportunity Insights, {data_sets}").format(data_sets=data_sets)


EXPORT_WIDTH = 640  # px (before the PNG's 2x scale): a slide's half to full width


def with_context(spec: dict, context: ChartContext | None) -> dict:
    """The spec with the context as its title block (our words and the app's data; Vega-Lite draws them as
    text, never as markup). A chart's own title, if it has one, follows the context's."""
    if context is None:
        return spec
    own = spec.get("title")
    own = own.get("text") if isinstance(own, dict) else own
    text = f"{context.title}: {own}" if isinstance(own, str) and own else context.title
    titled = {**spec, "title": {"text": text, "subtitle": [context.subtitle, context.source], "anchor": "start",
                                "fontSize": 16, "subtitleFontSize": 12, "subtitleColor": "#333333",
                                "subtitlePadding": 4, "offset": 12}}
    if "width" not in titled and not any(k in titled for k in ("hconcat", "vconcat", "concat", "facet")):
        titled["width"] = EXPORT_WIDTH  # the page draws it as wide as its column; an image needs a width
    return titled


def chart_png(chart: alt.TopLevelMixin | dict, context: ChartContext | None = None, scale: float = 2.0) -> bytes:
    """The chart as a PNG (scale 2: sharp on slides and in print), titled with its context. Remote data is
    never fetched."""
    spec = with_context(vega_lite_dict(chart), context)
    return vlc.vegalite_to_png(spec, vl_version=_vl_version(), scale=scale, allowed_base_urls=[])


def chart_svg(chart: alt.TopLevelMixin | dict, context: ChartContext | None = None) -> str:
    """The chart as SVG text (editable in slide and drawing tools), titled with its context."""
    return vlc.vegalite_to_svg(with_context(vega_lite_dict(chart), context), vl_version=_vl_version(),
                               allowed_base_urls=[])


# ---- the city brief: numbers ----

@dataclass(frozen=True)
class BriefInputs:
    """What the brief shows, read by the caller from the app's data layer (explorer.data.cache.brief_inputs), so
    that the printed brief and the screen use the same tables and the same colour scale."""
    counties: pd.DataFrame             # the counties table (one row per US county, p25 outcomes and SEs)
    national: pd.DataFrame             # the national percentile outcomes
    tracts: pd.DataFrame               # the city's study tracts (store.study_tracts)
    geometries: dict[str, dict]        # their shapes by tract id
    boundary: dict | None              # the city limit
    scale: scales.Scale                # the neighborhood map's national scale for household income at p25
    pilots: object | None = None       # explorer.pilots.Pilots, or None when the file is missing or broken
    link: str | None = None            # the city's live view in the app, printed as text and as a QR code
    evidence: object | None = None     # explorer.evidence.Evidence, or None when its file is missing or broken


def national_p25(national: pd.DataFrame, race: str) -> float:
    """The nation's household income rank for children of 25th-percentile parents, one race, both genders."""
    column = config.NATIONAL_OUTCOMES["kfr"].source_column(race, "pooled")
    return float(national.loc[national["par_pctile"] == 25, column].iloc[0])


def county_ranks(city_id: str, inputs: BriefInputs) -> list[dict]:
    """For each group: the main county's household income rank at p25 (0-1), its 95% interval, the nation's."""
    county = store.pick_county(inputs.counties, config.get_city(city_id).main_county)
    rows = []
    for race in BRIEF_GROUPS:
        estimate = float(county[RANK.source_column(race)])
        se = float(county[RANK.se_column.format(race=race, gender="pooled")])
        low, high = stats.interval95(estimate, se)
        rows.append({"group": config.RACES[race], "county": estimate, "low": low, "high": high,
                     "nation": national_p25(inputs.national, race)})
    return rows


# ---- the city brief: drawing ----

_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                        "\u2014": "-", "\u2026": "...", "\u00a0": " ", "\u2022": "-"})


def latin1(text: str) -> str:
    """Text the built-in PDF fonts can draw: plain punctuation, accents kept, anything else as '?'."""
    text = unicodedata.normalize("NFC", str(text).translate(_PLAIN))
    return text.encode("latin-1", "replace").decode("latin-1")


def outer_rings(geometry: dict) -> Iterable[list]:
    """Outer rings of a GeoJSON Polygon or MultiPolygon (holes are left to the fill of what is inside)."""
    if geometry["type"] == "Polygon":
        yield geometry["coordinates"][0]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield polygon[0]


class _Frame:
    """Longitude/latitude -> page millimetres, fitting a bounding box into a box, north up."""

    def __init__(self, rings: list[list], x: float, y: float, width: float, height: float):
        lons = [p[0] for ring in rings for p in ring]
        lats = [p[1] for ring in rings for p in ring]
        self.west, self.north = min(lons), max(lats)
        self.squash = math.cos(math.radians((min(lats) + max(lats)) / 2))  # equirectangular at mid-latitude
        span_x = (max(lons) - self.west) * self.squash or 1e-9
        span_y = (self.north - min(lats)) or 1e-9
        self.mm = min(width / span_x, height / span_y)
        self.x0 = x + (width - span_x * self.mm) / 2
        self.y0 = y + (height - span_y * self.mm) / 2

    def points(self, ring: list) -> list[tuple[float, float]]:
        return [(self.x0 + (lon - self.west) * self.squash * self.mm, self.y0 + (self.north - lat) * self.mm)
                for lon, lat, *_height in ring]


def draw_areas(pdf: FPDF, areas, outlines, x: float, y: float, width: float, height: float) -> None:
    """Filled areas ((outer rings, RGB) pairs) with thin white edges, then dark outlines (rings) on top,
    fitted into the box, north up. The brief's map and the data-walk kit's maps."""
    frame = _Frame([ring for rings, _fill in areas for ring in rings] or list(outlines), x, y, width, height)
    pdf.set_draw_color(255, 255, 255)
    pdf.set_line_width(0.1)
    for rings, fill in areas:
        pdf.set_fill_color(*fill)
        for ring in rings:
            pdf.polygon(frame.points(ring), style="DF")
    pdf.set_draw_color(20, 20, 20)
    pdf.set_line_width(0.5)
    for ring in outlines:
        pdf.polyline(frame.points(ring), polygon=True, style="D")


def _draw_map(pdf: FPDF, inputs: BriefInputs, x: float, y: float, size: float) -> None:
    tracts, geometries = inputs.tracts[inputs.tracts["city_share"] > 0], inputs.geometries
    fills = scales.colours(tracts[INCOME.id], inputs.scale)
    areas = [(list(outer_rings(geometries[t])), tuple(int(c) for c in fill))
             for t, fill in zip(tracts["tract"], fills) if t in geometries]
    draw_areas(pdf, areas, list(outer_rings(inputs.boundary)) if inputs.boundary else [], x, y, size, size)
    _draw_legend(pdf, scales.legend_table(tracts[INCOME.id], inputs.scale), x + size + 4, y + 4)


QR_SIZE = 28  # mm: scans from a printed page at arm's length


def qr_png(text: str) -> bytes:
    """A QR code of `text` as a PNG, made here (segno): nothing is sent to a QR service."""
    import io

    import segno
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


def _draw_link(pdf: FPDF, link: str, x: float, y: float) -> None:
    """The live view's QR code with its address under it, for a reader of the printed page to open."""
    import io
    pdf.image(io.BytesIO(qr_png(link)), x=x, y=y, w=QR_SIZE, h=QR_SIZE)
    pdf.set_xy(x, y + QR_SIZE + 0.5)
    pdf.set_font("Helvetica", "", 7)
    pdf.multi_cell(pdf.w - pdf.r_margin - x, 3.2, latin1(_("Open this view in the app: {link}").format(link=link)),
                   align="L")  # a long address wraps: justified, the words before it would spread


def _draw_legend(pdf: FPDF, legend: pd.DataFrame, x: float, y: float) -> None:
    """The screen's legend (scales.legend_table): a swatch, the range and its number of tracts per row;
    the last row is the grey "no estimate" one. Each range is looked up in the catalog: the grey row's text
    is a constant of scales (NO_ESTIMATE_WHY here), the others hold figures and pass unchanged."""
    pdf.set_font("Helvetica", "", 8)
    pdf.set_draw_color(120, 120, 120)
    pdf.set_line_width(0.1)
    for row, (colour, label, count) in enumerate(legend[["colour", "range", "tracts"]].itertuples(index=False)):
        pdf.set_fill_color(*scales.hex_to_rgb(colour))
        pdf.rect(x, y + row * 6, 5, 4, style="DF")
        pdf.set_xy(x + 7, y + row * 6)
        count = int(count)
        pdf.cell(0, 4, latin1(ngettext("{label}: {count} tract", "{label}: {count} tracts", count)
                              .format(label=_(str(label)), count=localized(f"{count:,}"))))


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 7, latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")  # a long one (Spanish) wraps


def _para(pdf: FPDF, text: str, size: float = 9, style: str = "") -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(0, size * 0.5, latin1(text), new_x="LMARGIN", new_y="NEXT")


def _rank_table(pdf: FPDF, county_name: str, rows: list[dict]) -> None:
    widths = (32, 42, 48, 34, 34)
    header = (_("Children"), county_name, _("95% interval"), _("United States"), _("Gap (points)"))
    pdf.set_font("Helvetica", "B", 9)
    pdf.set_fill_color(235, 235, 235)
    for width, text in zip(widths, header):
        pdf.cell(width, 6, latin1(text), border="B", fill=True)
    pdf.ln()
    pdf.set_font("Helvetica", "", 10)
    for row in rows:
        missing = math.isnan(row["county"])
        difference = (row["county"] - row["nation"]) * RANK.scale
        cells = (row["group"], RANK.format(row["county"]),
                 _(NO_ESTIMATE_WHY) if missing
                 else _("{low} to {high}").format(low=RANK.format(row["low"]), high=RANK.format(row["high"])),
                 RANK.format(row["nation"]), "" if missing else localized(f"{difference:+.1f}"))
        for width, text in zip(widths, cells):
            pdf.cell(width, 6, latin1(text))
        pdf.ln()


def _pilot_summary(pdf: FPDF, city_id: str, pilots, size: float = 9, clip: int = 320) -> None:
    """The pilot's name, themes and one-line summary with its source, if the profiles are available; the
    facts in `size` points."""
    _heading(pdf, _("The city's pilot"))
    if pilots is None or city_id not in pilots.profiles:
        _para(pdf, _("The pilot profile is not available in this copy of the app."))
        return
    profile = pilots.profiles[city_id]
    _para(pdf, profile.pilot, size=10, style="B")
    _para(pdf, _("Themes: {themes}").format(themes=", ".join(pilots.theme_labels(city_id))), size=size)
    for label, fact in ((_("What it tried"), profile.summary), *_first_facts(profile)):
        line = "{label}: {text}" if fact.confirmed else _("{label}: {text} (unconfirmed)")
        _para(pdf, line.format(label=label, text=_clip(fact.text, clip)), size=size)
        if fact.sources:
            _para(pdf, _("Source: {sources}").format(sources=" ; ".join(fact.sources)), size=7)
        pdf.ln(1)


def _evidence_line(pdf: FPDF, city_id: str, found, size: float) -> None:
    """One line on what studies elsewhere found about the city's kind of pilot (explorer.evidence), with the
    source of its first study; nothing when the evidence file is not available."""
    strategies = found.of_city(city_id) if found is not None else []
    if not strategies:
        return
    item = strategies[0]
    _para(pdf, _("What the evidence says ({strategy}): {bottom_line}").format(strategy=item.name,
                                                                            bottom_line=item.bottom_line), size=size)
    _para(pdf, _("Source: {sources}").format(sources=found.cards_for(item.id)[0].sources[0]), size=7)


def _first_facts(profile) -> list[tuple[str, object]]:
    """The first thing learned and the first result, or a plain statement that none is public."""
    from explorer.pilots import Fact
    none_found = Fact(_("No public account was found."), ())
    return [(_(label), (profile.sections.get(key) or (none_found,))[0])
            for label, key in ((N_("What was learned"), "learned"), (N_("Results"), "results"))]


def _clip(text: str, limit: int = 320) -> str:
    """Long facts are cut at a word so the brief stays on one page; the app has the full story."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " ..."


def brief_file_name(city_id: str) -> str:
    return f"economic-mobility-brief-{config.get_city(city_id).id}.pdf"


def city_brief_pdf(city_id: str, inputs: BriefInputs, lang: str | None = None) -> bytes:
    """A one-page US Letter handout for one city: key numbers vs the nation, a tract map, its pilot
    (or a line saying the profile is not available), from `inputs` (explorer.data.cache.brief_inputs),
    in `lang` (default: the current language)."""
    with i18n.speaking(lang or i18n.current()):
        for map_size, size, clip in FITS:  # the first that keeps it on one page (Spanish runs longer)
            pdf = _draw_brief(city_id, inputs, map_size, size, clip)
            if pdf.page == 1:
                break
        return bytes(pdf.output())


# (map size in mm, the pilot's facts in points, the most characters of a fact), tried in turn: the map and the type
# get a little smaller (below 90 mm the QR code moves to the right of the legend, which it would meet), then the
# longest facts are cut at a word with "..." (the app has them whole); 8 points is the explainers' size.
FITS = ((MAP_SIZE, 9, 320), (90, 9, 320), (90, 8, 320), (80, 8, 320), (70, 8, 320), (70, 8, 200))
QR_BESIDE_MAP = 90  # mm: a map at least this tall has room for the QR code under its legend


def _draw_brief(city_id: str, inputs: BriefInputs, map_size: float, size: float, clip: int = 320) -> FPDF:
    city = config.get_city(city_id)
    county = store.pick_county(inputs.counties, city.main_county)
    county_name = config.county_label(county["county_name"], county["state_name"])

    pdf = FPDF(orientation="portrait", unit="mm", format="letter")
    pdf.set_margins(15, 14, 15)
    pdf.set_auto_page_break(True, margin=12)
    pdf.set_creator(latin1(_("Economic Mobility Explorer")))
    pdf.set_title(latin1(_("{city}: city brief").format(city=city.label)))
    pdf.set_lang(i18n.current())
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(0, 10, latin1(city.label), new_x="LMARGIN", new_y="NEXT")
    _para(pdf, _("Economic mobility brief - main county: {county}, {state}").format(
        county=county_name, state=county["state_name"]), size=10)

    _heading(pdf, _("Household income rank at about age 35, children of low-income parents ({county})").format(
        county=county_name))
    _para(pdf, _(RANK_EXPLAINER), size=8)
    pdf.ln(1)
    _rank_table(pdf, county_name, county_ranks(city_id, inputs))

    _heading(pdf, _("Neighborhoods: household income at about age 35"))
    _para(pdf, _(MAP_EXPLAINER), size=8)
    top = pdf.get_y() + 2
    _draw_map(pdf, inputs, pdf.l_margin, top, map_size)
    if inputs.link and map_size >= QR_BESIDE_MAP:  # under the legend, at the foot of the map
        _draw_link(pdf, inputs.link, pdf.l_margin + map_size + 4, top + map_size - QR_SIZE - 9)
    elif inputs.link:  # a smaller map leaves no room under the legend: the link goes to its right
        _draw_link(pdf, inputs.link, pdf.w - pdf.r_margin - QR_SIZE - 6, top)
    pdf.set_xy(pdf.l_margin, max(top + map_size, pdf.get_y()) + 2)  # below the map and the link's text

    _pilot_summary(pdf, city_id, inputs.pilots, size, clip)
    _evidence_line(pdf, city_id, inputs.evidence, size)
    pdf.set_y(max(pdf.get_y() + 2, pdf.h - 22))
    _para(pdf, _(SOURCE_LINE), size=7)
    return pdf
