"""The app's pages as a browser reaches them, from explorer.registry (as app.py's router builds them), so
a page added to the registry is tested and benchmarked at once."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AppPage:
    """One page of explorer.registry as the browser sees it."""
    file: str
    title: str
    url_path: str
    default: bool = False  # the first page is the default one and Streamlit serves it at "/" only
    in_menu: bool = True   # False for a page that needs the national pack on a site without it

    @property
    def path(self) -> str:
        """The page's address below the server root ('' for the default page)."""
        return "" if self.default else self.url_path


def registered_pages() -> list[AppPage]:
    """Every page of explorer.registry, as the browser reaches it, so new pages are tested at once."""
    from explorer import registry
    from explorer.national import read
    national = read.has_pack(read.national_dir())  # the test server reads the same folder
    return [AppPage(p.file, p.title, p.url_path, default=(p == registry.DEFAULT),
                    in_menu=registry.in_menu(p, national)) for p in registry.PAGES]


PAGES = registered_pages()
