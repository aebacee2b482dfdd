"""A partner's own data ("Your data") drawn beside the mobility layer: circles at tracts or at points,
their legend, tooltip lines and the thinning of very many points."""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd
import pydeck as pdk

from explorer import config
from explorer.i18n import N_, _, localized
from explorer.maps import deckgl, scales

OWN_DATA_LAYER = "Your data"   # the layer's name in the layers dict (an id: never shown)
OWN_DATA_LAYER_ID = "own_data"
OWN_DATA_COLOURS = ((158, 154, 200), (128, 125, 186), (106, 81, 163), (84, 39, 143), (63, 0, 125))
"""ColorBrewer Purples (colour-blind safe), darker = higher. Purple is not in the outcome palette
(RdYlBu), so the partner's circles read apart from the tract colours underneath."""
OWN_DATA_RADII = (4, 6, 8, 10, 12)  # pixels: higher values also get bigger circles (readable without colour)
OWN_DATA_MISSING = N_("no value in your file")
OWN_DATA_ABSENT = "-"  # a tract the file has no row for (short: it is written into every tract feature)
POINT_MARGIN = 0.05  # degrees (about 5 km) around the study area within which uploaded points are drawn
POINT_DIGITS = 4  # decimals kept of circle positions (about 10 m, as the tract shapes): compact JSON


@dataclass(frozen=True)
class OwnData:
    """A validated upload (explorer.upload.UploadResult) and the column chosen to show.

    kind "tracts": frame has `tract` (11-digit GEOID) and numeric columns; kind "points": frame has
    `latitude`, `longitude`, maybe `label` (each place's name, plain text) and numeric columns (column may
    be None: points in one colour).
    """
    kind: str
    frame: pd.DataFrame
    column: str | None = None


def _own_column(own: OwnData) -> pd.Series | None:
    """The chosen column's values as floats (NaN = the file had no value); ValueError if unknown."""
    if own.column is None and own.kind == "points":
        return None
    reserved = {"tract", "latitude", "longitude", "label"}
    if own.column not in own.frame.columns or own.column in reserved:
        raise ValueError(f"The uploaded file has no numeric column {own.column!r}")
    return own.frame[own.column].astype("float64")


@dataclass(frozen=True)
class UploadedMetric(config.Metric):
    """A Metric named by the user's column: its label is their text, as written, in every language."""

    @property
    def label(self) -> str:
        return self.label_en


def own_data_metric(column: str, values: pd.Series) -> config.Metric:
    """A stand-in Metric for an uploaded column: its name as the label, whole numbers when all are whole."""
    known = values.dropna()
    whole = bool(len(known)) and bool((known == known.round()).all())
    return UploadedMetric(OWN_DATA_LAYER_ID, column, N_("A column of the file you uploaded."), N_("as in your file"),
                         "{:,.0f}" if whole else "{:,.2f}", True, "upload", "your file", column)


def own_data_scale(values: pd.Series, column: str) -> scales.Scale:
    """Up to five quantile bins of the uploaded values, coloured from OWN_DATA_COLOURS' dark end."""
    metric = own_data_metric(column, values)
    breaks = scales.quantile_breaks(values, metric, len(OWN_DATA_COLOURS))
    return scales.Scale(metric, breaks, OWN_DATA_COLOURS[-(len(breaks) + 1):], _("the values in your file"))


def tract_centres(shapes: deckgl.QuantizedShapes, tract_ids: Iterable[str]) -> np.ndarray:
    """(lon, lat) in degrees of the middle of each tract's outer ring (its largest part's bounding box).

    Cheap (no polygon maths), and close enough to place one symbol per tract on a city map.
    """
    def middle(geometry: dict) -> tuple[float, float]:
        parts = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        ring = max(parts, key=lambda part: len(part[0]))[0]
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]  # plain lists: faster than numpy for ~50 points
        return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2

    offsets = np.array([middle(shapes.geometries[t]) for t in tract_ids], dtype="float64").reshape(-1, 2)
    return offsets * deckgl.UNIT + np.asarray(shapes.origin)


def own_data_circles(own: OwnData, shapes: deckgl.QuantizedShapes) -> tuple[list[dict], list, list[int]]:
    """The "Your data" circles: [{"c": [lon, lat], "b": bin}], the palette (one RGB row per bin) and the
    radius in pixels per bin. One circle per uploaded tract (at its middle) or per uploaded point on
    the map, bigger and darker for higher values of the chosen column (grey and small: no value).
    Uploaded tracts without a polygon on this map are skipped."""
    values = _own_column(own)
    if own.kind == "tracts":
        drawn = np.array([t in shapes.geometries for t in own.frame["tract"]], dtype=bool)
        positions = tract_centres(shapes, own.frame["tract"][drawn])
        values = values[drawn]
    elif own.kind == "points":
        inside = drawn_points(own.frame, shapes)
        positions = own.frame[["longitude", "latitude"]].to_numpy(dtype="float64")[inside]
        values = values[inside] if values is not None else None
    else:
        raise ValueError(f"Unknown kind of upload {own.kind!r}; expected 'tracts' or 'points'")
    scale = own_data_scale(values, own.column) if values is not None else None
    bins = deckgl.bin_field(values, scale) if scale else [0] * len(positions)
    palette = scale.palette if scale else np.array([OWN_DATA_COLOURS[-1]])
    radii = [*OWN_DATA_RADII[-len(scale.colours):], 3] if scale else [OWN_DATA_RADII[2]]
    data = [{"c": c, "b": b} for c, b in zip(np.round(positions, POINT_DIGITS).tolist(), bins)]
    return data, np.asarray(palette).astype(int).tolist(), radii


