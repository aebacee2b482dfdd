"""What the app's own map component (frontend/area_map) draws: pure builders of its spec.

A map is split in two parts, by how often they change:
- `Shapes`: the polygons (integer offsets from an origin, as explorer.maps.deckgl quantizes them), outline
  lines, labels, the feature ids and the tooltip fields that never change (a tract's name). The
  browser keeps them for its whole visit of the map: they cross the wire once, not on every click.
- the styling (`tract_styling`, `county_styling`): each polygon's colour bin, the palette, the tooltip's
  lines and the values that change with the outcome, group or gender, and a partner's points. Its
  `version` names it: a frame that reports holding it gets the selection alone on a click.

Measured with bench/wire.py: a US county map switch sends the bins and tooltip values (about 25 KB
compressed) instead of the whole 1 MB deck, and the browser recolours the shapes it has instead of
tessellating them again.

Texts here are plain text: the component sets them as text content, never as HTML (so nothing is
escaped here, and a tract or column name with < or & shows as typed).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from explorer import config, i18n
from explorer.i18n import _
from explorer.maps import county_map, deckgl, own_layer, scales, tract_map

COUNTY_UNIT = 1e-2  # degrees per step for the county map: its shapes are simplified at 0.04 degrees


def _in_language(name: str, sep: str) -> str:
    """A shapes key or styling version for the reader's language: English keeps the bare name, another
    language adds its code, so that a frame holding one language's titles or tooltips is sent the other's."""
    lang = i18n.current()
    return name if lang == i18n.DEFAULT else f"{name}{sep}{lang}"


@dataclass(frozen=True)
class Shapes:
    """A map's unchanging part. `key` names it (the browser asks again when the key it holds differs)."""
    key: str
    ids: tuple[str, ...]
    payload: dict


def _lines(geometries: Iterable[dict | None], origin, unit: float, colour, width: float) -> dict:
    return {"geometries": [deckgl.quantize_geometry(g, origin, unit) for g in geometries if g],
            "colour": list(colour), "width": width}


def tract_shapes(city_id: str, tracts: pd.DataFrame, shapes: deckgl.QuantizedShapes, boundary: dict | None,
                 county_outlines: list[dict | None], city_only: bool = False) -> Shapes:
    """A city's tracts (tract_map.mapped_tracts order), county lines and city boundary; `n` is each tract's name.

    city_only: the tracts mostly inside the city (`in_city`), framed on the city boundary (the profile's map).
    """
    if city_only:
        tracts = tracts[tracts["in_city"]]
    area = [boundary] if city_only and boundary else [deckgl.bbox_polygon(shapes.bounds), *([boundary] if boundary else [])]
    bounds = deckgl.bounds(area)
    ids = tuple(tracts["tract"])
    payload = {
        "origin": list(shapes.origin), "unit": deckgl.UNIT, "bounds": list(bounds), "ids": list(ids),
        "polygons": [shapes.geometries[t] for t in ids],
        "lines": [_lines(county_outlines, shapes.origin, deckgl.UNIT, deckgl.COUNTY_LINE_COLOUR, 1.5),
                  _lines([boundary], shapes.origin, deckgl.UNIT, deckgl.OUTLINE_COLOUR, 2.5)],
        "labels": [], "fields": {"n": tract_map.tract_labels(tracts).tolist()},
        "area_line_colour": deckgl.TRACT_LINE_COLOUR, "area_line_width": 0.5,
    }
    return Shapes(_in_language(f"{'city-tracts' if city_only else 'tracts'}:{city_id}", ":"), ids, payload)


