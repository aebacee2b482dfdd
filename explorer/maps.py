"""Pure builders of the app's pydeck maps: a city's tracts and the national county map.

Nothing here calls Streamlit: every builder returns a `pydeck.Deck` that tests can inspect.

Payload. A map's JSON goes to every browser on every rerun, so it is kept small:
- pydeck's own `to_json` pretty-prints (indent=2), which multiplies the size of polygon coordinates;
  `CompactDeck` serialises the same spec without whitespace.
- Tract coordinates are quantized to integer steps of 1e-4 degree (about 10 m, finer than the
  1:500k source) measured from a south-west origin, and drawn with deck.gl's `lnglat-offsets`
  coordinate system plus a model matrix that scales the integers back to degrees. Wayne County's
  609 tracts take about half the bytes of plain GeoJSON this way.
- Feature fields use one-letter keys (TRACT_PROPERTIES / COUNTY_PROPERTIES) and carry a colour bin
  index; the layer looks the colour up in the scale's small palette (a deck.gl expression).

Tooltips. Every value placed in a tooltip is `html.escape`d text computed here; the template itself
is ours. Values sit in element text, never inside an attribute, so quotes are left as they are
("Prince George's"). Streamlit 1.67's frontend escapes interpolated values once more; our values
(tract numbers, county names, formatted numbers) hold no & < >, so nothing shows doubled, and the
escape here keeps the map safe whatever a future frontend does.

Basemap. Off (the default) sets `map_provider=None`, so nothing is fetched from the internet and
only our own layers are drawn. (In Streamlit, `map_style=None` does *not* mean "no basemap": it
picks a Carto basemap from the theme.) On uses Carto's token-free light basemap.

Layers are kept in an ordered dict keyed by display name, so another layer (an uploaded file, say)
is one more entry: `layers = tract_layers(...); layers["My sites"] = my_layer; deck = make_deck(...)`.
"""
from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from explorer import config, scales, stats

UNIT = 1e-4  # degrees per quantized coordinate step
TRACT_LAYER_ID = "tracts"  # the layer id that keys the map's selection state
MAP_HEIGHT = 520  # pixels: the height pages give st.pydeck_chart (used to fit the view)
MAP_WIDTH = 640   # pixels: a typical map width on a laptop (wide layout, legend beside it), to fit the view

TRACT_PROPERTIES = {
    "n": "tract number as printed on Census maps (5001, 5001.01); in areas of several counties "
         "followed by the county ('5001, Tulsa County')",
    "v": "the value in the metric's units, or 'no estimate (fewer than 20 children)'",
    "p": "national percentile among all US tracts (0-100), or '-'",
    "b": "colour bin (0 = lowest); the number of bins means no estimate (grey)",
}
COUNTY_PROPERTIES = {
    "n": "county and state name",
    "v": "the value in its units, or 'no estimate'",
    "i": "95% interval from the published standard error, or '-'",
    "b": "colour bin, as for tracts",
}
"""Feature fields (one-letter keys keep the payload small). They sit beside `geometry` in each
feature, where deck.gl's accessors and Streamlit's tooltip and selection state read them."""

OUTLINE_COLOUR = [40, 40, 40]
COUNTY_LINE_COLOUR = [90, 90, 90, 140]
TRACT_LINE_COLOUR = [255, 255, 255, 160]


class CompactDeck(pdk.Deck):
    """A pydeck Deck whose JSON has no whitespace (pydeck indents by default, tripling map payloads).

    The JSON is computed once and kept: treat a built deck as read-only, so one cached deck can
    serve every session (the national map's 1 MB is then encoded once, not on every rerun).
    """

    def to_json(self) -> str:
        text = self.__dict__.get("_compact_json")
        if text is None:
            text = json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))
            self.__dict__["_compact_json"] = text  # set after encoding, so it is not part of the JSON
        return text


def _literal(value: str) -> str:
    """A string prop passed through pydeck unchanged (pydeck turns bare strings into JS accessors)."""
    return f"'{value}'"


# ---------------------------------------------------------------------------------------------
# Quantized geometry

