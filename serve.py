"""Start the app: `streamlit run app.py`, with two settings Streamlit only reads before the first visitor.

    python serve.py                          # as `make run` does; any `streamlit run` option may follow
    python serve.py --server.port 8502

1. The router is app.py's `st.navigation`, and `pages/` is just the folder its page scripts live in. A
   fresh Streamlit process that finds a folder named `pages/` next to the main script starts in its old
   multipage mode, which knows pages by file name only, until some session has run app.py. So the first
   visitor who opened a link to a page (`/pilot?city=tulsa`) saw "Page not found" over the right page.
   Setting the mode before the server starts means no visitor is ever the first.
2. Uploads stay in memory inside the web server as well (see ui.keep_uploads_in_memory), from the first
   request on. app.py sets both again on every run, for servers started with plain `streamlit run`.
"""
from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().with_name("app.py")


def prepare() -> None:
    """The start-up settings, applied in this process before Streamlit's server exists."""
    from streamlit.runtime.pages_manager import PagesManager

    import ui
    PagesManager.uses_pages_directory = False  # the one thing st.navigation's first call would set
    ui.keep_uploads_in_memory()


def main(argv: list[str]) -> None:
    prepare()
    from streamlit.web import cli
    sys.argv = ["streamlit", "run", str(APP), *argv]
    sys.exit(cli.main())


if __name__ == "__main__":
    main(sys.argv[1:])
