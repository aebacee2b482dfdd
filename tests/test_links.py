"""Shareable links: state -> URL -> state is identity, and no URL can make decode raise."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer import config, links, room_code

TRACT_A, TRACT_B = "26163520100", "40143000100"


@pytest.mark.parametrize("state, params", [
    ({}, {}),
    ({"city": config.DEFAULT_CITY}, {}),
    ({"city": "tulsa"}, {"city": "tulsa"}),
    ({"city": "new-orleans", "metric": "top20_p25", "scale": "within"},
     {"city": "new-orleans", "metric": "top20_p25", "scale": "within"}),
    ({"basemap": True}, {"basemap": "1"}),
    ({"basemap": False, "present": True}, {"present": "1"}),
    ({"tracts": (TRACT_A, TRACT_B)}, {"tracts": f"{TRACT_A},{TRACT_B}"}),
    ({"tracts": ()}, {}),
    ({"group": "black", "gender": "female"}, {"group": "black", "gender": "female"}),
    ({"group": "black_white_gap"}, {"group": "black_white_gap"}),
    ({"outcome": "jail", "pctile": 1}, {"outcome": "jail", "pctile": "1"}),
    ({"pctile": 25}, {}),
    ({"cities": ("tulsa", "detroit")}, {"cities": "tulsa,detroit"}),
    ({"cities": tuple(config.CITIES)}, {}),
    ({"view": 3}, {"view": "3"}),
])
def test_encode_is_canonical_and_omits_defaults(state, params):
    assert links.encode(state) == params
    assert list(links.encode(state)) == [name for name in links.FIELDS if name in params]


@pytest.mark.parametrize("state", [
    {"city": "racine", "metric": "top20_p25", "basemap": True, "tracts": (TRACT_B, TRACT_A)},
    {"city": "rochester", "group": "hisp", "gender": "male", "basemap": True},
    {"outcome": "kir", "gender": "female", "pctile": 100},
    {"cities": ("newark", "dayton", "lansing")},
    {"present": True, "view": 12, "city": "newark"},
])
def test_round_trip_of_each_page_state_is_identity(state):
    restored, ignored = links.decode(links.encode(state))
    assert restored == links.complete(state)
    assert ignored == []


@pytest.mark.parametrize("params, expected", [
    ({"city": "new_orleans"}, {"city": "new-orleans"}),
    ({"city": "New Orleans"}, {"city": "new-orleans"}),
    ({"city": "NEW-ORLEANS"}, {"city": "new-orleans"}),
    ({"city": " new  orleans "}, {"city": "new-orleans"}),
    ({"city": "Tulsa"}, {"city": "tulsa"}),
    ({"cities": "New Orleans,TULSA,racine"}, {"cities": ("new-orleans", "tulsa", "racine")}),
    ({"cities": "new_orleans, Newark"}, {"cities": ("new-orleans", "newark")}),
])
def test_a_city_typed_by_hand_opens_that_city(params, expected):
    """Case, spaces, underscores and hyphens do not matter in a city (or the compared cities)."""
    assert links.decode_given(params) == (expected, [])


@pytest.mark.parametrize("params, notice", [
    ({"city": "new.orleans"}, "Ignored city=new.orleans (must be one of: " + ", ".join(config.CITIES) + ")"),
    ({"city": "neworleans"}, "Ignored city=neworleans (must be one of: " + ", ".join(config.CITIES) + ")"),
    ({"cities": "tulsa,Tulsa"}, "Ignored cities=tulsa,Tulsa (must be 2-9 different city ids)"),  # the same city twice
    ({"metric": "TOP20_P25"}, "Ignored metric=TOP20_P25 (must be one of: household_income_p25, top20_p25)"),
])
def test_forgiving_cities_still_refuse_other_values(params, notice):
    """Only the city fields forgive; an unknown name, a repeat or another field's odd case are refused."""
    assert links.decode_given(params) == ({}, [notice])


def test_links_are_written_with_the_exact_city_id():
    assert links.encode({"city": "new-orleans"}) == {"city": "new-orleans"}
    with pytest.raises(ValueError, match="city"):
        links.encode({"city": "New Orleans"})  # our own state holds ids, never a typed name


