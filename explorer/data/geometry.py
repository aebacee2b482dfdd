"""Small geometry helpers for the builds (the bundled data's and the national pack's): how much shapes are
simplified, TopoJSON decoding and compact GeoJSON text.

Map payloads go to every browser on every rerun, so coordinates are rounded (4 decimals is about
10 m, finer than a 1:500k source) and repeated points left by rounding are dropped.
"""
from __future__ import annotations

import json
from typing import Any, Iterator

import shapely
from shapely.geometry import mapping, shape

# Simplification tolerances, in degrees, shared by both builds so that their maps look alike.
TRACT_TOLERANCE = 0.0008      # (~80 m): tract shapes stay readable at city zoom
COUNTY_TOLERANCE = 0.001      # study-county outlines drawn faintly on top
CITY_TOLERANCE = 0.0003
NATIONAL_TOLERANCE = 0.04     # (~4 km): national county map, seen at country zoom
NATIONAL_DIGITS = 2           # decimals kept on the national county map


def _decode_arc(arc: list[list[int]], scale: list[float], translate: list[float]) -> list[list[float]]:
    """A quantized, delta-encoded TopoJSON arc -> absolute lon/lat points."""
    x = y = 0
    points = []
    for dx, dy in arc:
        x += dx
        y += dy
        points.append([x * scale[0] + translate[0], y * scale[1] + translate[1]])
    return points


def _ring(arc_ids: list[int], arcs: list[list[list[float]]]) -> list[list[float]]:
    """Stitch arcs into one ring; a negative id means the arc reversed (~id)."""
    ring: list[list[float]] = []
    for arc_id in arc_ids:
        points = arcs[arc_id] if arc_id >= 0 else arcs[~arc_id][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def topojson_features(topology: dict, object_name: str) -> Iterator[tuple[str, dict, dict]]:
    """Yield (id, properties, GeoJSON geometry) for each polygon of one TopoJSON object."""
    transform = topology["transform"]
    arcs = [_decode_arc(a, transform["scale"], transform["translate"]) for a in topology["arcs"]]
    for geom in topology["objects"][object_name]["geometries"]:
        if geom["type"] == "Polygon":
            coords: Any = [_ring(r, arcs) for r in geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            coords = [[_ring(r, arcs) for r in polygon] for polygon in geom["arcs"]]
        else:  # null geometries carry no shape
            continue
        yield str(geom.get("id", "")), geom.get("properties", {}), {"type": geom["type"], "coordinates": coords}


def _round_ring(ring, digits: int) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y, *_ in ring:
        point = [round(x, digits), round(y, digits)]
        if not out or point != out[-1]:
            out.append(point)
    return out


def _round_polygon(rings, digits: int) -> list:
    rounded = [_round_ring(r, digits) for r in rings]
    return [r for r in rounded if len(r) >= 4]


def geojson_text(geom, digits: int = 4) -> str:
    """Compact GeoJSON text of a shapely geometry (or GeoJSON dict) with rounded coordinates."""
    g = geom if isinstance(geom, dict) else mapping(geom)
    if g["type"] == "Polygon":
        coords: Any = _round_polygon(g["coordinates"], digits)
    elif g["type"] == "MultiPolygon":
        coords = [p for p in (_round_polygon(poly, digits) for poly in g["coordinates"]) if p]
    elif g["type"] == "GeometryCollection":
        polygons = [p for p in getattr(geom, "geoms", []) if p.geom_type in ("Polygon", "MultiPolygon")]
        return geojson_text(shapely.union_all(polygons), digits) if polygons else "null"
    else:
        raise ValueError(f"Expected polygons, got {g['type']}")
    if not coords:
        return "null"
    return json.dumps({"type": g["type"], "coordinates": coords}, separators=(",", ":"))


def polygon_from_geojson(geometry: dict):
    """A valid shapely (Multi)Polygon from GeoJSON, dropping rings too short to enclose area.

    Quantized TopoJSON leaves a few collapsed rings (fewer than 4 points) on tiny islands.
    """
    def keep(rings):
        rings = [r for r in rings if len(r) >= 4]
        return rings if rings and len(rings[0]) >= 4 else []
    if geometry["type"] == "Polygon":
        geom = shape({"type": "Polygon", "coordinates": keep(geometry["coordinates"])})
    else:
        polygons = [p for p in (keep(p) for p in geometry["coordinates"]) if p]
        geom = shape({"type": "MultiPolygon", "coordinates": polygons})
    geom = shapely.make_valid(geom)
    if geom.geom_type == "GeometryCollection":
        geom = shapely.union_all([p for p in geom.geoms if p.geom_type in ("Polygon", "MultiPolygon")])
    return geom
