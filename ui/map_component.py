"""The app's own map component (frontend/area_map): shapes sent once per visit, clicks in the browser."""
from __future__ import annotations

import streamlit as st

from explorer import config


AREA_MAP_BUILD = config.ROOT / "frontend" / "area_map" / "build"


@st.cache_resource(show_spinner=False)
def _area_map_component():
    import streamlit.components.v1 as components
    return components.declare_component("area_map", path=str(AREA_MAP_BUILD))


def area_map(shapes, styling: dict, *, key: str, height: int, label: str, selected: list[str] | None = None,
             max_selected: int = 0, too_many: str = "", interactive: bool = True, choose: list[str] | None = None,
             highlight: list[str] | None = None) -> list[str]:
    """Draw a map (explorer.maps.area_map's shapes and styling); return the ids selected on it.

    The shapes go to the browser only when its frame does not hold them yet (the frame's last report
    names the shapes and the styling version it holds), so a switch sends the styling alone and a click
    neither. `selected` is the page's
    choice for a newly drawn frame (a link's tracts); after that the frame's own picks count, kept to
    the shapes' ids and to `max_selected` (0: the map is not selectable). `interactive=False`: no pan or zoom.
    `choose`: a selection the page makes now (a search result picked), replacing the frame's; `highlight`: ids
    outlined apart from the selection (a search's matches).
    """
    value = st.session_state.get(key)
    value = value if isinstance(value, dict) else {}
    held = value.get("have") == shapes.key
    picked = value.get("selected") if held and isinstance(value.get("selected"), list) else None
    known = set(shapes.ids)
    if choose is not None:
        picked = None  # the page's choice wins over the frame's last picks
        selected = choose
    chosen = [t for t in (selected or []) if t in known] if picked is None else \
        [t for t in picked if isinstance(t, str) and t in known]
    chosen = list(dict.fromkeys(chosen))[:max_selected]
    if held and value.get("styled") == styling["version"]:  # the frame has these colours: send none
        styling = {"styling": "held", "version": styling["version"]}
    spec = {**styling, "key": shapes.key, "shapes": None if held else shapes.payload, "height": height,
            "label": label, "interactive": interactive, "selectable": max_selected > 0, "max_selected": max_selected, "too_many": too_many,
            "selected": chosen, "selection_from": "browser" if picked is not None and picked == chosen else "server",
            "highlight": [t for t in (highlight or []) if t in known]}
    _area_map_component()(spec=spec, key=key, default=None)
    return chosen