def point_texts(own: OwnData, shapes: deckgl.QuantizedShapes) -> list[str] | None:
    """The tooltip of each drawn point (own_data_circles' order), as plain text for the app's map component,
    which sets it as text, never as HTML: the place's name from the file and the chosen column's value.
    None for a tract file, or a places file with neither names nor a column to show."""
    if own.kind != "points" or ("label" not in own.frame.columns and own.column is None):
        return None
    inside = drawn_points(own.frame, shapes)
    frame = own.frame[inside]
    names = frame["label"].tolist() if "label" in frame.columns else [""] * len(frame)
    if own.column is None:
        unnamed = _("A place in your file")
        return [name or unnamed for name in names]
    values = _own_column(own)[inside]
    metric, missing = own_data_metric(own.column, values), _(OWN_DATA_MISSING)
    lines = [f"{own.column}: {missing if v != v else metric.format(v)}" for v in values]
    return [f"{name}\n{line}" if name else line for name, line in zip(names, lines)]


def own_data_layer(own: OwnData, shapes: deckgl.QuantizedShapes, texts: list[str] | None = None) -> pdk.Layer:
    """The "Your data" layer (own_data_circles) for pydeck.

    Circles, not a second set of tract polygons, so the outcome colours stay readable underneath and
    the payload stays small (Wayne's 609 tracts as polygons would almost double the map's JSON).
    With `texts` (point_texts: a places file's names or values) each circle carries its tooltip (field `t`)
    and is pickable; otherwise hovers and clicks reach the tracts below, whose tooltip carries a tract
    file's value (field `u`, see own_data_texts).
    """
    data, palette, radii = own_data_circles(own, shapes)
    for item, text in zip(data, texts or ()):
        item["t"] = text
    return pdk.Layer("ScatterplotLayer", data=data, id=OWN_DATA_LAYER_ID, pickable=texts is not None, get_position="c",
                     get_fill_color=deckgl.palette_accessor(np.array(palette)),
                     get_radius=f"({json.dumps(radii)})[b]", radius_units=deckgl.literal("pixels"), stroked=True,
                     get_line_color=[255, 255, 255], get_line_width=1, line_width_units=deckgl.literal("pixels"))


def points_on_map(points: pd.DataFrame, shapes: deckgl.QuantizedShapes) -> np.ndarray:
    """Which uploaded points lie on the map (the study area's bounding box plus POINT_MARGIN degrees).

    Points elsewhere are not drawn: they could not be seen, and a national list of sites would
    otherwise send megabytes to the browser on every click.
    """
    west, south, east, north = shapes.bounds
    lon, lat = points["longitude"].to_numpy(dtype="float64"), points["latitude"].to_numpy(dtype="float64")
    return ((lon >= west - POINT_MARGIN) & (lon <= east + POINT_MARGIN)
            & (lat >= south - POINT_MARGIN) & (lat <= north + POINT_MARGIN))


MAX_POINTS_DRAWN = 3_000  # more circles than this slow every visitor's rerun and a phone's drawing
THINNED_LABEL = N_("thinned out (not drawn)")


def thinned_note(own: OwnData, shapes: deckgl.QuantizedShapes) -> str | None:
    """What the page says under the legend when a points file was thinned, else None."""
    if own.kind != "points":
        return None
    on_map = int(points_on_map(own.frame, shapes).sum())
    if on_map <= MAX_POINTS_DRAWN:
        return None
    return _("Your file has {count} places on this map; {drawn} of them are drawn, spread evenly through the file, "
             "so that the map stays quick for everyone. The table under \u201cAdd your own data\u201d lists them "
             "all.").format(count=localized(f"{on_map:,}"), drawn=localized(f"{MAX_POINTS_DRAWN:,}"))


def drawn_points(points: pd.DataFrame, shapes: deckgl.QuantizedShapes) -> np.ndarray:
    """Which uploaded points are drawn: those on the map, evenly thinned to MAX_POINTS_DRAWN in file order
    (the legend says how many were left out). A 100,000-point file drew for 7 s, then 4.7 s per rerun."""
    keep = points_on_map(points, shapes)
    on_map = np.flatnonzero(keep)
    if len(on_map) > MAX_POINTS_DRAWN:
        keep[:] = False
        keep[on_map[np.unique(np.linspace(0, len(on_map) - 1, MAX_POINTS_DRAWN).round().astype(int))]] = True
    return keep


