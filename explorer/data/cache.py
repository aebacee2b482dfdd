"""The shared cached data layer: every read of data/processed in the app goes through here.

Thin `st.cache_data` wrappers over `explorer.data.store`. Each cached function takes small hashable
arguments (a table name, a city id, a FIPS code) plus the data folder as a string, so the cache
key says exactly what was read and nothing global leaks in. Callers use the public functions,
which fill in the data folder from `config.processed_dir()`.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from explorer import config, i18n
from explorer.data import store
from explorer.data.store import DataFileError  # noqa: F401  (re-exported for pages and app.py)

if TYPE_CHECKING:  # the loaders that return tables import pandas through store.read_table
    import pandas as pd


def _dir() -> str:
    return str(config.processed_dir())


@st.cache_data(show_spinner=False, max_entries=32)
def _table(name: str, data_dir: str) -> pd.DataFrame:
    return store.read_table(name, Path(data_dir))


@st.cache_data(show_spinner=False, max_entries=64)
def _study_counties(city_id: str, data_dir: str) -> pd.DataFrame:
    return store.study_counties(city_id, Path(data_dir))


@st.cache_data(show_spinner=False, max_entries=64)
def _study_tracts(city_id: str, data_dir: str) -> pd.DataFrame:
    return store.study_tracts(city_id, Path(data_dir))


@st.cache_data(show_spinner=False, max_entries=64)
def _tract_geometries(city_id: str, data_dir: str) -> dict[str, dict]:
    return store.tract_geometries(city_id, Path(data_dir))


@st.cache_data(show_spinner=False, max_entries=128)
def _outline(kind: str, key: str, data_dir: str) -> dict | None:
    return store.outline(kind, key, Path(data_dir))


@st.cache_data(show_spinner=False, max_entries=4)
def _headlines(data_dir: str, lang: str) -> dict[str, dict]:
    with i18n.speaking(lang):  # the cards name their counties in the reader's language
        return store.headlines(Path(data_dir))


def table(name: str) -> pd.DataFrame:
    """A whole processed table (see config.PROCESSED_FILES); prefer the narrower loaders below."""
    return _table(name, _dir())


def study_counties(city_id: str) -> pd.DataFrame:
    return _study_counties(city_id, _dir())


def study_tracts(city_id: str) -> pd.DataFrame:
    return _study_tracts(city_id, _dir())


def tract_geometries(city_id: str) -> dict[str, dict]:
    return _tract_geometries(city_id, _dir())


def city_boundary(city_id: str) -> dict | None:
    return _outline("city", city_id, _dir())


def county_outline(county_fips: str) -> dict | None:
    return _outline("county", county_fips, _dir())


def headline(city_id: str) -> dict:
    """The home card numbers of one city (all nine are read and cached together)."""
    config.get_city(city_id)
    return _headlines(_dir(), i18n.current())[city_id]


def counties() -> pd.DataFrame:
    return table("counties")


def national_percentiles() -> pd.DataFrame:
    return table("national_percentiles")


@st.cache_data(show_spinner=False, max_entries=4)
def _pilots(path: str):
    from explorer import pilots as pilot_profiles  # here, not at the top: this block is appended
    return pilot_profiles.load_pilots(path)


def pilots(path: str | None = None):
    """The nine pilot profiles (data/pilots.yaml), checked against the schema (explorer.pilots)."""
    return _pilots(str(path or config.PILOTS_FILE))


@st.cache_data(show_spinner=False, max_entries=4)
def _evidence(path: str, pilots_path: str):
    from explorer import evidence as studies
    profiles = _pilots(pilots_path).profiles
    return studies.load_evidence({city: profile.themes for city, profile in profiles.items()}, path)


def evidence(path: str | None = None):
    """What studies elsewhere found about each kind of pilot (data/evidence.yaml, checked against the pilots'
    themes by explorer.evidence)."""
    from explorer.evidence import EVIDENCE_FILE
    return _evidence(str(path or EVIDENCE_FILE), str(config.PILOTS_FILE))


def brief_inputs(city_id: str, link: str | None = None):
    """What the city's printable brief shows (explorer.exports.BriefInputs), from this layer's cached tables
    and the neighborhood map's own colour scale; a missing or broken pilots (or evidence) file leaves the pilot
    (or the evidence) out.
    `link` is the city's live view, printed on the brief as text and as a QR code."""
    from explorer import exports  # here: the PDF and chart engines load only when a brief is asked for
    config.get_city(city_id)
    try:
        profiles = pilots()
    except (ValueError, OSError):
        profiles = None
    try:
        studies = evidence()
    except (ValueError, OSError):
        studies = None
    return exports.BriefInputs(counties=counties(), national=national_percentiles(), tracts=study_tracts(city_id),
                               geometries=tract_geometries(city_id), boundary=city_boundary(city_id),
                               scale=tract_scale(exports.INCOME.id, "national", city_id), pilots=profiles,
                               link=link, evidence=studies)