@dataclass(frozen=True)
class QuantizedShapes:
    """Polygons as integer offsets (units of UNIT degrees) from `origin` (lon, lat).

    `geometries` maps an id (tract GEOID) to a GeoJSON geometry with integer coordinates;
    `bounds` is (west, south, east, north) in degrees, to fit the view.
    """
    origin: tuple[float, float]
    geometries: dict[str, dict]
    bounds: tuple[float, float, float, float]


def _rings(geometry: dict) -> Iterable[list]:
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon
    else:
        raise ValueError(f"Expected a Polygon or MultiPolygon, got {geometry['type']!r}")


def bounds(geometries: Iterable[dict]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of GeoJSON polygons."""
    points = np.array([p[:2] for g in geometries if g for ring in _rings(g) for p in ring], dtype="float64")
    if points.size == 0:
        raise ValueError("No coordinates to fit the map to")
    (west, south), (east, north) = points.min(axis=0), points.max(axis=0)
    return float(west), float(south), float(east), float(north)


def _bbox_polygon(bbox: tuple[float, float, float, float]) -> dict:
    west, south, east, north = bbox
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north]]]}


def quantize_geometry(geometry: dict, origin: tuple[float, float], unit: float = UNIT) -> dict:
    """One GeoJSON (Multi)Polygon with coordinates as integer steps of `unit` degrees from origin."""
    lon0, lat0 = origin

    def ring(points):
        array = np.rint((np.asarray(points, dtype="float64")[:, :2] - (lon0, lat0)) / unit).astype(np.int64)
        return array.tolist()

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in geometry["coordinates"]]}
    if geometry["type"] == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in geometry["coordinates"]]}
    raise ValueError(f"Expected a Polygon or MultiPolygon, got {geometry['type']!r}")


def quantize_shapes(geometries: Mapping[str, dict], unit: float = UNIT) -> QuantizedShapes:
    """Quantize polygons against the south-west corner of their bounding box, in steps of `unit` degrees.

    Offsets from that corner are non-negative and, for a county-sized area, at most 4 digits.
    """
    west, south, east, north = bounds(geometries.values())
    origin = (math.floor(west / unit) * unit, math.floor(south / unit) * unit)
    quantized = {key: quantize_geometry(g, origin, unit) for key, g in geometries.items()}
    return QuantizedShapes((round(origin[0], 4), round(origin[1], 4)), quantized, (west, south, east, north))


def offset_props(origin: tuple[float, float]) -> dict:
    """deck.gl props that draw integer offsets from `origin` at their true lon/lat."""
    return {
        "coordinate_system": _literal("lnglat-offsets"),
        "coordinate_origin": [origin[0], origin[1]],
        "model_matrix": [UNIT, 0, 0, 0, 0, UNIT, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
    }


def fit_view(bbox: tuple[float, float, float, float], width: int = MAP_WIDTH, height: int = MAP_HEIGHT
             ) -> pdk.ViewState:
    """A view centred on bbox at the largest zoom that shows all of it (web Mercator)."""
    west, south, east, north = bbox

    def mercator_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    zoom_x = math.log2(width * 360 / (512 * max(east - west, 1e-6)))
    zoom_y = math.log2(height * 2 * math.pi / (512 * max(mercator_y(north) - mercator_y(south), 1e-9)))
    zoom = round(max(min(zoom_x, zoom_y) - 0.15, 1.0), 2)
    return pdk.ViewState(longitude=round((west + east) / 2, 4), latitude=round((south + north) / 2, 4),
                         zoom=zoom, pitch=0, bearing=0)


# ---------------------------------------------------------------------------------------------
# Text shown in tooltips and tables

def tract_number(tract_ids: pd.Series) -> pd.Series:
    """The tract number people see on Census maps: '26163500100' -> '5001', '...500101' -> '5001.01'."""
    ids = tract_ids.astype("string")
    base = ids.str[5:9].str.lstrip("0").replace("", "0")
    suffix = ids.str[9:11]
    return (base + ("." + suffix).where(suffix != "00", "")).astype(str)


def county_names(tracts: pd.DataFrame) -> pd.Series:
    """'Wayne County' / 'Orleans Parish' per tract (config.county_label, from the county's state FIPS code)."""
    return pd.Series([config.county_label(name, fips[:2]) for name, fips in
                      zip(tracts["county_name"].astype(str), tracts["county_fips"].astype(str))], index=tracts.index)


def _escaped(texts: Iterable[str]) -> list[str]:
    return [html.escape(str(t), quote=False) for t in texts]


def percentile_texts(pctiles: pd.Series) -> list[str]:
    return ["-" if p != p else f"{p:.0f}" for p in pctiles]


def fill_accessor(scale: scales.Scale) -> str:
    """A deck.gl expression colouring a feature by its bin `b` from the scale's palette (grey last)."""
    return palette_accessor(scale.palette)


def palette_accessor(palette: np.ndarray) -> str:
    """A deck.gl expression picking row `b` of an RGB(A) palette."""
    return f"({json.dumps(palette.tolist(), separators=(',', ':'))})[b]"


def bin_field(values, scale: scales.Scale) -> list[int]:
    """The `b` field: each value's bin; missing estimates get the palette's last (grey) row."""
    bins = scales.bin_index(values, scale)
    return np.where(bins < 0, len(scale.colours), bins).tolist()


# ---------------------------------------------------------------------------------------------
# City tract map

def tract_labels(tracts: pd.DataFrame) -> pd.Series:
    """The `n` field: '5001' in a one-county area, '5001, Tulsa County' where the area has several."""
    numbers = tract_number(tracts["tract"])
    if tracts["county_fips"].nunique() > 1:
        return numbers + ", " + county_names(tracts)
    return numbers


def tract_tooltip(metric: config.Metric, tracts: pd.DataFrame) -> dict:
    """The hover template; {n} {v} {p} are TRACT_PROPERTIES filled in by deck.gl (escaped values)."""
    label = html.escape(metric.label, quote=False)
    counties = county_names(tracts).unique()
    place = f", {html.escape(counties[0], quote=False)}" if len(counties) == 1 else ""
    return {"html": f"<b>Tract {{n}}</b>{place}<br/>{label}: <b>{{v}}</b><br/>"
                    "National percentile: {p} (of all US tracts)",
            "style": {"fontSize": "14px"}}


def mapped_tracts(tracts: pd.DataFrame, shapes: QuantizedShapes) -> pd.DataFrame:
    """The rows drawn, in feature order (tracts with a polygon): selection indices point into this."""
    drawn = shapes.geometries
    # A list mask: Series.isin over dict keys builds a hash table on every call (17x slower here, on every rerun)
    return tracts[[tract in drawn for tract in tracts["tract"].tolist()]].reset_index(drop=True)


def tract_features(tracts: pd.DataFrame, shapes: QuantizedShapes, metric_id: str, scale: scales.Scale
                   ) -> list[dict]:
    """One GeoJSON feature per mapped tract (mapped_tracts order) with the TRACT_PROPERTIES fields.

    Tracts without an estimate stay on the map, grey, with 'no estimate (fewer than 20 children)'.
    """
    metric = config.tract_metric(metric_id)
    rows = mapped_tracts(tracts, shapes)
    values = rows[metric_id]
    texts = _escaped(scales.MISSING_LABEL if v != v else metric.format(v) for v in values)
    columns = zip(rows["tract"], _escaped(tract_labels(rows)), texts,
                  percentile_texts(rows[f"{metric_id}_pctile"]), bin_field(values, scale))
    return [{"geometry": shapes.geometries[t], "n": n, "v": v, "p": p, "b": b} for t, n, v, p, b in columns]


def outline_layer(layer_id: str, geometries: list[dict], origin, colour, width: float) -> pdk.Layer:
    """A thin unfilled, unpickable outline of polygons (quantized against the map's origin)."""
    features = [{"geometry": quantize_geometry(g, origin)} for g in geometries if g]
    return pdk.Layer("GeoJsonLayer", data=features, id=layer_id, pickable=False, stroked=True, filled=False,
                     get_line_color=colour, get_line_width=width, line_width_units=_literal("pixels"),
                     **offset_props(origin))


def tract_layers(tracts: pd.DataFrame, shapes: QuantizedShapes, boundary: dict | None,
                 county_outlines: list[dict], metric_id: str, scale: scales.Scale,
                 selected: tuple[str, ...] = ()) -> dict[str, pdk.Layer]:
    """The tract map's layers by display name, bottom to top.

    "Census tracts" (id TRACT_LAYER_ID, pickable) coloured by `scale`; "County lines" faint;
    "Selected tracts" outlined in black; "City boundary" on top.
    """
    layers = {
        "Census tracts": pdk.Layer(
            "GeoJsonLayer", data=tract_features(tracts, shapes, metric_id, scale), id=TRACT_LAYER_ID,
            pickable=True, stroked=True, filled=True, get_fill_color=fill_accessor(scale),
            get_line_color=TRACT_LINE_COLOUR, get_line_width=0.5, line_width_units=_literal("pixels"),
            auto_highlight=True, highlight_color=[0, 0, 0, 60], **offset_props(shapes.origin)),
        "County lines": outline_layer("county_lines", county_outlines, shapes.origin, COUNTY_LINE_COLOUR, 1.5),
    }
    chosen = [shapes.geometries[t] for t in selected if t in shapes.geometries]
    if chosen:
        layers["Selected tracts"] = pdk.Layer(
            "GeoJsonLayer", data=[{"geometry": g} for g in chosen], id="selected_tracts", pickable=False,
            stroked=True, filled=False, get_line_color=[0, 0, 0], get_line_width=3,
            line_width_units=_literal("pixels"), **offset_props(shapes.origin))
    if boundary:
        layers["City boundary"] = outline_layer("city_boundary", [boundary], shapes.origin, OUTLINE_COLOUR, 2.5)
    return layers


def make_deck(layers: Mapping[str, pdk.Layer], view: pdk.ViewState, tooltip: dict | None,
              basemap: bool = False) -> CompactDeck:
    """A compact Deck over `layers` (drawn in dict order); basemap off fetches nothing from the internet."""
    style = {"map_provider": "carto", "map_style": "light"} if basemap else {"map_provider": None}
    return CompactDeck(layers=list(layers.values()), initial_view_state=view, tooltip=tooltip or False, **style)


def city_tract_deck(tracts: pd.DataFrame, geometries: QuantizedShapes | Mapping[str, dict],
                    boundary: dict | None, county_outlines: list[dict], metric_id: str,
                    scale: scales.Scale, basemap: bool = False, selected: tuple[str, ...] = (),
                    width: int = MAP_WIDTH, height: int = MAP_HEIGHT, own: OwnData | None = None) -> CompactDeck:
    """A city's study-area tracts coloured by a tract metric, with county lines and the city outline.

    Arguments come straight from the data layer, e.g. for a small map on another page::

        deck = maps.city_tract_deck(
            data.study_tracts(city_id), data.quantized_tract_shapes(city_id), data.city_boundary(city_id),
            [data.county_outline(f) for f in data.study_counties(city_id)["county_fips"]],
            "household_income_p25", scale=data.tract_scale("household_income_p25", "national", city_id))
        st.pydeck_chart(deck, height=300)

    - tracts: `data.study_tracts` rows (tract, county_fips, county_name, metric and `<metric>_pctile`).
    - geometries: QuantizedShapes (cached by `data.quantized_tract_shapes`) or plain tract -> GeoJSON
      (quantized here: slower).
    - metric_id: a tract metric (config.TRACT_METRICS); anything else raises ValueError.
    - scale: from `scales.make_scale` (national or within-area bins).
    - selected: tract ids to outline.
    - own: a partner's upload, drawn as the "Your data" layer (with_own_data); None: not drawn.
    The tooltip shows TRACT_PROPERTIES; the selection state is keyed by layer id TRACT_LAYER_ID and
    its indices point into `mapped_tracts(tracts, geometries)`.
    """
    config.tract_metric(metric_id)
    if scale.metric_id != metric_id:
        raise ValueError(f"The colour scale is for {scale.metric_id!r}, not {metric_id!r}")
    # Duck-typed: Streamlit may reload this module while a cached QuantizedShapes of the old class lives on.
    shapes = geometries if hasattr(geometries, "origin") else quantize_shapes(geometries)
    layers = tract_layers(tracts, shapes, boundary, county_outlines, metric_id, scale, selected)
    tooltip = tract_tooltip(config.get_metric(metric_id), tracts)
    if own is not None:
        shown = [t for t in tracts["tract"] if t in shapes.geometries]  # mapped_tracts' order, without pandas
        layers, tooltip = with_own_data(layers, tooltip, own, shapes, shown)
    view = fit_view(bounds([_bbox_polygon(shapes.bounds), *([boundary] if boundary else [])]), width, height)
    return make_deck(layers, view, tooltip, basemap)


# ---------------------------------------------------------------------------------------------
# National county map

BLACK_WHITE_GAP = "black_white_gap"
COUNTY_GROUPS = {**{race: config.RACES[race] for race in config.COUNTY_RACES},
                 BLACK_WHITE_GAP: "Black-white gap (white minus Black)"}
"""The county map's colouring choices: a race group's income rank, or the gap between white and Black."""

GAP_METRIC = config.Metric(
    BLACK_WHITE_GAP, "Black-white gap in household income rank",
    "How many percentiles higher white children from 25th-percentile families ended up than Black "
    "children from families with the same income (positive: white children ranked higher).",
    "national percentile points", "{:+.1f} points", False, "county",
    "opportunity/county_outcomes_simple.csv", "kfr_white_{gender}_p25 - kfr_black_{gender}_p25", scale=100)
RANK_METRIC = config.METRICS["income_rank_p25"]
COUNTY_MAP_HEIGHT = 460  # pixels: the contiguous US is wide and short
CONTIGUOUS_US = (-124.8, 24.5, -66.9, 49.4)  # west, south, east, north: the first view (pan for AK, HI)


def county_values(counties: pd.DataFrame, group: str, gender: str = "pooled") -> pd.DataFrame:
    """county_fips, value, low, high (95% interval) for a group's income rank at p25 (ranks 0-1).

    group is a race code (config.COUNTY_RACES) or BLACK_WHITE_GAP (white minus Black, interval from
    both standard errors). A group with no published estimate in a county is missing, never zero.
    """
    if group not in COUNTY_GROUPS:
        raise ValueError(f"Unknown group {group!r}; expected one of: {', '.join(COUNTY_GROUPS)}")
    if gender not in config.GENDERS:
        raise ValueError(f"Unknown gender {gender!r}; expected one of: {', '.join(config.GENDERS)}")
    if group == BLACK_WHITE_GAP:  # stats.gap, vectorised: white minus Black, independent errors
        white, black = (counties[RANK_METRIC.source_column(r, gender)].to_numpy(dtype="float64")
                        for r in ("white", "black"))
        white_se, black_se = (counties[RANK_METRIC.se_column.format(race=r, gender=gender)].to_numpy(dtype="float64")
                              for r in ("white", "black"))
        value, se = white - black, np.hypot(white_se, black_se)
    else:
        value = counties[RANK_METRIC.source_column(group, gender)].to_numpy(dtype="float64")
        se = counties[RANK_METRIC.se_column.format(race=group, gender=gender)].to_numpy(dtype="float64")
    low, high = value - stats.Z95 * se, value + stats.Z95 * se
    return pd.DataFrame({"county_fips": counties["county_fips"].to_numpy(), "value": value,
                         "low": low, "high": high})


def county_scale(counties: pd.DataFrame, group: str) -> scales.Scale:
    """Bins shared by every gender and race group so that switching groups shows real differences.

    Ranks: quantiles of the all-children county ranks. The gap: quantiles of the all-children gap,
    with the palette reversed (a larger gap is worse, so it is warm).
    """
    if group == BLACK_WHITE_GAP:
        gap = county_values(counties, BLACK_WHITE_GAP)["value"]
        scale = scales.make_scale(gap, GAP_METRIC, "all US counties with both estimates")
        return scales.Scale(scale.metric, scale.breaks, scale.colours[::-1], scale.basis)
    ranks = counties[RANK_METRIC.source_column("pooled", "pooled")]
    return scales.make_scale(ranks, RANK_METRIC, "all US counties (all children)")


def county_metric(group: str) -> config.Metric:
    return GAP_METRIC if group == BLACK_WHITE_GAP else RANK_METRIC


def county_features(shapes: pd.DataFrame, values: pd.DataFrame, metric: config.Metric, scale: scales.Scale,
                    geometries: Mapping[str, dict]) -> list[dict]:
    """One feature per county polygon (every county in `shapes`) with COUNTY_PROPERTIES; grey if missing."""
    frame = shapes[["county_fips", "county_name", "state_name"]].merge(values, on="county_fips", how="left")
    names = _escaped(f"{config.county_label(n, s)}, {s}" for n, s in zip(frame["county_name"], frame["state_name"]))
    texts = _escaped(metric.format(v) if v == v else "no estimate" for v in frame["value"])
    intervals = _escaped("-" if low != low else f"{metric.format(low)} to {metric.format(high)}"
                         for low, high in zip(frame["low"], frame["high"]))
    columns = zip(frame["county_fips"], names, texts, intervals, bin_field(frame["value"], scale))
    return [{"geometry": geometries[fips], "n": n, "v": v, "i": i, "b": b}
            for fips, n, v, i, b in columns if geometries.get(fips)]


def city_labels(study_counties: pd.DataFrame, geometries: Mapping[str, dict]) -> list[dict]:
    """One label per city at the middle of its main county's bounding box.

    study_counties has city_id, county_fips and is_main (the county holding most of the city).
    """
    labels = []
    for row in study_counties[study_counties["is_main"]].itertuples():
        geometry = geometries.get(row.county_fips)
        if geometry:
            west, south, east, north = bounds([geometry])
            labels.append({"text": config.get_city(row.city_id).name,
                           "position": [round((west + east) / 2, 3), round((south + north) / 2, 3)]})
    return labels


def national_county_deck(counties: pd.DataFrame, shapes: pd.DataFrame, geometries: Mapping[str, dict],
                         study_counties: pd.DataFrame, group: str = "pooled", gender: str = "pooled",
                         basemap: bool = False, width: int = MAP_WIDTH, height: int = COUNTY_MAP_HEIGHT
                         ) -> CompactDeck:
    """Every US county coloured by the household income rank at p25 of a group, or the Black-white gap.

    - counties: the counties table; shapes: the national_counties table (county_fips, names);
      geometries: county_fips -> GeoJSON (`store.national_county_geometries`).
    - study_counties: the nine cities' counties (city_id, county_fips, is_main): outlined and labelled.
    Counties with no estimate for the group are grey ("no estimate").
    """
    metric, values = county_metric(group), county_values(counties, group, gender)
    scale = county_scale(counties, group)
    label = html.escape(f"{metric.label} ({config.GENDERS[gender].lower()})", quote=False)
    layers = {
        "Counties": pdk.Layer("GeoJsonLayer", data=county_features(shapes, values, metric, scale, geometries),
                              id="counties", pickable=True, stroked=True, filled=True,
                              get_fill_color=fill_accessor(scale), get_line_color=[255, 255, 255, 90],
                              get_line_width=0.3, line_width_units=_literal("pixels"), auto_highlight=True,
                              highlight_color=[0, 0, 0, 60]),
        "Study counties": pdk.Layer(
            "GeoJsonLayer", id="study_counties", pickable=False, stroked=True, filled=False,
            data=[{"geometry": geometries[f]} for f in study_counties["county_fips"] if geometries.get(f)],
            get_line_color=[0, 0, 0], get_line_width=2, line_width_units=_literal("pixels")),
        "City labels": pdk.Layer(
            "TextLayer", id="city_labels", data=city_labels(study_counties, geometries), get_text="text",
            get_position="position", get_size=14, get_color=[20, 20, 20], background=True,
            font_family=_literal("Source Sans Pro, Helvetica, Arial, sans-serif"), font_weight=600,
            get_background_color=[255, 255, 255, 210], get_pixel_offset=[0, -14], pickable=False),
    }
    tooltip = {"html": f"<b>{{n}}</b><br/>{label}: <b>{{v}}</b><br/>95% interval: {{i}}",
               "style": {"fontSize": "14px"}}
    return make_deck(layers, fit_view(CONTIGUOUS_US, width, height), tooltip, basemap)


# ---------------------------------------------------------------------------------------------
# A partner's own data ("Your data"), drawn beside the mobility layer

OWN_DATA_LAYER = "Your data"   # the display name of the layer in the layers dict
OWN_DATA_LAYER_ID = "own_data"
OWN_DATA_COLOURS = ((158, 154, 200), (128, 125, 186), (106, 81, 163), (84, 39, 143), (63, 0, 125))
"""ColorBrewer Purples (colour-blind safe), darker = higher. Purple is not in the outcome palette
(RdYlBu), so the partner's circles read apart from the tract colours underneath."""
OWN_DATA_RADII = (4, 6, 8, 10, 12)  # pixels: higher values also get bigger circles (readable without colour)
OWN_DATA_MISSING = "no value in your file"
OWN_DATA_ABSENT = "-"  # a tract the file has no row for (short: it is written into every tract feature)
POINT_MARGIN = 0.05  # degrees (about 5 km) around the study area within which uploaded points are drawn
POINT_DIGITS = 4  # decimals kept of circle positions (about 10 m, as the tract shapes): compact JSON


@dataclass(frozen=True)
class OwnData:
    """A validated upload (explorer.upload.UploadResult) and the column chosen to show.

    kind "tracts": frame has `tract` (11-digit GEOID) and numeric columns; kind "points": frame has
    `latitude`, `longitude` and numeric columns (column may be None: points in one colour).
    """
    kind: str
    frame: pd.DataFrame
    column: str | None = None


def _own_column(own: OwnData) -> pd.Series | None:
    """The chosen column's values as floats (NaN = the file had no value); ValueError if unknown."""
    if own.column is None and own.kind == "points":
        return None
    reserved = {"tract", "latitude", "longitude"}
    if own.column not in own.frame.columns or own.column in reserved:
        raise ValueError(f"The uploaded file has no numeric column {own.column!r}")
    return own.frame[own.column].astype("float64")


def own_data_metric(column: str, values: pd.Series) -> config.Metric:
    """A stand-in Metric for an uploaded column: its name as the label, whole numbers when all are whole."""
    known = values.dropna()
    whole = bool(len(known)) and bool((known == known.round()).all())
    return config.Metric(OWN_DATA_LAYER_ID, column, "A column of the file you uploaded.", "as in your file",
                         "{:,.0f}" if whole else "{:,.2f}", True, "upload", "your file", column)


def own_data_scale(values: pd.Series, column: str) -> scales.Scale:
    """Up to five quantile bins of the uploaded values, coloured from OWN_DATA_COLOURS' dark end."""
    metric = own_data_metric(column, values)
    breaks = scales.quantile_breaks(values, metric, len(OWN_DATA_COLOURS))
    return scales.Scale(metric, breaks, OWN_DATA_COLOURS[-(len(breaks) + 1):], "the values in your file")


def tract_centres(shapes: QuantizedShapes, tract_ids: Iterable[str]) -> np.ndarray:
    """(lon, lat) in degrees of the middle of each tract's outer ring (its largest part's bounding box).

    Cheap (no polygon maths), and close enough to place one symbol per tract on a city map.
    """
    def middle(geometry: dict) -> tuple[float, float]:
        parts = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        ring = max(parts, key=lambda part: len(part[0]))[0]
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]  # plain lists: faster than numpy for ~50 points
        return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2

    offsets = np.array([middle(shapes.geometries[t]) for t in tract_ids], dtype="float64").reshape(-1, 2)
    return offsets * UNIT + np.asarray(shapes.origin)


def own_data_circles(own: OwnData, shapes: QuantizedShapes) -> tuple[list[dict], list, list[int]]:
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
    bins = bin_field(values, scale) if scale else [0] * len(positions)
    palette = scale.palette if scale else np.array([OWN_DATA_COLOURS[-1]])
    radii = [*OWN_DATA_RADII[-len(scale.colours):], 3] if scale else [OWN_DATA_RADII[2]]
    data = [{"c": c, "b": b} for c, b in zip(np.round(positions, POINT_DIGITS).tolist(), bins)]
    return data, np.asarray(palette).astype(int).tolist(), radii


def own_data_layer(own: OwnData, shapes: QuantizedShapes) -> pdk.Layer:
    """The "Your data" layer (own_data_circles) for pydeck.

    Circles, not a second set of tract polygons, so the outcome colours stay readable underneath and
    the payload stays small (Wayne's 609 tracts as polygons would almost double the map's JSON).
    Not pickable: hovers and clicks reach the tracts below, whose tooltip carries the uploaded value
    (field `u`, see own_data_texts).
    """
    data, palette, radii = own_data_circles(own, shapes)
    return pdk.Layer("ScatterplotLayer", data=data, id=OWN_DATA_LAYER_ID, pickable=False, get_position="c",
                     get_fill_color=palette_accessor(np.array(palette)),
                     get_radius=f"({json.dumps(radii)})[b]", radius_units=_literal("pixels"), stroked=True,
                     get_line_color=[255, 255, 255], get_line_width=1, line_width_units=_literal("pixels"))


def points_on_map(points: pd.DataFrame, shapes: QuantizedShapes) -> np.ndarray:
    """Which uploaded points lie on the map (the study area's bounding box plus POINT_MARGIN degrees).

    Points elsewhere are not drawn: they could not be seen, and a national list of sites would
    otherwise send megabytes to the browser on every click.
    """
    west, south, east, north = shapes.bounds
    lon, lat = points["longitude"].to_numpy(dtype="float64"), points["latitude"].to_numpy(dtype="float64")
    return ((lon >= west - POINT_MARGIN) & (lon <= east + POINT_MARGIN)
            & (lat >= south - POINT_MARGIN) & (lat <= north + POINT_MARGIN))


MAX_POINTS_DRAWN = 3_000  # more circles than this slow every visitor's rerun and a phone's drawing
THINNED_LABEL = "thinned out (not drawn)"


def thinned_note(own: OwnData, shapes: QuantizedShapes) -> str | None:
    """What the page says under the legend when a points file was thinned, else None."""
    if own.kind != "points":
        return None
    on_map = int(points_on_map(own.frame, shapes).sum())
    if on_map <= MAX_POINTS_DRAWN:
        return None
    return (f"Your file has {on_map:,} places on this map; {MAX_POINTS_DRAWN:,} of them are drawn, spread evenly "
            "through the file, so that the map stays quick for everyone. The table under \u201cAdd your own data\u201d lists them all.")


def drawn_points(points: pd.DataFrame, shapes: QuantizedShapes) -> np.ndarray:
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
    metric = own_data_metric(own.column, values)
    by_tract = dict(zip(own.frame["tract"], values))
    def text(tract: str) -> str:
        if tract not in by_tract:
            return OWN_DATA_ABSENT
        value = by_tract[tract]
        return OWN_DATA_MISSING if value != value else metric.format(value)
    texts = [text(t) for t in tract_ids]
    return _escaped(texts) if escape else texts


def own_data_tooltip(tooltip: dict, column: str) -> dict:
    """The tract tooltip plus a line with the uploaded column; its name is escaped, braces included
    (the frontend fills {field} placeholders, so a column named '{v}' must not become one)."""
    name = html.escape(column, quote=False).replace("{", "&#123;").replace("}", "&#125;")
    return {**tooltip, "html": f"{tooltip['html']}<br/>Your data, {name}: <b>{{u}}</b>"}


def own_data_legend(own: OwnData, shapes: QuantizedShapes) -> pd.DataFrame:
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
                               "range": ["places in your file"], "points": [len(frame)]})
    else:
        legend = scales.legend_table(values, own_data_scale(values, own.column))
        legend.iloc[-1, 1] = OWN_DATA_MISSING
        legend = legend.rename(columns={"tracts": "tracts" if own.kind == "tracts" else "points"})
    if thinned:
        legend.loc[len(legend)] = ["#ffffff", THINNED_LABEL, thinned]
    off_map = len(own.frame) - len(frame) - thinned
    if off_map:
        legend.loc[len(legend)] = ["#ffffff", "outside this map (not drawn)", off_map]
    return legend


def with_own_data(layers: dict[str, pdk.Layer], tooltip: dict, own: OwnData, shapes: QuantizedShapes,
                  shown: Iterable[str]) -> tuple[dict[str, pdk.Layer], dict]:
    """`layers` with "Your data" drawn above the tracts and county lines (below the selection and the
    city outline), and for a tract file the uploaded value in each tract's tooltip.

    shown: the tract ids of mapped_tracts(...) (the tract features' order). The tract features are this call's own
    (built per run), so the `u` field is written into them.
    """
    own_layer, result = own_data_layer(own, shapes), {}
    for name, layer in layers.items():
        if name in ("Selected tracts", "City boundary") and OWN_DATA_LAYER not in result:
            result[OWN_DATA_LAYER] = own_layer
        result[name] = layer
    result.setdefault(OWN_DATA_LAYER, own_layer)
    if own.kind != "tracts":
        return result, tooltip
    for feature, text in zip(layers["Census tracts"].data, own_data_texts(own, shown)):
        feature["u"] = text
    return result, own_data_tooltip(tooltip, own.column)