def own_data_texts(own: OwnData, tract_ids: Iterable[str], escape: bool = True) -> list[str]:
    """The tooltip's `u` field for each tract id: the uploaded value as text (escaped for pydeck's HTML
    tooltip; `escape=False` for the app's map component, which shows text as text), or why there is none."""
    values = _own_column(own)
    metric, missing = own_data_metric(own.column, values), _(OWN_DATA_MISSING)
    by_tract = dict(zip(own.frame["tract"], values))
    def text(tract: str) -> str:
        if tract not in by_tract:
            return OWN_DATA_ABSENT
        value = by_tract[tract]
        return missing if value != value else metric.format(value)
    texts = [text(t) for t in tract_ids]
    return deckgl.escaped(texts) if escape else texts


def own_data_tooltip(tooltip: dict, column: str) -> dict:
    """The tract tooltip plus a line with the uploaded column; its name is escaped, braces included
    (the frontend fills {field} placeholders, so a column named '{v}' must not become one)."""
    name = html.escape(column, quote=False).replace("{", "&#123;").replace("}", "&#125;")
    return {**tooltip, "html": f"{tooltip['html']}<br/>{tooltip_line(name, '<b>{u}</b>')}"}


def tooltip_line(column: str, value: str = "{u}") -> str:
    """The tooltip's line of a tract file's value: 'Your data, <column>: <value>' (`column` as it is to be
    shown: escaped for an HTML tooltip, as typed for a text one)."""
    return _("Your data, {column}: {value}").format(column=column, value=value)


def own_data_legend(own: OwnData, shapes: deckgl.QuantizedShapes) -> pd.DataFrame:
    """The legend of the "Your data" layer as data (colour, range, count), like scales.legend_table.

    Counts are of what is drawn; points off the map get a last row of their own (no colour).
    """
    values, frame = _own_column(own), own.frame
    thinned = 0
    if own.kind == "points":
        on_map, inside = points_on_map(frame, shapes), drawn_points(frame, shapes)
        thinned = int(on_map.sum() - inside.sum())
        frame, values = frame[inside], values[inside] if values is not None else None
    if values is None:
        legend = pd.DataFrame({"colour": [scales.rgb_to_hex(OWN_DATA_COLOURS[-1])],
                               "range": [_("places in your file")], "points": [len(frame)]})
    else:
        legend = scales.legend_table(values, own_data_scale(values, own.column))
        legend.iloc[-1, 1] = _(OWN_DATA_MISSING)
        legend = legend.rename(columns={"tracts": "tracts" if own.kind == "tracts" else "points"})
    if thinned:
        legend.loc[len(legend)] = ["#ffffff", _(THINNED_LABEL), thinned]
    off_map = len(own.frame) - len(frame) - thinned
    if off_map:
        legend.loc[len(legend)] = ["#ffffff", _("outside this map (not drawn)"), off_map]
    return legend


ABOVE_OWN_DATA = ("Search matches, halo", "Search matches", "Selected tracts", "City boundary")


def text_tooltip(tooltip: dict, features: list[dict]) -> dict:
    """pydeck's one tooltip for every layer, when the places of a file have their own (pydeck has one template
    for all layers): the tract template filled in per tract as plain text (field `t`, as the places carry).
    A text tooltip is set as text, never as HTML, so a place's name is shown as written."""
    template = html.unescape(tooltip["html"].replace("<br/>", "\n").replace("<b>", "").replace("</b>", ""))
    for feature in features:
        feature["t"] = re.sub(r"{(\w)}", lambda m, f=feature: html.unescape(str(f.get(m[1], m[0]))), template)
    return {"text": "{t}", "style": tooltip.get("style", {})}


def with_own_data(layers: dict[str, pdk.Layer], tooltip: dict, own: OwnData, shapes: deckgl.QuantizedShapes,
                  shown: Iterable[str]) -> tuple[dict[str, pdk.Layer], dict]:
    """`layers` with "Your data" drawn above the tracts and county lines (below the selection and the
    city outline), and for a tract file the uploaded value in each tract's tooltip.

    shown: the tract ids of mapped_tracts(...) (the tract features' order). The tract features are this call's own
    (built per run), so the `u` field is written into them.
    """
    texts = point_texts(own, shapes)
    own_layer, result = own_data_layer(own, shapes, texts), {}
    for name, layer in layers.items():
        if name in ABOVE_OWN_DATA and OWN_DATA_LAYER not in result:
            result[OWN_DATA_LAYER] = own_layer
        result[name] = layer
    result.setdefault(OWN_DATA_LAYER, own_layer)
    if own.kind != "tracts":
        return result, tooltip if texts is None else text_tooltip(tooltip, layers["Census tracts"].data)
    for feature, text in zip(layers["Census tracts"].data, own_data_texts(own, shown)):
        feature["u"] = text
    return result, own_data_tooltip(tooltip, own.column)
