"""Driving the app from outside, shared by the tests (tests/) and the benchmark (bench/).

- server: start and stop the app server (`python serve.py`) and the deploy/ nginx in front of it;
- browser: Debian's Chromium through Playwright, tabs, waits for a finished render, the sidebar's links
  and city picker;
- pages: the app's pages as a browser reaches them, from explorer.registry;
- apptest: the whole app in Streamlit's AppTest, through the router (app.py);
- national_files: the published layout of the national source files, for synthetic copies.

Nothing here changes how the app behaves: the tests set EXPLORER_RAISE themselves (tests/conftest.py),
and the benchmark times the app as it is deployed.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