# --- Maps (issue 3): cached inputs of the map builders --------------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=16)
def _quantized_tract_shapes(city_id: str, data_dir: str):
    from explorer.maps import deckgl
    return deckgl.quantize_shapes(_tract_geometries(city_id, data_dir))


def quantized_tract_shapes(city_id: str):
    """The city's tract polygons quantized for the map (maps.QuantizedShapes).

    A shared read-only object (never mutated by the builders), so it is cached as a resource:
    copying ~6,000 points per rerun would cost more than building the map.
    """
    return _quantized_tract_shapes(city_id, _dir())


@st.cache_data(show_spinner=False, max_entries=64)
def _tract_scale(metric_id: str, scale_id: str, city_id: str, data_dir: str):
    from explorer.maps import scales
    study = _study_tracts(city_id, data_dir) if scale_id == "within" else None
    national = _table("tracts", data_dir) if scale_id == "national" else None
    return scales.tract_scale(metric_id, scale_id, national, study)


def tract_scale(metric_id: str, scale_id: str, city_id: str):
    """Colour bins for a tract metric: national ("national") or the city's study area ("within")."""
    return _tract_scale(metric_id, scale_id, city_id, _dir())


@st.cache_data(show_spinner=False, max_entries=8)
def _tract_medians(metric_id: str, data_dir: str) -> dict:
    return store.tract_medians(metric_id, Path(data_dir))


def tract_medians(metric_id: str) -> dict:
    """National, county and commuting-zone medians of a tract metric (see store.tract_medians)."""
    return _tract_medians(metric_id, _dir())


@st.cache_resource(show_spinner=False, max_entries=2)
def _national_county_geometries(data_dir: str) -> dict[str, dict]:
    """County FIPS -> polygon for the national map (shared, read-only: cached as a resource)."""
    return store.national_county_geometries(Path(data_dir))


# --- Derived views kept warm for every visitor (built by pure explorer modules) ------------------------

def _all_study_counties(data_dir: str) -> pd.DataFrame:
    """Every city's study counties stacked (city_id, county_fips, is_main, names)."""
    import pandas as pd
    return pd.concat([_study_counties(city_id, data_dir) for city_id in config.CITIES], ignore_index=True)


@st.cache_data(show_spinner=False, max_entries=64)
def _gap_curves(outcome: str, genders: tuple[str, ...], races: tuple[str, ...], data_dir: str, lang: str):
    from explorer import charts, i18n
    with i18n.speaking(lang):
        return charts.shown(charts.curves_figure(_table("national_percentiles", data_dir), outcome, genders, races))


def gap_curves(outcome: str, genders: tuple[str, ...], races: tuple[str, ...]):
    """One national outcome's curves by race for the given genders, as light Vega-Lite specs + table, in the
    reader's language."""
    from explorer import i18n
    return _gap_curves(outcome, genders, races, _dir(), i18n.current())


@st.cache_data(show_spinner=False, max_entries=16)
def _gap_county_views(city_id: str, data_dir: str, lang: str) -> dict:
    from explorer import charts, gaps, i18n
    with i18n.speaking(lang):
        study = gaps.stack_study_counties({c: _study_counties(c, data_dir) for c in config.CITIES}, city_id)
        figures = charts.county_figures(_table("national_percentiles", data_dir), _table("counties", data_dir),
                                        study)
        return {name: charts.shown(figure) for name, figure in figures.items()}


def gap_county_views(city_id: str) -> dict:
    """The county gap charts (cities vs nation, all-county scatter, 2014 mobility), `city_id` highlighted, in the
    reader's language."""
    from explorer import i18n
    return _gap_county_views(city_id, _dir(), i18n.current())


