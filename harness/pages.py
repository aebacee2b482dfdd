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

    @property
    def path(self) -> str:
        """The page's address below the server root ('' for the default page)."""
        return "" if self.default else self.url_path


def registered_pages() -> list[AppPage]:
    """Every page of explorer.registry, as the browser reaches it, so new pages are tested at once."""
    from explorer import registry
    return [AppPage(p.file, p.title, p.url_path, default=(p == registry.DEFAULT)) for p in registry.PAGES]


PAGES = registered_pages()
