"""A city's tract map: its tracts coloured by a tract outcome, county lines, the city limit, selected tracts
and (optionally) a partner's own layer; the tract layer the national tract maps reuse."""
from __future__ import annotations

import html
from typing import Mapping

import pandas as pd
import pydeck as pdk

from explorer import config
from explorer.i18n import N_, _
from explorer.maps import deckgl, own_layer, scales

TRACT_LAYER_ID = "tracts"  # the layer id that keys the map's selection state
TRACT_PROPERTIES = {
    "n": "the tract's title: its neighborhood and place, and its number as printed on Census maps "
         "('Brightmoor, Detroit - tract 5001'; the county where the label names no neighborhood)",
    "v": "the value in the metric's units, or 'no estimate (fewer than 20 children)'",
    "p": "national percentile among all US tracts (0-100), or '-'",
    "b": "colour bin (0 = lowest); the number of bins means no estimate (grey)",
}


TRACT_TITLE = N_("{place} - tract {number}")
"""A tract's title: where it is (place_names) and its number (tract_number); `_()` it where it is written."""
NATIONAL_PERCENTILE_LINE = N_("National percentile: {p} (of all US tracts)")
"""The tooltips' percentile line; {p} is the feature's field, filled in by the map in the browser."""


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


def percentile_texts(pctiles: pd.Series) -> list[str]:
    return ["-" if p != p else f"{p:.0f}" for p in pctiles]


def place_names(tracts: pd.DataFrame) -> pd.Series:
    """Where each tract is, in the words people use: the Opportunity Atlas label without its state
    ('Brightmoor, Detroit'), or, where the label names only a place, the place and its county ('Livonia, Wayne
    County'), or the county alone where there is no label (county names in the reader's language)."""
    counties = county_names(tracts)
    names = tracts["name"] if "name" in tracts else pd.Series([None] * len(tracts), index=tracts.index)
    places = []
    for name, county in zip(names.tolist(), counties.tolist()):
        parts = [part.strip() for part in str(name).split(",")] if isinstance(name, str) and name.strip() else []
        parts = parts[:-1] if len(parts) > 1 else parts  # the state's two letters
        places.append(", ".join(parts) if len(parts) > 1 else ", ".join([*parts, county]))
    return pd.Series(places, index=tracts.index, dtype=object)


def tract_labels(tracts: pd.DataFrame) -> pd.Series:
    """The `n` field and every tract's title: 'Brightmoor, Detroit - tract 5001', 'Livonia, Wayne County -
    tract 5566', 'Wayne County - tract 9800' (TRACT_PROPERTIES), in the reader's language (TRACT_TITLE)."""
    template = _(TRACT_TITLE)
    return pd.Series([template.format(place=place, number=number) for place, number in
                      zip(place_names(tracts).tolist(), tract_number(tracts["tract"]).tolist())],
                     index=tracts.index, dtype=object)


def tract_tooltip(metric: config.Metric, tracts: pd.DataFrame) -> dict:
    """The hover template; {n} {v} {p} are TRACT_PROPERTIES filled in by deck.gl (escaped values)."""
    label = html.escape(metric.label, quote=False)
    percentile = html.escape(_(NATIONAL_PERCENTILE_LINE), quote=False)
    return {"html": f"<b>{{n}}</b><br/>{label}: <b>{{v}}</b><br/>{percentile}",
            "style": {"fontSize": "14px"}}


def mapped_tracts(tracts: pd.DataFrame, shapes: deckgl.QuantizedShapes) -> pd.DataFrame:
    """The rows drawn, in feature order (tracts with a polygon): selection indices point into this."""
    drawn = shapes.geometries
    # A list mask: Series.isin over dict keys builds a hash table on every call (17x slower here, on every rerun)
    return tracts[[tract in drawn for tract in tracts["tract"].tolist()]].reset_index(drop=True)


def tract_features(tracts: pd.DataFrame, shapes: deckgl.QuantizedShapes, metric_id: str, scale: scales.Scale
                   ) -> list[dict]:
    """One GeoJSON feature per mapped tract (mapped_tracts order) with the TRACT_PROPERTIES fields.

    Tracts without an estimate stay on the map, grey, with 'no estimate (fewer than 20 children)'.
    """
    metric = config.tract_metric(metric_id)
    rows = mapped_tracts(tracts, shapes)
    values = rows[metric_id]
    missing = scales.missing_label()
    texts = deckgl.escaped(missing if v != v else metric.format(v) for v in values)
    columns = zip(rows["tract"], deckgl.escaped(tract_labels(rows)), texts,
                  percentile_texts(rows[f"{metric_id}_pctile"]), deckgl.bin_field(values, scale))
    return [{"geometry": shapes.geometries[t], "n": n, "v": v, "p": p, "b": b} for t, n, v, p, b in columns]


def tract_layer(features: list[dict], fill: str, origin) -> pdk.Layer:
    """The pickable "Census tracts" layer (id TRACT_LAYER_ID) that every tract map draws: `features` carry their
    fields beside the geometry, `fill` is a deck.gl colour expression (deckgl.fill_accessor, palette_accessor)."""
    return pdk.Layer("GeoJsonLayer", data=features, id=TRACT_LAYER_ID, pickable=True, stroked=True, filled=True,
                     get_fill_color=fill, get_line_color=deckgl.TRACT_LINE_COLOUR, get_line_width=0.5,
                     line_width_units=deckgl.literal("pixels"), auto_highlight=True, highlight_color=[0, 0, 0, 60],
                     **deckgl.offset_props(origin))


