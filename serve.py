"""Start the app: `streamlit run app.py`, with two settings Streamlit only reads before the first visitor.

    python serve.py                          # as `make run` does; any `streamlit run` option may follow
    python serve.py --server.port 8502

1. The router is app.py's `st.navigation`, and `pages/` is just the folder its page scripts live in. A
   fresh Streamlit process that finds a folder named `pages/` next to the main script starts in its old
   multipage mode, which knows pages by file name only, until some session has run app.py. So the first
   visitor who opened a link to a page (`/pilot?city=tulsa`) saw "Page not found" over the right page.
   Setting the mode before the server starts means no visitor is ever the first.
2. Uploads stay in memory inside the web server as well (keep_uploads_in_memory), from the first
   request on.

app.py calls `prepare()` too, so that a server started with plain `streamlit run app.py` gets both
from its first script run on (both are process-wide and cost nothing once set).
"""
from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().with_name("app.py")


def prepare() -> None:
    """The start-up settings, applied in this process (before Streamlit's server exists, from main)."""
    from streamlit.runtime.pages_manager import PagesManager
    PagesManager.uses_pages_directory = False  # the one thing st.navigation's first call would set
    keep_uploads_in_memory()


def keep_uploads_in_memory() -> None:
    """Hold every upload in memory from the first byte: Streamlit's web server (Starlette) writes a
    multipart part bigger than 1 MB to a temporary file while it reads the request. Its threshold goes
    above the largest upload the server accepts (and is never lowered)."""
    from starlette.formparsers import MultiPartParser

    from explorer.upload import UPLOAD_MAX_BYTES
    needed = UPLOAD_MAX_BYTES + 64 * 1024  # the part's headers and the request's framing
    if MultiPartParser.spool_max_size < needed:
        MultiPartParser.spool_max_size = needed


def main(argv: list[str]) -> None:
    prepare()
    from streamlit.web import cli
    sys.argv = ["streamlit", "run", str(APP), *argv]
    sys.exit(cli.main())


if __name__ == "__main__":
    main(sys.argv[1:])
