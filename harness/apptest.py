"""The whole app in Streamlit's AppTest (no server, no browser), through the router as a visitor reaches it.

It does not set EXPLORER_RAISE: the tests set it (tests/conftest.py), the benchmark leaves it unset.
"""
from __future__ import annotations

from harness import ROOT

APP = str(ROOT / "app.py")


def app_test(timeout: float = 60):
    """An AppTest of the whole app through the router (app.py by its full path: relative paths would
    resolve against the caller's folder)."""
    from streamlit.testing.v1 import AppTest
    return AppTest.from_file(APP, default_timeout=timeout)