FOUND_OUTLINES = {"Search matches, halo": ("found_halo", [255, 255, 255], 5),
                  "Search matches": ("found", [0, 50, 150], 2.5)}
"""A search's matches: a white halo under a dark blue line (seen on red and on blue tracts alike); the app's
own map (frontend/area_map) draws the same two lines."""


def tract_layers(tracts: pd.DataFrame, shapes: deckgl.QuantizedShapes, boundary: dict | None,
                 county_outlines: list[dict], metric_id: str, scale: scales.Scale,
                 selected: tuple[str, ...] = (), found: tuple[str, ...] = ()) -> dict[str, pdk.Layer]:
    """The tract map's layers by display name, bottom to top.

    "Census tracts" (id TRACT_LAYER_ID, pickable) coloured by `scale`; "County lines" faint; a search's
    matches (`found`) in dark blue on a white halo, as the app's own map draws them; "Selected tracts"
    outlined in black; "City boundary" on top.
    """
    layers = {
        "Census tracts": tract_layer(tract_features(tracts, shapes, metric_id, scale), deckgl.fill_accessor(scale),
                                     shapes.origin),
        "County lines": deckgl.outline_layer("county_lines", county_outlines, shapes.origin, deckgl.COUNTY_LINE_COLOUR, 1.5),
    }
    matches = [{"geometry": shapes.geometries[t]} for t in found if t in shapes.geometries]
    for name, (layer_id, colour, width) in FOUND_OUTLINES.items() if matches else ():
        layers[name] = pdk.Layer("GeoJsonLayer", data=matches, id=layer_id, pickable=False, stroked=True,
                                 filled=False, get_line_color=colour, get_line_width=width,
                                 line_width_units=deckgl.literal("pixels"), **deckgl.offset_props(shapes.origin))
    chosen = [shapes.geometries[t] for t in selected if t in shapes.geometries]
    if chosen:
        layers["Selected tracts"] = pdk.Layer(
            "GeoJsonLayer", data=[{"geometry": g} for g in chosen], id="selected_tracts", pickable=False,
            stroked=True, filled=False, get_line_color=[0, 0, 0], get_line_width=3,
            line_width_units=deckgl.literal("pixels"), **deckgl.offset_props(shapes.origin))
    if boundary:
        layers["City boundary"] = deckgl.outline_layer("city_boundary", [boundary], shapes.origin, deckgl.OUTLINE_COLOUR, 2.5)
    return layers


def city_tract_deck(tracts: pd.DataFrame, geometries: deckgl.QuantizedShapes | Mapping[str, dict],
                    boundary: dict | None, county_outlines: list[dict], metric_id: str,
                    scale: scales.Scale, basemap: bool = False, selected: tuple[str, ...] = (),
                    width: int = deckgl.MAP_WIDTH, height: int = deckgl.MAP_HEIGHT,
                    own: own_layer.OwnData | None = None, found: tuple[str, ...] = ()) -> deckgl.CompactDeck:
    """A city's study-area tracts coloured by a tract metric, with county lines and the city outline.

    Arguments come straight from the data layer, e.g. for a small map on another page::

        deck = tract_map.city_tract_deck(
            cache.study_tracts(city_id), cache.quantized_tract_shapes(city_id), cache.city_boundary(city_id),
            [cache.county_outline(f) for f in cache.study_counties(city_id)["county_fips"]],
            "household_income_p25", scale=cache.tract_scale("household_income_p25", "national", city_id))
        st.pydeck_chart(deck, height=300)

    - tracts: `cache.study_tracts` rows (tract, county_fips, county_name, metric and `<metric>_pctile`).
    - geometries: QuantizedShapes (cached by `cache.quantized_tract_shapes`) or plain tract -> GeoJSON
      (quantized here: slower).
    - metric_id: a tract metric (config.TRACT_METRICS); anything else raises ValueError.
    - scale: from `scales.make_scale` (national or within-area bins).
    - selected: tract ids to outline.
    - found: a search's matches, outlined in blue.
    - own: a partner's upload, drawn as the "Your data" layer (with_own_data); None: not drawn.
    The tooltip shows TRACT_PROPERTIES; the selection state is keyed by layer id TRACT_LAYER_ID and
    its indices point into `mapped_tracts(tracts, geometries)`.
    """
    config.tract_metric(metric_id)
    if scale.metric_id != metric_id:
        raise ValueError(f"The colour scale is for {scale.metric_id!r}, not {metric_id!r}")
    # Duck-typed: Streamlit may reload this module while a cached QuantizedShapes of the old class lives on.
    shapes = geometries if hasattr(geometries, "origin") else deckgl.quantize_shapes(geometries)
    layers = tract_layers(tracts, shapes, boundary, county_outlines, metric_id, scale, selected, found)
    tooltip = tract_tooltip(config.get_metric(metric_id), tracts)
    if own is not None:
        shown = [t for t in tracts["tract"] if t in shapes.geometries]  # mapped_tracts' order, without pandas
        layers, tooltip = own_layer.with_own_data(layers, tooltip, own, shapes, shown)
    view = deckgl.fit_view(deckgl.bounds([deckgl.bbox_polygon(shapes.bounds), *([boundary] if boundary else [])]), width, height)
    return deckgl.make_deck(layers, view, tooltip, basemap)
