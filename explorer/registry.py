"""The app's pages, declared once: the router (app.py), links, views files, tests and the benchmark read
them from here, never from another file's source text.

A page has one `id`: the name its link fields use (explorer.links `Field.pages`), which is its script's
file name without `.py`. `url_path` is what the address shows (`/neighborhoods`) and what a facilitator's
views file names (`page = "neighborhoods"`). The first page is the default one, served at `/`.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageRecord:
    id: str          # the script's stem, e.g. "maps" (pages/maps.py)
    title: str       # the menu's name and the browser tab's
    icon: str        # a Material Symbols icon, ":material/<name>:"
    url_path: str    # the address below the site, e.g. "neighborhoods" (differs from the file on purpose)

    @property
    def file(self) -> str:
        """The page script, relative to the repository root (as st.Page and st.page_link take it)."""
        return f"pages/{self.id}.py"


PAGES: tuple[PageRecord, ...] = (
    PageRecord("home", "Home", ":material/home:", "start"),
    PageRecord("maps", "Neighborhood map", ":material/map:", "neighborhoods"),
    PageRecord("county_map", "US county map", ":material/public:", "us-counties"),
    PageRecord("gaps", "Race and class gaps", ":material/bar_chart:", "race-class-gaps"),
    PageRecord("profile", "City pilot profile", ":material/location_city:", "pilot"),
    PageRecord("compare", "Compare cities", ":material/compare_arrows:", "compare-cities"),
    PageRecord("race_gap_map", "Race gap by tract", ":material/compare:", "tract-gaps"),
)
DEFAULT = PAGES[0]
BY_ID = {page.id: page for page in PAGES}
BY_URL_PATH = {page.url_path: page for page in PAGES}
BY_FILE = {page.file: page for page in PAGES}


def for_url_path(url_path: str) -> PageRecord:
    """The page at an address; "" (what st.navigation reports for the default page) is the default page."""
    return BY_URL_PATH.get(url_path, DEFAULT) if url_path else DEFAULT
