"""The deck.gl plumbing every map shares: compact decks, quantized shapes, fitting the view, outlines.

Nothing here calls Streamlit: builders return a `pydeck.Deck` that tests can inspect.

Payload. A map's JSON goes to every browser on every rerun, so it is kept small:
- pydeck's own `to_json` pretty-prints (indent=2), which multiplies the size of polygon coordinates;
  `CompactDeck` serialises the same spec without whitespace.
- Coordinates are quantized to integer steps of 1e-4 degree (about 10 m, finer than the 1:500k source)
  measured from a south-west origin, and drawn with deck.gl's `lnglat-offsets` coordinate system plus a
  model matrix that scales the integers back to degrees. Wayne County's 609 tracts take about half the
  bytes of plain GeoJSON this way.
- Feature fields use one-letter keys and carry a colour bin index; the layer looks the colour up in the
  scale's small palette (a deck.gl expression: `fill_accessor`, `bin_field`).

Tooltips. Every value placed in a tooltip is `html.escape`d text (`escaped`); the template itself is
ours. Values sit in element text, never inside an attribute, so quotes are left as they are ("Prince
George's"). Streamlit 1.67's frontend escapes interpolated values once more; our values hold no & < >,
so nothing shows doubled, and the escape here keeps the map safe whatever a future frontend does.

Basemap. Off (the default) sets `map_provider=None`, so nothing is fetched from the internet and only
our own layers are drawn. (In Streamlit, `map_style=None` does *not* mean "no basemap": it picks a Carto
basemap from the theme.) On uses Carto's token-free light basemap.

Layers are kept in an ordered dict keyed by display name, so another layer (an uploaded file, say) is
one more entry: `layers = tract_map.tract_layers(...); layers["My sites"] = my_layer; make_deck(...)`.
"""
from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from explorer.maps import scales

UNIT = 1e-4  # degrees per quantized coordinate step
MAP_HEIGHT = 520  # pixels: the height pages give st.pydeck_chart (used to fit the view)
MAP_WIDTH = 640   # pixels: a typical map width on a laptop (wide layout, legend beside it), to fit the view
OUTLINE_COLOUR = [40, 40, 40]
COUNTY_LINE_COLOUR = [90, 90, 90, 140]
TRACT_LINE_COLOUR = [255, 255, 255, 160]
TOOLTIP_STYLE = {"fontSize": "14px", "maxWidth": "380px"}  # the national tract maps' longer tooltips


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


def literal(value: str) -> str:
    """A string prop passed through pydeck unchanged (pydeck turns bare strings into JS accessors)."""
    return f"'{value}'"


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


def bbox_polygon(bbox: tuple[float, float, float, float]) -> dict:
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
        "coordinate_system": literal("lnglat-offsets"),
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


def escaped(texts: Iterable[str]) -> list[str]:
    return [html.escape(str(t), quote=False) for t in texts]


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


def outline_layer(layer_id: str, geometries: list[dict], origin, colour, width: float) -> pdk.Layer:
    """A thin unfilled, unpickable outline of polygons (quantized against the map's origin)."""
    features = [{"geometry": quantize_geometry(g, origin)} for g in geometries if g]
    return pdk.Layer("GeoJsonLayer", data=features, id=layer_id, pickable=False, stroked=True, filled=False,
                     get_line_color=colour, get_line_width=width, line_width_units=literal("pixels"),
                     **offset_props(origin))


def make_deck(layers: Mapping[str, pdk.Layer], view: pdk.ViewState, tooltip: dict | None,
              basemap: bool = False) -> CompactDeck:
    """A compact Deck over `layers` (drawn in dict order); basemap off fetches nothing from the internet."""
    style = {"map_provider": "carto", "map_style": "light"} if basemap else {"map_provider": None}
    return CompactDeck(layers=list(layers.values()), initial_view_state=view, tooltip=tooltip or False, **style)
