"""The app's pages, declared once: the router (app.py), links, views files, tests and the benchmark read
them from here, never from another file's source text.

A page has one `id`, used everywhere a page is named: the address shows it (`/neighborhoods`), a
facilitator's views file names it (`page = "neighborhoods"`), the link fields (explorer.links `Field.pages`)
and the pages' links to each other use it. Its script (`file`) is named for the code, not the reader, and
never equals the id: with a folder named `pages/`, an address equal to a script's name could make an older
Streamlit run that script without the router around it. The first page is the default one, served at `/`.
"""
from __future__ import annotations

from dataclasses import dataclass

from explorer.i18n import N_


@dataclass(frozen=True)
class PageRecord:
    id: str          # the page's one name, e.g. "neighborhoods": its address, views files, links
    file: str        # its script, relative to the repository root (as st.Page and st.page_link take it)
    title: str       # the menu's name and the browser tab's, in English (shown as _(title))
    icon: str        # a Material Symbols icon, ":material/<name>:"
    needs_national: bool = False  # shows only with the optional national pack (explorer.national)

    @property
    def url_path(self) -> str:
        """The address below the site (st.Page's url_path): the id."""
        return self.id


PAGES: tuple[PageRecord, ...] = (
    PageRecord("start", "pages/home.py", N_("Home"), ":material/home:"),
    PageRecord("neighborhoods", "pages/maps.py", N_("Neighborhood map"), ":material/map:"),
    PageRecord("us-counties", "pages/county_map.py", N_("US county map"), ":material/public:"),
    PageRecord("race-class-gaps", "pages/gaps.py", N_("Race and class gaps"), ":material/bar_chart:"),
    PageRecord("pilot", "pages/profile.py", N_("City pilot profile"), ":material/location_city:"),
    PageRecord("compare-cities", "pages/compare.py", N_("Compare cities"), ":material/compare_arrows:"),
    PageRecord("what-works", "pages/what_works.py", N_("What works"), ":material/fact_check:"),
    PageRecord("tract-gaps", "pages/race_gap_map.py", N_("Race gap by tract"), ":material/compare:",
               needs_national=True),
)
DEFAULT = PAGES[0]
BY_ID = {page.id: page for page in PAGES}


def for_url_path(url_path: str) -> PageRecord:
    """The page at an address; "" (what st.navigation reports for the default page) is the default page."""
    return BY_ID.get(url_path, DEFAULT) if url_path else DEFAULT


def file_of(page_id: str) -> str:
    """The script of a page named by its id (KeyError for an unknown id: a programming error)."""
    return BY_ID[page_id].file


def in_menu(page: PageRecord, has_national: bool) -> bool:
    """Whether the menu lists the page: a page that needs the national pack is left out of a site without
    it (its address still opens and says, in plain words, that it is not available here)."""
    return has_national or not page.needs_national
