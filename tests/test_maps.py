"""Map builders and tract details, checked on the returned decks against data/raw (no browser)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from explorer import config, stats
from explorer.data import store
from explorer.maps import county_map, deckgl, scales, tract_details, tract_map

INCOME, TOP20 = "household_income_p25", "top20_p25"
RAW_INCOME = "Household_Income_at_Age_35_rP_gP_p25"
DATA = config.processed_dir()


@pytest.fixture(scope="module")
def national_tracts() -> pd.DataFrame:
    return store.read_table("tracts", DATA)


def city_deck(city_id: str, metric_id: str = INCOME, scale_id: str = "national", national=None, **options):
    study = store.study_tracts(city_id, DATA)
    national = national if national is not None else store.read_table("tracts", DATA)
    outlines = [store.outline("county", f, DATA) for f in store.study_counties(city_id, DATA)["county_fips"]]
    shapes = deckgl.quantize_shapes(store.tract_geometries(city_id, DATA))
    scale = scales.tract_scale(metric_id, scale_id, national, study)
    deck = tract_map.city_tract_deck(study, shapes, store.outline("city", city_id, DATA), outlines, metric_id, scale,
                                **options)
    return deck, study, shapes, scale


def layer(deck, layer_id: str) -> dict:
    spec = json.loads(deck.to_json())
    return next(item for item in spec["layers"] if item["id"] == layer_id)


@pytest.mark.parametrize("city_id, tracts", [("detroit", 609), ("tulsa", 208), ("lansing", 131),
                                             ("racine", 44), ("new-orleans", 176)])
def test_one_feature_per_study_area_tract(city_id, tracts, national_tracts):
    deck, study, _, _ = city_deck(city_id, national=national_tracts)
    assert len(study) == tracts
    assert len(layer(deck, tract_map.TRACT_LAYER_ID)["data"]) == tracts


def test_a_known_tract_has_its_raw_value_and_bin(raw_tracts, national_tracts):
    """Tract 5001 in Wayne County: value and colour bin recomputed from data/raw."""
    deck, study, shapes, scale = city_deck("detroit", national=national_tracts)
    shown = tract_map.mapped_tracts(study, shapes)
    index = shown.index[shown["tract"] == "26163500100"][0]
    feature = layer(deck, tract_map.TRACT_LAYER_ID)["data"][index]
    raw_value = raw_tracts.loc["26163500100", RAW_INCOME]
    breaks = np.round(np.quantile(raw_tracts[RAW_INCOME].dropna(), np.arange(1, 7) / 7) / 100) * 100
    assert raw_tracts.loc["26163500100", "Name"] == "Regent Park, Detroit, MI"
    assert feature["n"] == "Regent Park, Detroit - tract 5001"  # the Atlas label without its state, then the number
    assert feature["v"] == f"${raw_value:,.0f}"
    assert feature["b"] == int(np.searchsorted(breaks, raw_value, side="right"))


def test_missing_estimates_are_grey(raw_tracts, national_tracts):
    deck, study, shapes, scale = city_deck("detroit", national=national_tracts)
    shown = tract_map.mapped_tracts(study, shapes)
    missing = [t for t in shown["tract"] if np.isnan(raw_tracts[RAW_INCOME].get(t, np.nan))]
    assert len(missing) == 10
    features = layer(deck, tract_map.TRACT_LAYER_ID)["data"]
    grey = [features[i] for i in shown.index[shown["tract"].isin(missing)]]
    assert {f["b"] for f in grey} == {len(scale.colours)}
    assert {f["v"] for f in grey} == {scales.MISSING_LABEL}
    assert scale.palette[len(scale.colours)].tolist() == list(scales.MISSING_RGB)
    assert "[190,190,190]" in deckgl.fill_accessor(scale)


def test_tooltip_values_are_escaped(national_tracts):
    """A hostile county name reaches the tooltip only as escaped text (in the tracts' titles, field n)."""
    study = store.study_tracts("lansing", DATA).copy()
    study.loc[study["county_fips"] == "26065", "county_name"] = "<img src=x onerror=alert(1)>&"
    shapes = deckgl.quantize_shapes(store.tract_geometries("lansing", DATA))
    scale = scales.tract_scale(INCOME, "national", national_tracts, study)
    features = tract_map.tract_features(study, shapes, INCOME, scale)
    hostile = [f["n"] for f in features if "img" in f["n"]]
    assert hostile and all("&lt;img src=x onerror=alert(1)&gt;&amp; County" in n for n in hostile)
    assert all("<" not in f["n"] for f in features)
    template = tract_map.tract_tooltip(config.METRICS[INCOME], study[study["county_fips"] == "26065"])["html"]
    assert template.startswith("<b>{n}</b>") and "img" not in template  # places reach it only through {n}


def test_deck_is_compact_offline_and_quantized(national_tracts):
    deck, study, shapes, _ = city_deck("detroit", national=national_tracts)
    text = deck.to_json()
    spec = json.loads(text)
    tracts = layer(deck, tract_map.TRACT_LAYER_ID)
    assert "\n" not in text and len(text.encode()) < 150_000
    assert "cartocdn" not in text and spec["mapStyle"] == "__MAP_STYLE__"  # pydeck's "no basemap"
    assert tracts["coordinateSystem"] == "lnglat-offsets"
    assert tracts["modelMatrix"][0] == tracts["modelMatrix"][5] == deckgl.UNIT
    assert list(tract_map.tract_layers(study, shapes, None, [], INCOME, _scale_for(study))) == \
        ["Census tracts", "County lines"]


def _scale_for(study):
    return scales.make_scale(study[INCOME], INCOME, "test")


def test_basemap_on_uses_a_token_free_carto_style(national_tracts):
    deck, *_ = city_deck("racine", national=national_tracts, basemap=True)
    spec = json.loads(deck.to_json())
    assert spec["mapProvider"] == "carto" and "basemaps.cartocdn.com" in spec["mapStyle"]


def test_quantized_coordinates_round_trip_within_half_a_step():
    geometries = store.tract_geometries("newark", DATA)
    shapes = deckgl.quantize_shapes(geometries)
    tract = next(iter(geometries))
    original = np.array(list(deckgl._rings(geometries[tract]))[0])
    quantized = np.array(list(deckgl._rings(shapes.geometries[tract]))[0]) * deckgl.UNIT + shapes.origin
    assert np.abs(original - quantized).max() <= deckgl.UNIT / 2 + 1e-9
    assert min(min(p) for ring in deckgl._rings(shapes.geometries[tract]) for p in ring) >= 0


def test_selected_tracts_get_an_outline_layer(national_tracts):
    deck, *_ = city_deck("racine", national=national_tracts, selected=("55101000100", "not-a-tract"))
    assert len(layer(deck, "selected_tracts")["data"]) == 1


@pytest.mark.parametrize("metric_id", ["no_such_metric", "income_rank_p25"])
def test_unknown_or_non_tract_metric_raises(metric_id, national_tracts):
    study = store.study_tracts("racine", DATA)
    with pytest.raises(ValueError, match="metric"):
        tract_map.city_tract_deck(study, store.tract_geometries("racine", DATA), None, [], metric_id,
                             _scale_for(study))


def test_scale_for_another_metric_raises():
    study = store.study_tracts("racine", DATA)
    with pytest.raises(ValueError, match="colour scale"):
        tract_map.city_tract_deck(study, store.tract_geometries("racine", DATA), None, [], TOP20, _scale_for(study))


def test_unknown_city_raises():
    with pytest.raises(ValueError, match="Unknown city"):
        store.study_tracts("gotham", DATA)


@pytest.mark.parametrize("tract, number", [("26163500100", "5001"), ("40143005401", "54.01"),
                                           ("22071000100", "1"), ("55101001504", "15.04")])
def test_tract_number(tract, number):
    assert tract_map.tract_number(pd.Series([tract])).tolist() == [number]


# --- national county map ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def county_inputs():
    counties = store.read_table("counties", DATA)
    shapes = store.read_table("national_counties", DATA)
    study = pd.concat([store.study_counties(c, DATA) for c in config.CITIES])[["city_id", "county_fips", "is_main"]]
    return counties, shapes, store.national_county_geometries(DATA), study


def county_feature(deck, shapes, fips):
    features = layer(deck, "counties")["data"]
    order = [f for f in shapes["county_fips"] if f]
    return features[order.index(fips)]


@pytest.mark.parametrize("group, gender", [("pooled", "pooled"), ("black", "male"), ("hisp", "female"),
                                           (county_map.BLACK_WHITE_GAP, "pooled")])
def test_national_map_has_one_feature_per_county(group, gender, county_inputs):
    counties, shapes, geometries, study = county_inputs
    deck = county_map.national_county_deck(counties, shapes, geometries, study, group, gender)
    assert len(layer(deck, "counties")["data"]) == len(shapes) == 3230
    assert len(deck.to_json().encode()) < 1_500_000


def test_a_known_county_value_and_interval(raw_counties, county_inputs):
    """Wayne County, all children: rank and 95% interval straight from county_outcomes_simple.csv."""
    counties, shapes, geometries, study = county_inputs
    deck = county_map.national_county_deck(counties, shapes, geometries, study, "pooled", "pooled")
    raw = raw_counties.loc["26163"]
    low, high = stats.interval95(raw["kfr_pooled_pooled_p25"], raw["kfr_pooled_pooled_p25_se"])
    feature = county_feature(deck, shapes, "26163")
    assert feature["n"] == "Wayne County, Michigan"
    assert feature["v"] == f"{raw['kfr_pooled_pooled_p25'] * 100:.1f}"
    assert feature["i"] == f"{low * 100:.1f} to {high * 100:.1f}"


def test_missing_group_estimate_is_grey(raw_counties, county_inputs):
    counties, shapes, geometries, study = county_inputs
    missing = raw_counties.index[raw_counties["kfr_black_pooled_p25"].isna()]
    fips = next(f for f in missing if f in geometries)
    deck = county_map.national_county_deck(counties, shapes, geometries, study, "black", "pooled")
    feature = county_feature(deck, shapes, fips)
    assert feature["v"] == "no estimate" and feature["i"] == "-"
    assert feature["b"] == len(county_map.county_scale(counties, "black").colours)


def test_gap_is_stats_gap_for_every_county(raw_counties, county_inputs):
    counties = county_inputs[0]
    values = county_map.county_values(counties, county_map.BLACK_WHITE_GAP, "male").set_index("county_fips")
    for fips in ("26163", "22071", "40143", "39113"):
        raw = raw_counties.loc[fips]
        expected = stats.gap(raw["kfr_white_male_p25"], raw["kfr_black_male_p25"],
                             raw["kfr_white_male_p25_se"], raw["kfr_black_male_p25_se"])
        assert tuple(values.loc[fips, ["value", "low", "high"]]) == pytest.approx(expected, nan_ok=True)


def test_study_counties_outlined_and_cities_labelled(county_inputs):
    counties, shapes, geometries, study = county_inputs
    deck = county_map.national_county_deck(counties, shapes, geometries, study)
    assert len(layer(deck, "study_counties")["data"]) == 13
    assert sorted(label["text"] for label in layer(deck, "city_labels")["data"]) == \
        sorted(city.name for city in config.CITIES.values())


@pytest.mark.parametrize("width", [760, 900, 1300])  # about the county map's width at 1366, 1440 and 1920 px
def test_the_city_labels_never_print_over_each_other(county_inputs, width):
    """Racine, Lansing and Detroit (and Dayton and Cincinnati) sit close on the national map: at the first view of
    a laptop's map (and a projector's), no two names' boxes overlap, while all above (as before) they do."""
    _, _, geometries, study = county_inputs
    labels = county_map.city_labels(study, geometries)
    zoom = deckgl.fit_view(county_map.CONTIGUOUS_US, width, county_map.COUNTY_MAP_HEIGHT).zoom
    assert county_map.overlapping(labels, zoom) == []
    above = [{**label, "offset": [0, -14], "anchor": "middle"} for label in labels]
    assert county_map.overlapping(above, zoom)  # the old placement: every name above its point
    sides = {label["text"]: label["anchor"] for label in labels}
    assert sides["Racine"] == "end" and sides["Detroit"] == "start"  # west of the lake; east of Lansing


@pytest.mark.parametrize("group, gender", [("asian", "pooled"), ("pooled", "nonbinary")])
def test_unknown_county_group_raises(group, gender, county_inputs):
    with pytest.raises(ValueError, match="Unknown"):
        county_map.county_values(county_inputs[0], group, gender)


# --- tract details ----------------------------------------------------------------------------

@pytest.mark.parametrize("pctile, words", [
    (4.5, "lower than 96% of US tracts"), (50.0, "higher than 50% of US tracts"),
    (84.2, "higher than 84% of US tracts"), (float("nan"), "no national ranking"),
    (99.4, "higher than 99% of US tracts"), (0.6, "lower than 99% of US tracts"),
    # never "100%" for a share that is not every tract: almost all, with one decimal
    (99.7, "higher than almost all (99.7%) of US tracts"), (99.5, "higher than almost all (99.5%) of US tracts"),
    (0.2, "lower than almost all (99.8%) of US tracts"), (0.3, "lower than almost all (99.7%) of US tracts"),
    (100.0, "higher than almost all (over 99.9%) of US tracts"),
    (0.0, "lower than almost all (over 99.9%) of US tracts")])
def test_percentile_words(pctile, words):
    assert tract_details.percentile_words(pctile) == words


@pytest.mark.parametrize("percent, words", [
    (84.2, "84%"), (0.6, "1%"), (0.5, "almost none (0.5%)"), (0.4, "almost none (0.4%)"), (0.04, "almost none (under 0.1%)"),
    (99.96, "almost all (over 99.9%)"), (99.5, "almost all (99.5%)"), (99.49, "99%")])
def test_share_words(percent, words):
    assert tract_details.share_words(percent) == words


@pytest.mark.parametrize("city, tract, metric, raw_column, side", [
    ("detroit", "26163545400", INCOME, RAW_INCOME, "lower"),   # Tract 5454, Wayne County
    ("tulsa", "40143000600", INCOME, RAW_INCOME, "lower"),     # Tract 6, Tulsa County
    ("tulsa", "40143007638", TOP20, "Frac._in_Top_20%_Based_on_Household_Income_rP_gP_p25", "higher"),
])
def test_named_tracts_read_almost_all_not_100(raw_tracts, city, tract, metric, raw_column, side):
    """The tracts that read 'than 100% of US tracts' before: their percent, recomputed from data/raw as the
    build ranks tracts, is written with one decimal after 'almost all'."""
    values = raw_tracts[raw_column]
    pctile = round(values.rank(method="average", pct=True)[tract] * 100 - 50 / values.notna().sum(), 1)
    share = pctile if side == "higher" else 100 - pctile
    assert f"{share:.0f}" == "100" and share < 100
    study = store.study_tracts(city, DATA)
    medians = store.tract_medians(metric, DATA)
    _, rows = tract_details.comparisons(metric, study, medians, config.CITIES[city])[tract]
    metric_spec = config.get_metric(metric)
    assert rows[0][1] == f"{metric_spec.format(values[tract])}, {side} than almost all ({share:.1f}%) of US tracts"


def test_medians_recomputed_from_raw(raw_tracts, raw_counties):
    """National, Wayne County and Detroit-CZ medians over tracts with an estimate, from data/raw."""
    medians = store.tract_medians(INCOME, DATA)
    income = raw_tracts[RAW_INCOME].dropna()
    county = income.index.str[:5]
    zone = county.map(raw_counties["cz"])
    assert medians["national"] == (pytest.approx(income.median()), len(income))
    assert medians["county"].loc["26163", "median"] == pytest.approx(income[county == "26163"].median())
    assert medians["cz"].loc[11600, "median"] == pytest.approx(income[zone == 11600].median())
    study = store.study_tracts("detroit", DATA)
    title, rows = tract_details.comparisons(INCOME, study, medians, config.CITIES["detroit"])["26163500100"]
    assert title == "Regent Park, Detroit - tract 5001"
    table = tract_details.comparison_frame(INCOME, rows)
    assert table["Place"].tolist() == ["This tract", "Detroit (median)", "Wayne County (median)",
                                       "Detroit commuting zone (median)", "United States (median)"]
    assert table.iloc[0, 1] == f"${raw_tracts.loc['26163500100', RAW_INCOME]:,.0f}, lower than 96% of US tracts"
    assert table.iloc[4, 1] == f"${income.median():,.0f}"
    inside = study.loc[study["in_city"], INCOME].dropna()
    assert table.iloc[1, 1] == f"${inside.median():,.0f}"


def _selection(shown, indices, labels=None):
    names = tract_map.tract_labels(shown).tolist()
    return {"indices": {tract_map.TRACT_LAYER_ID: indices},
            "objects": {tract_map.TRACT_LAYER_ID: [{"n": (labels or {}).get(i, names[i] if 0 <= i < len(names) else "?")}
                                              for i in indices]}}


def test_selected_tracts_from_the_selection_state():
    study = store.study_tracts("racine", DATA)
    shown = tract_map.mapped_tracts(study, deckgl.quantize_shapes(store.tract_geometries("racine", DATA)))
    assert tract_details.selected_tracts(_selection(shown, [3, 0, 3]), shown) == \
        [shown["tract"][3], shown["tract"][0]]
    assert tract_details.MAX_SELECTED == 5
    assert tract_details.selected_tracts(_selection(shown, [1, 2, 3, 4, 5, 6]), shown) == list(shown["tract"][1:6])
    assert tract_details.selected_tracts(_selection(shown, [1, 2, 3, 4, 5, 6]), shown, limit=None) == \
        list(shown["tract"][1:7])
    stale = _selection(shown, [2, 99, -1], labels={2: "5001"})  # a pick left over from another city
    assert tract_details.selected_tracts(stale, shown) == []
    for junk in (None, {}, {"indices": "x"}, {"indices": {tract_map.TRACT_LAYER_ID: ["1"]}}, {"objects": [1]}):
        assert tract_details.selected_tracts(junk, shown) == []


@pytest.mark.parametrize("query, count", [("", 44), ("1", None), ("15.04", 1), ("55101001504", 1),
                                          ("<script>", 0), ("zzz", 0), ("99999", 0)])
def test_search_tracts_by_number(query, count):
    table = tract_details.tract_table(store.study_tracts("racine", DATA), INCOME)
    found = tract_details.search_tracts(table, query)
    if count is None:
        assert 0 < len(found) < len(table) and found["Tract"].str.split(" - tract ").str[-1].str.startswith("1").all()
    else:
        assert len(found) == count


def _raw_names(raw_tracts, city: str, word: str) -> set[str]:
    """Study tracts whose raw Opportunity Atlas label holds `word` (an independent count from data/raw)."""
    study = set(store.study_tracts(city, DATA)["tract"])
    names = raw_tracts["Name"].dropna()
    return {t for t, name in names.items() if t in study and word.lower() in name.lower()}


@pytest.mark.parametrize("query", ["brightmoor", "BRIGHTMOOR", "Brîghtmoor", "bright-moor", "  bright  "])
def test_search_finds_a_neighborhood_whatever_its_case_accents_hyphens_or_part(raw_tracts, query):
    table = tract_details.tract_table(store.study_tracts("detroit", DATA), INCOME)
    found = tract_details.search_tracts(table, query)
    expected = _raw_names(raw_tracts, "detroit", "Brightmoor")
    assert set(found["Tract ID"]) == expected and len(expected) == 5
    assert found["Tract"].str.startswith("Brightmoor, Detroit - tract ").all()


def test_search_words_narrow_each_other_and_places_match_too(raw_tracts):
    table = tract_details.tract_table(store.study_tracts("detroit", DATA), INCOME)
    assert tract_details.search_tracts(table, "regent 5001")["Tract"].tolist() == ["Regent Park, Detroit - tract 5001"]
    livonia = tract_details.search_tracts(table, "livonia")
    assert set(livonia["Tract ID"]) == _raw_names(raw_tracts, "detroit", "Livonia") and len(livonia) == 31
    assert livonia["Tract"].str.startswith("Livonia, Wayne County - tract ").all()  # a place: its county after it


@pytest.mark.parametrize("name, county, tract, title", [
    ("Brightmoor, Detroit, MI", "Wayne", "26163545100", "Brightmoor, Detroit - tract 5451"),
    ("Livonia, MI", "Wayne", "26163556600", "Livonia, Wayne County - tract 5566"),
    (None, "Wayne", "26163985500", "Wayne County - tract 9855"),
    ("  ", "Orleans", "22071000100", "Orleans Parish - tract 1"),
    ("Lacy Park, Tulsa, OK", "Tulsa", "40143007638", "Lacy Park, Tulsa - tract 76.38"),
    ("A, B, C, LA", "Orleans", "22071000601", "A, B, C - tract 6.01"),
])
def test_tract_titles_name_the_neighborhood_or_fall_back_to_the_county(name, county, tract, title):
    frame = pd.DataFrame({"tract": [tract], "name": [name], "county_name": [county], "county_fips": [tract[:5]]})
    assert tract_map.tract_labels(frame).tolist() == [title]


def test_tract_table_has_the_map_values(raw_tracts):
    study = store.study_tracts("tulsa", DATA)
    table = tract_details.tract_table(study, TOP20).set_index("Tract ID")
    raw = raw_tracts["Frac._in_Top_20%_Based_on_Household_Income_rP_gP_p25"]
    assert len(table) == 208
    assert table["Chance of reaching the top 20%"].to_numpy() == pytest.approx(raw[table.index].to_numpy(), nan_ok=True)
    assert tract_details.no_estimates(study, TOP20) is False
    assert tract_details.no_estimates(study.assign(top20_p25=np.nan), TOP20) is True


def test_a_selection_is_capped_at_five_drawn_tracts_and_says_when_more_were_given():
    ids = [f"261635{n:03d}00" for n in range(1, 8)]
    assert tract_details.capped(ids[:3]) == (ids[:3], False)
    assert tract_details.capped(ids) == (ids[:5], True)
    assert tract_details.capped(["99999999999", *ids[:5]], set(ids)) == (ids[:5], False)  # not drawn: dropped


def test_map_caption_states_the_study_area_rule_the_build_uses():
    """The caption's threshold is the one explorer.data.build applies: every study county of the processed
    table holds at least that share of its city, and the caption says 1%, not 'every county it touches'."""
    assert "at least 1% of the city's area" in tract_details.about_tract_data()
    assert "touches" not in tract_details.about_tract_data()
    study = pd.read_parquet(DATA / config.PROCESSED_FILES["study_counties"])
    assert (study["share_of_city"] >= config.STUDY_COUNTY_MIN_SHARE).all()