@pytest.mark.parametrize("params, notice", [
    ({"pctile": "500"}, "Ignored pctile=500 (must be 1-100)"),
    ({"pctile": "0"}, "Ignored pctile=0 (must be 1-100)"),
    ({"pctile": "2.5"}, "Ignored pctile=2.5 (must be 1-100)"),
    ({"city": "gotham"}, "Ignored city=gotham (must be one of: " + ", ".join(config.CITIES) + ")"),
    ({"basemap": "yes"}, "Ignored basemap=yes (must be 0 or 1)"),
    ({"metric": "kfr"}, "Ignored metric=kfr (must be one of: household_income_p25, top20_p25)"),
    ({"cities": "tulsa"}, "Ignored cities=tulsa (must be 2-9 different city ids)"),
    ({"cities": "tulsa,tulsa"}, "Ignored cities=tulsa,tulsa (must be 2-9 different city ids)"),
    ({"cities": ""}, "Ignored cities= (must be 2-9 different city ids)"),
    ({"tracts": "123"}, "Ignored tracts=123 (must be up to 20 different 11-digit tract ids)"),
    ({"tracts": ",".join(f"{26163000000 + i:011d}" for i in range(21))}, "Ignored tracts=26163000000,26163000001,... "
     "(must be up to 20 different 11-digit tract ids)"),
    ({"view": "51"}, "Ignored view=51 (must be 1-50)"),
    ({"colour": "red"}, "Ignored unknown setting colour"),
    ({"group": "<img src=x>"}, "Ignored group=?img src?x? (must be one of: " + ", ".join(links.COUNTY_GROUPS) + ")"),
    ({"group": "asian"}, "Ignored group=asian (must be one of: " + ", ".join(links.COUNTY_GROUPS) + ")"),
    ({"gender": []}, "Ignored gender (no value)"),
])
def test_invalid_values_are_ignored_with_a_notice_and_defaults_kept(params, notice):
    state, ignored = links.decode(params)
    assert ignored == [notice]
    assert state == links.DEFAULTS


def test_valid_values_survive_next_to_invalid_ones():
    state, ignored = links.decode({"city": "tulsa", "pctile": "500", "embed": "true", "scale": "within"})
    assert (state["city"], state["scale"], state["pctile"]) == ("tulsa", "within", 25)
    assert ignored == ["Ignored pctile=500 (must be 1-100)"]


def test_a_repeated_parameter_counts_by_its_last_value():
    assert links.decode({"city": ["tulsa", "dayton"]})[0]["city"] == "dayton"


@pytest.mark.parametrize("state", [{"city": "gotham"}, {"pctile": 25.0}, {"basemap": 1.5}, {"colour": "red"},
                                   {"tracts": ("1,2",)}, {"cities": ("tulsa",)}, {"view": True}])
def test_encode_refuses_invalid_states(state):
    with pytest.raises(ValueError):
        links.encode(state)


def test_every_field_names_its_pages_and_widget_keys():
    NONE = [None, None, None]  # view, room and host: held by no widget
    page_keys = {page: [f.key_on(page) for f in links.fields_for(page)] for page in
                 ("neighborhoods", "us-counties", "race-class-gaps", "compare-cities")}
    assert page_keys == {
        "neighborhoods": ["city", "map_metric", "map_scale", "map_basemap", "tract_map", "present", "lang", *NONE],
        "us-counties": ["city", "county_basemap", "county_group", "county_gender", "present", "lang", *NONE],
        "race-class-gaps": ["city", "gap_gender", "gap_outcome", "gap_pctile", "present", "lang", *NONE],
        "compare-cities": ["city", "compare_cities", "present", "lang", *NONE],
    }
    for spec in links.FIELDS.values():
        assert spec.help and spec.pages


@pytest.mark.parametrize("page_url, state, expected", [
    ("http://localhost:8501/neighborhoods?old=1#top", {"city": "tulsa", "basemap": True},
     "http://localhost:8501/neighborhoods?city=tulsa&basemap=1"),
    ("https://example.org/explorer/compare", {"cities": ("dayton", "racine")},
     "https://example.org/explorer/compare?cities=dayton,racine"),
    ("http://localhost:8501/", {}, "http://localhost:8501/"),
])
def test_link(page_url, state, expected):
    assert links.link(page_url, state) == expected


def test_page_state_keeps_only_that_pages_fields():
    full = links.complete({"city": "tulsa", "pctile": 40, "metric": "top20_p25"})
    assert set(links.page_state(full, "race-class-gaps")) == {"city", "gender", "outcome", "pctile", "present", "lang",
                                                              "view", "room", "host"}