@st.cache_resource(show_spinner=False, max_entries=12)
def _county_deck(group: str, gender: str, basemap: bool, data_dir: str, lang: str):
    from explorer.maps import county_map
    with i18n.speaking(lang):
        return county_map.national_county_deck(_table("counties", data_dir), _table("national_counties", data_dir),
                                               _national_county_geometries(data_dir), _all_study_counties(data_dir),
                                               group, gender, basemap=basemap)


def county_deck(group: str, gender: str, basemap: bool):
    """The national county map for one choice: one shared, read-only deck (the 1 MB map is built once per
    language)."""
    return _county_deck(group, gender, basemap, _dir(), i18n.current())


@st.cache_data(show_spinner=False, max_entries=4)
def _national_pack_summary(base: str, lang: str):
    from explorer import i18n
    from explorer.national import read
    counties = read.pack_counties(Path(base)).drop(columns="outline")
    with i18n.speaking(lang):
        counties["label"] = read.county_labels(counties)
    return read.read_manifest(Path(base)), counties


def national_pack_summary():
    """The optional national pack's manifest and county list (explorer.national.read), the counties' labels in
    the reader's language."""
    from explorer import i18n
    from explorer.national import read
    return _national_pack_summary(str(read.national_dir()), i18n.current())


@st.cache_data(show_spinner=False, max_entries=32)
def _national_county_data(county_fips: str, base: str):
    from explorer.maps import deckgl
    from explorer.national import read
    shapes = read.county_tract_shapes(county_fips, Path(base))
    return (read.county_tracts(county_fips, Path(base)), deckgl.quantize_shapes(shapes) if shapes else None,
            read.county_outline(county_fips, Path(base)))


@st.cache_data(show_spinner=False, max_entries=32)
def _tract_titles(county_fips: str, data_dir: str, lang: str) -> dict[str, str]:
    from explorer.maps import tract_map
    tracts = _table("tracts", data_dir)
    tracts = tracts.loc[tracts["county_fips"] == county_fips, ["tract", "county_fips", "name"]]
    names = _table("counties", data_dir).set_index("county_fips")["county_name"]
    tracts = tracts.assign(county_name=tracts["county_fips"].map(names).fillna(""))
    with i18n.speaking(lang):
        return dict(zip(tracts["tract"], tract_map.tract_labels(tracts)))


def tract_titles(county_fips: str) -> dict[str, str]:
    """Tract id -> title ('Brightmoor, Detroit - tract 5434') for any US county, from the bundled tract labels
    (the national pack has none of its own), in the reader's language."""
    return _tract_titles(county_fips, _dir(), i18n.current())


def national_county_data(county_fips: str):
    """One county from the national pack: tract outcomes by race and gender, quantized shapes, outline."""
    from explorer.national import read
    return _national_county_data(county_fips, str(read.national_dir()))


@st.cache_data(show_spinner=False, max_entries=2)
def _national_values(data_dir: str) -> dict[str, float]:
    from explorer import profiles
    return profiles.national_values(_table("counties", data_dir), _table("tracts", data_dir),
                                    _table("national_percentiles", data_dir))


@st.cache_data(show_spinner=False, max_entries=32)
def _city_key_numbers(city_id: str, data_dir: str, lang: str) -> pd.DataFrame:
    from explorer import i18n, profiles
    county = store.pick_county(_table("counties", data_dir), config.get_city(city_id).main_county)
    with i18n.speaking(lang):  # the frame holds texts (labels, "no estimate", "higher (better)"): one per language
        return profiles.key_numbers(county, _study_tracts(city_id, data_dir), _national_values(data_dir))


def city_key_numbers(city_id: str) -> pd.DataFrame:
    """The city's key numbers next to the nation (explorer.profiles.key_numbers), computed once per city and
    language."""
    from explorer import i18n
    return _city_key_numbers(city_id, _dir(), i18n.current())


@st.cache_data(show_spinner=False, max_entries=64)
def _comparison(city_ids: tuple[str, ...], sort_header: str, descending: bool, chart_column: str, data_dir: str,
                lang: str):
    from explorer import charts, i18n, profiles
    with i18n.speaking(lang):
        per_city = {config.CITIES[c].label: _city_key_numbers(c, data_dir, lang) for c in city_ids}
        table = profiles.sort_cities(profiles.comparison_table(per_city), sort_header, descending)
        key = profiles.key_for_column(chart_column)
        chart = profiles.comparison_chart(table, key, profiles.comparison_intervals(per_city, key.id))
        return table, charts.light_spec(chart)


