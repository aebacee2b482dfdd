"""Finding tracts on the neighborhood map: by neighborhood, place or number (the search box), or by street
address (the Census Bureau's geocoder, explorer.geocode). Matches are outlined on the map; a pick, or an
address's tract, becomes the map's selection on its next draw (`chosen`)."""
from __future__ import annotations

import streamlit as st

from explorer import config
from explorer.data import cache
from explorer.i18n import _
from explorer.maps import tract_details
from explorer.plain import literal

SEARCH_KEY = "map_tract_search"
FOUND_KEY, CHOSEN_KEY = "map_found", "map_found_chosen"  # the search's picks, and a pick not yet on the map
ADDRESS_KEY, ASKED_KEY = "map_address_text", "map_address_asked"  # the box, and its text for this run only


def chosen() -> list[str] | None:
    """Tracts just picked from the search or found by address (once), for the map to select."""
    return st.session_state.pop(CHOSEN_KEY, None)


def search(city: config.City, metric_id: str) -> list[str]:
    """The search box: the tracts whose neighborhood, place or number match (outlined on the map, listed to
    pick for the details). Returns the matches' ids."""
    with st.container(key="controls_map_search"):  # a control: presentation mode hides it
        left, right = st.columns([3, 2], vertical_alignment="bottom")  # one row: the map stays up the page
        query = left.text_input(_("Find a neighborhood, place or tract number"), key=SEARCH_KEY, max_chars=60,
                                placeholder=_("e.g. Brightmoor, Livonia or 5001"), help=_(tract_details.SEARCH_HELP))
        find_address(city, right)
        if not query.strip():
            return []
        table = cache.tract_table(city.id, metric_id)
        column = tract_details.column
        found = table[table[column("id")].isin(cache.tract_matches(city.id, query))]
        if found.empty:
            st.caption(_('Nothing in this area matches "{query}": try part of a name or a tract number.').format(
                query=literal(query)))
            return []
        titles = dict(zip(found[column("id")], found[column("tract")]))
        st.pills(tract_details.found_text(len(found)), list(titles)[:tract_details.MAX_LISTED],
                 format_func=titles.get, selection_mode="multi", key=FOUND_KEY, on_change=choose_found)
        return list(titles)


def find_address(city: config.City, place) -> None:
    """An address's tract from the Census Bureau's geocoder (explorer.geocode), selected on the map; the form
    opens from a button in `place`, the answer shows under the search row. The address goes out in that one
    request and is kept nowhere: the box is emptied as the search starts."""
    from explorer import geocode
    with place.popover(_("Find an address"), icon=":material/home_pin:", width="stretch",
                       help=_("Asks the US Census Bureau's public geocoder for the address's census tract: needs "
                              "an internet connection. The address is not kept.")):
        with st.form("map_address", border=False):
            st.text_input(_("Street address, city and state"), max_chars=geocode.MAX_ADDRESS, key=ADDRESS_KEY,
                          placeholder=_("e.g. 2 Woodward Ave, Detroit, MI"))
            st.form_submit_button(_("Find"), icon=":material/search:", on_click=_take_address)
    address = st.session_state.pop(ASKED_KEY, "")
    if not address.strip():
        return
    try:
        with st.spinner(_("Asking the Census Bureau's geocoder...")):
            match = geocode.find_tract(address)
    except geocode.GeocodeError as error:
        st.warning(_("{reason} The name search works without it.").format(reason=literal(str(error))),
                   icon=":material/cloud_off:")
        return
    table = cache.tract_table(city.id, "household_income_p25")
    titles = dict(zip(table[tract_details.column("id")], table[tract_details.column("tract")]))
    if match is None:
        st.info(_("The geocoder found no such address: check the spelling, or add the city and state."))
    elif match.tract not in titles:
        st.info(_("{address} is outside this map's area (census tract {tract}).").format(
            address=literal(match.matched), tract=match.tract))
    else:
        st.session_state[CHOSEN_KEY] = [match.tract]
        st.success(_("{address}: {tract}, selected on the map.").format(address=literal(match.matched),
                                                                       tract=literal(titles[match.tract])))


def _take_address() -> None:
    """The search's click: the address moves out of the box into this run alone (popped as it is used)."""
    st.session_state[ASKED_KEY] = st.session_state.get(ADDRESS_KEY, "")
    st.session_state[ADDRESS_KEY] = ""


def choose_found() -> None:
    """A search result picked: the map selects the picks (at most MAX_SELECTED) on its next draw."""
    st.session_state[CHOSEN_KEY] = list(st.session_state.get(FOUND_KEY) or [])[:tract_details.MAX_SELECTED]