def county_shapes(shapes: pd.DataFrame, geometries: Mapping[str, dict], study_counties: pd.DataFrame) -> Shapes:
    """Every US county with a polygon, the nine cities' counties outlined and the cities named."""
    drawn = shapes[[bool(geometries.get(f)) for f in shapes["county_fips"]]]
    ids = tuple(drawn["county_fips"])
    quantized = deckgl.quantize_shapes({f: geometries[f] for f in ids}, COUNTY_UNIT)
    study = [geometries.get(f) for f in study_counties["county_fips"]]
    names = [county_map.county_name(n, s) for n, s in zip(drawn["county_name"], drawn["state_name"])]
    payload = {
        "origin": list(quantized.origin), "unit": COUNTY_UNIT, "bounds": list(county_map.CONTIGUOUS_US),
        "ids": list(ids), "polygons": [quantized.geometries[f] for f in ids],
        "lines": [_lines(study, quantized.origin, COUNTY_UNIT, [0, 0, 0], 2)],
        "labels": county_map.city_labels(study_counties, geometries), "fields": {"n": names},
        "area_line_colour": [255, 255, 255, 90], "area_line_width": 0.3,
    }
    return Shapes(_in_language("counties:us", ":"), ids, payload)  # the names are in the reader's language


def _palette(scale: scales.Scale) -> list[list[int]]:
    return np.asarray(scale.palette).astype(int).tolist()


def tract_styling(tracts: pd.DataFrame, metric_id: str, scale: scales.Scale,
                  own: own_layer.OwnData | None = None, shapes: deckgl.QuantizedShapes | None = None) -> dict:
    """Bins, tooltip and (with `own`) the partner's layer for a city's tracts (mapped_tracts order)."""
    metric = config.tract_metric(metric_id)
    values = tracts[metric_id]
    title = "{n}"  # the tract's title (tract_map.tract_labels), sent once with the shapes
    missing = scales.missing_label()
    fields = {"v": [missing if v != v else metric.format(v) for v in values],
              "p": tract_map.percentile_texts(tracts[f"{metric_id}_pctile"])}
    tooltip = [title, f"{metric.label}: {{v}}", _(tract_map.NATIONAL_PERCENTILE_LINE)]
    styling = {"bins": deckgl.bin_field(values, scale), "palette": _palette(scale), "fields": fields,
               "tooltip": tooltip, "points": None}
    if own is not None:
        if own.kind == "tracts":
            fields["u"] = own_layer.own_data_texts(own, tracts["tract"], escape=False)
            tooltip.append(own_layer.tooltip_line(own.column))
        styling["points"] = own_points(own, shapes)
    styling["bins_version"] = _in_language(f"{metric_id}|{scale.breaks}", "|")
    styling["version"] = styling["bins_version"] if own is None else \
        f"{styling['bins_version']}|{_digest([styling['points'], fields.get('u'), tooltip])}"
    return styling


def _digest(value) -> str:
    return hashlib.sha1(json.dumps(value, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def own_points(own: own_layer.OwnData, shapes: deckgl.QuantizedShapes) -> dict:
    """The "Your data" circles (own_layer.own_data_circles): positions in degrees, bins, palette and radii."""
    circles, palette, radii = own_layer.own_data_circles(own, shapes)
    bins = [circle["b"] for circle in circles]
    return {"positions": [circle["c"] for circle in circles], "bins": bins, "palette": palette, "radii": radii,
            "texts": own_layer.point_texts(own, shapes), "version": f"{own.kind}|{own.column}|{len(bins)}|{sum(bins)}"}


def county_styling(counties: pd.DataFrame, ids: Iterable[str], group: str, gender: str) -> dict:
    """Bins and tooltip of the national county map for a group (or the Black-white gap) and gender."""
    metric, scale = county_map.county_metric(group), county_map.county_scale(counties, group)
    values = county_map.county_values(counties, group, gender).set_index("county_fips").reindex(list(ids))
    fields = {"v": [metric.format(v) for v in values["value"]],  # NaN reads config.NO_ESTIMATE
              "i": county_map.interval_texts(metric, values["low"], values["high"])}
    return {"bins": deckgl.bin_field(values["value"], scale), "palette": _palette(scale), "fields": fields,
            "tooltip": county_map.tooltip_lines(metric, gender), "points": None,
            "bins_version": f"{group}|{gender}", "version": f"{group}|{gender}|{i18n.current()}"}