def comparison(city_ids: tuple[str, ...], sort_header: str, descending: bool, chart_column: str):
    """The compare page's table of the cities' key numbers (sorted by the column headed `sort_header`) and its
    chart of one column as a light Vega-Lite spec, built once per choice and language: building and checking
    the Altair chart was half of the page's run, paid again by every visitor (and every follower of a room)."""
    from explorer import i18n
    return _comparison(tuple(city_ids), sort_header, descending, chart_column, _dir(), i18n.current())


@st.cache_resource(show_spinner=False, max_entries=4)
def _county_shapes(data_dir: str, lang: str):
    from explorer.maps import area_map
    with i18n.speaking(lang):
        return area_map.county_shapes(_table("national_counties", data_dir), _national_county_geometries(data_dir),
                                      _all_study_counties(data_dir))


def county_shapes():
    """The national county map's shapes for the app's map component (built once per language, shared,
    read-only: the counties' names are in the reader's language)."""
    return _county_shapes(_dir(), i18n.current())


@st.cache_resource(show_spinner=False, max_entries=64)
def _county_styling(group: str, gender: str, data_dir: str, lang: str) -> dict:
    from explorer.maps import area_map
    with i18n.speaking(lang):
        return area_map.county_styling(_table("counties", data_dir), _county_shapes(data_dir, lang).ids, group, gender)


def county_styling(group: str, gender: str) -> dict:
    """Bins and tooltip values of the county map for one group and gender (explorer.maps.area_map; shared,
    read-only, one per language)."""
    return _county_styling(group, gender, _dir(), i18n.current())


@st.cache_resource(show_spinner=False, max_entries=32)
def _tract_map_shapes(city_id: str, city_only: bool, data_dir: str, lang: str):
    from explorer.maps import area_map, tract_map
    shapes = _quantized_tract_shapes(city_id, data_dir)
    outlines = [_outline("county", f, data_dir) for f in _study_counties(city_id, data_dir)["county_fips"]]
    with i18n.speaking(lang):  # the tracts' titles, and a key that names the language
        return area_map.tract_shapes(city_id, tract_map.mapped_tracts(_study_tracts(city_id, data_dir), shapes),
                                     shapes, _outline("city", city_id, data_dir), outlines, city_only)


def tract_map_shapes(city_id: str, city_only: bool = False):
    """A city's tract shapes for the app's map component (explorer.maps.area_map; shared, read-only).
    city_only: the tracts mostly inside the city, framed on it (the profile's small map)."""
    return _tract_map_shapes(city_id, city_only, _dir(), i18n.current())


@st.cache_resource(show_spinner=False, max_entries=128)
def _tract_comparisons(city_id: str, metric_id: str, data_dir: str, lang: str) -> dict:
    from explorer.maps import tract_details
    with i18n.speaking(lang):
        return tract_details.comparisons(metric_id, _study_tracts(city_id, data_dir),
                                         _tract_medians(metric_id, data_dir), config.CITIES[city_id])


def tract_comparison(city_id: str, metric_id: str, tract_id: str) -> tuple[str, pd.DataFrame]:
    """A study tract's title ('Tract 5001, Wayne County') and its comparison with the city, county, region
    and US medians (explorer.maps.tract_details): built once per city and outcome for every visitor (shared,
    read-only tuples), so a click only lays out a small table."""
    from explorer.maps import tract_details
    title, rows = _tract_comparisons(city_id, metric_id, _dir(), i18n.current())[tract_id]
    return title, tract_details.comparison_frame(metric_id, rows)


@st.cache_data(show_spinner=False, max_entries=128)
def _tract_table(city_id: str, metric_id: str, data_dir: str, lang: str) -> pd.DataFrame:
    from explorer.maps import tract_details
    with i18n.speaking(lang):
        return tract_details.tract_table(_study_tracts(city_id, data_dir), metric_id)


@st.cache_data(show_spinner=False, max_entries=256)
def _tract_matches(city_id: str, query: str, data_dir: str, lang: str) -> tuple[str, ...]:
    from explorer.maps import tract_details
    table = _tract_table(city_id, "household_income_p25", data_dir, lang)  # titles and ids: the same for any metric
    with i18n.speaking(lang):  # the titles' words in the reader's language ("condado", "county")
        return tuple(tract_details.search_tracts(table, query)[tract_details.column("id")])