# ---- properties: valid states round-trip; arbitrary text never raises ----

def _values(kind) -> st.SearchStrategy:
    if isinstance(kind, links.Choice):
        return st.sampled_from(kind.options)
    if isinstance(kind, links.Whole):
        return st.integers(kind.low, kind.high)
    if isinstance(kind, links.Flag):
        return st.booleans()
    if isinstance(kind, links.Digits):
        return st.from_regex(rf"[0-9]{{{kind.length}}}", fullmatch=True)
    if isinstance(kind, links.Code) and kind.read is room_code.read_key:
        return st.from_regex(room_code.KEY_PATTERN, fullmatch=True)
    if isinstance(kind, links.Code):
        symbols = st.text(alphabet=room_code.ALPHABET, min_size=room_code.SYMBOLS, max_size=room_code.SYMBOLS)
        return symbols.map(lambda code: f"{room_code.PREFIX}-{code[:4]}-{code[4:]}")
    items = st.sampled_from(kind.item.options) if kind.item else st.from_regex(r"[0-9]{11}", fullmatch=True)
    return st.lists(items, min_size=kind.min_items, max_size=kind.max_items, unique=True).map(tuple)


VALID_STATES = st.fixed_dictionaries({}, optional={name: _values(spec.kind) for name, spec in links.FIELDS.items()})


@settings(max_examples=300, deadline=None)
@given(VALID_STATES)
def test_property_round_trip_over_valid_states(state):
    restored, ignored = links.decode(links.encode(state))
    assert restored == links.complete(state) and ignored == []


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.one_of(st.sampled_from(list(links.FIELDS)), st.text(max_size=12)),
                       st.one_of(st.text(max_size=60), st.lists(st.text(max_size=20), max_size=3)), max_size=8))
def test_property_fuzzed_params_never_raise_and_give_a_valid_state(params):
    state, ignored = links.decode(params)
    assert set(state) == set(links.FIELDS)
    links.encode(state)  # whatever was kept is valid
    assert all(len(notice) < 400 for notice in ignored)


def test_valid_part_keeps_what_can_be_linked_and_names_the_rest():
    state = {"city": "tulsa", "county_race_gap": 1, "pctile": 500, "group": "black", "cities": ()}
    assert links.valid_part(state) == ({"city": "tulsa", "group": "black"}, ["county_race_gap", "pctile", "cities"])


def test_decode_given_returns_only_what_the_url_sets():
    assert links.decode_given({"city": "tulsa", "pctile": "500"}) == (
        {"city": "tulsa"}, ["Ignored pctile=500 (must be 1-100)"])


@pytest.mark.parametrize("page, state, widgets", [
    ("neighborhoods", {"city": "tulsa", "scale": "within", "tracts": (TRACT_A,), "view": 2},
     {"city": "tulsa", "map_scale": "within"}),
    ("us-counties", {"group": "black_white_gap", "gender": "male", "basemap": True},
     {"county_group": "black_white_gap", "county_gender": "male", "county_basemap": True}),
    ("race-class-gaps", {"gender": "female", "pctile": 40, "group": "black"}, {"gap_gender": "female", "gap_pctile": 40}),
    ("compare-cities", {"cities": ("tulsa", "dayton"), "present": True}, {"compare_cities": ["tulsa", "dayton"],
                                                                   "present": True}),
    ("tract-gaps", {"basemap": True, "metric": "top20_p25"}, {"national_basemap": True}),
    ("pilot", {"city": "racine", "basemap": True}, {"city": "racine"}),
])
def test_widget_values_and_back(page, state, widgets):
    assert links.widget_values(state, page) == widgets
    restored = links.from_widgets({**widgets, "unrelated": 1}, page)
    assert restored == {k: v for k, v in state.items() if k in restored}
    assert set(restored) == {f.name for f in links.fields_for(page) if f.key_on(page) in widgets}


def test_pages_take_their_widget_keys_from_the_link_fields():
    assert links.widget_keys("tract-gaps", "pctile", "basemap") == ("national_pct", "national_basemap")
    assert links.widget_keys("neighborhoods", "basemap", "tracts") == ("map_basemap", "tract_map")
    with pytest.raises(KeyError, match="cities"):
        links.widget_keys("neighborhoods", "metric", "cities")  # the map page has no city list
    with pytest.raises(KeyError, match="view"):
        links.widget_keys("neighborhoods", "view")  # no widget holds the view number
