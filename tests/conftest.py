"""Shared test fixtures. Tests read only this repository (data/raw and data/processed)."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
RAW = ROOT / "data" / "raw"

# Pages re-raise unexpected errors under test instead of showing the friendly message.
os.environ["EXPLORER_RAISE"] = "1"


def pytest_report_header(config) -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests: not collected, Playwright is not installed (pip install -r requirements-dev.txt)"
    return None


def app_test(timeout: float = 60):
    """An AppTest of the whole app through the router (relative paths would resolve against tests/)."""
    from streamlit.testing.v1 import AppTest
    return AppTest.from_file(APP, default_timeout=timeout)


@pytest.fixture
def at():
    return app_test()


@pytest.fixture(scope="session")
def raw_counties() -> pd.DataFrame:
    """county_outcomes_simple.csv read straight from data/raw, for independent checks."""
    frame = pd.read_csv(RAW / "opportunity" / "county_outcomes_simple.csv")
    frame["county_fips"] = (frame["state"] * 1000 + frame["county"]).map("{:05d}".format)
    return frame.set_index("county_fips")


@pytest.fixture(scope="session")
def raw_national() -> pd.DataFrame:
    """national_percentile_outcomes.csv straight from data/raw, indexed by parent percentile."""
    return pd.read_csv(RAW / "opportunity" / "national_percentile_outcomes.csv").set_index("par_pctile")


@pytest.fixture(scope="session")
def raw_tracts() -> pd.DataFrame:
    """The two tract files straight from data/raw, keyed by the zero-padded 11-digit tract id."""
    income = pd.read_csv(RAW / "opportunity" / "tract_kfr_rP_gP_p25.csv", encoding="utf-8-sig")
    top20 = pd.read_csv(RAW / "opportunity" / "tract_kfr_top20_rP_gP_p25.csv", encoding="utf-8-sig")
    frame = income.merge(top20.drop(columns="Name"), on="tract")
    frame.index = frame.pop("tract").map("{:011d}".format)
    return frame


@pytest.fixture(scope="session")
def processed_national() -> pd.DataFrame:
    """The processed national_percentiles table, read once for the chart and gap tests."""
    from explorer import config, store
    return store.read_table("national_percentiles", config.PROCESSED_DIR)


@pytest.fixture(scope="session")
def processed_counties() -> pd.DataFrame:
    """The processed counties table, read once for the chart and gap tests."""
    from explorer import config, store
    return store.read_table("counties", config.PROCESSED_DIR)