def tract_matches(city_id: str, query: str) -> tuple[str, ...]:
    """The ids of a city's tracts matching a search (tract_details.search_tracts), worked out once per query:
    the search row and the table below both use it, and every rerun of the page would otherwise fold the
    titles again."""
    return _tract_matches(city_id, query, _dir(), i18n.current())


def tract_table(city_id: str, metric_id: str) -> pd.DataFrame:
    """The neighborhood map's values as a table, one row per study tract (tract_details.tract_table), its
    headers and titles in the reader's language."""
    return _tract_table(city_id, metric_id, _dir(), i18n.current())


@st.cache_resource(show_spinner=False, max_entries=128)
def _tract_styling(city_id: str, metric_id: str, scale_id: str, data_dir: str, lang: str) -> dict:
    from explorer.maps import area_map, tract_map
    tracts = tract_map.mapped_tracts(_study_tracts(city_id, data_dir), _quantized_tract_shapes(city_id, data_dir))
    scale = _tract_scale(metric_id, scale_id, city_id, data_dir)
    with i18n.speaking(lang):  # the tooltip's lines and values, and a version that names the language
        return area_map.tract_styling(tracts, metric_id, scale)


def tract_styling(city_id: str, metric_id: str, scale_id: str) -> dict:
    """The neighborhood map's bins and tooltip values for an outcome and colour scale (explorer.maps.area_map),
    without a partner's data (that is per session: area_map.tract_styling builds it). Shared and read-only
    (a resource, not a copy per call: every tract click reads it)."""
    return _tract_styling(city_id, metric_id, scale_id, _dir(), i18n.current())


# --- The data-walk kit (explorer.walk_kit): each view's poster figure, drawn once for every facilitator ------

def national_county_geometries() -> dict[str, dict]:
    """County FIPS -> polygon for every US county (shared, read-only)."""
    return _national_county_geometries(_dir())


def has_national_pack() -> bool:
    from explorer.national import read
    return read.has_pack(read.national_dir())


def county_label(page: str, state: dict) -> str | None:
    """The tract race gap page's county by name ('Wayne County, Michigan'), when the national pack is there to
    name it; None on any other page (explorer.headline words the view without it)."""
    if page != "tract-gaps" or not has_national_pack():
        return None
    _, counties = national_pack_summary()
    fips = state.get("county") or config.get_city(state.get("city", config.DEFAULT_CITY)).main_county
    match = counties.loc[counties["county_fips"] == fips, "label"]
    return str(match.iloc[0]) if len(match) else None


@st.cache_data(show_spinner=False, max_entries=64)
def _kit_figure(page: str, state_json: str, data_dir: str, national: str, lang: str):
    import json
    import sys

    from explorer import i18n, walk_kit
    with i18n.speaking(lang):  # its legend and notes are words
        return walk_kit.figure(page, json.loads(state_json), sys.modules[__name__])


def kit_figure(page: str, state: dict):
    """The map or chart of one view's poster in the data-walk kit (walk_kit.figure over this layer), kept for
    every facilitator: a kit built again, or another walk with the same view, draws it once."""
    import json

    from explorer import i18n
    from explorer.national import read
    return _kit_figure(page, json.dumps(state, sort_keys=True, default=list), _dir(), str(read.national_dir()),
                       i18n.current())


@st.cache_data(show_spinner=False, max_entries=8)
def _kit_pdf(walk_toml: str, root: str, minutes: int, data_dir: str, national: str, lang: str) -> bytes:
    import sys

    from explorer import i18n, views, walk_kit
    with i18n.speaking(lang):  # the kit's own words, its headlines and its links' ?lang=
        walk = views.parse(walk_toml)
        return walk_kit.kit_pdf(walk, walk_kit.posters(walk, root, sys.modules[__name__]), minutes)


def kit_pdf(views_file, root: str, minutes: int) -> bytes:
    """The data-walk kit of a views file (explorer.walk_kit) for the site at `root`: built once per file, site and
    timing, so a second click, or another facilitator with the same walk, gets it at once."""
    from explorer import i18n, views
    from explorer.national import read
    return _kit_pdf(views.dumps(views_file), root, minutes, _dir(), str(read.national_dir()), i18n.current())
