"""Shared test fixtures. Tests read only this repository (data/raw and data/processed)."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from harness.apptest import app_test

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"

# Pages re-raise unexpected errors under test instead of showing the friendly message.
os.environ["EXPLORER_RAISE"] = "1"


def pytest_report_header(config) -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests: not collected, Playwright is not installed (pip install -r requirements-dev.txt)"
    return None


@pytest.fixture(scope="session")
def national_files() -> dict[str, bytes]:
    """The national pack's source files as the official servers lay them out (tests/fixtures/national_pack)."""
    from tests.fixtures.national_pack import official_files
    return official_files()


@pytest.fixture(scope="session")
def national_pack(national_files, tmp_path_factory) -> Path:
    """A national folder with a pack fetched from a local server on 127.0.0.1 and built, shared by the
    build's and the page's tests (a test that damages it works on a copy)."""
    from tests.fixtures.national_pack import fetched_and_built_pack
    return fetched_and_built_pack(national_files, tmp_path_factory.mktemp("national"))


def open_page(page_file: str, *, city: str | None = None, state: dict | None = None,
              params: dict[str, str] | None = None, timeout: float = 60):
    """A page as a visitor reaches it, through app.py: the router's first run (AppTest opens a page by
    file only after the router has registered its pages), then the page, with `city` picked, `state` in
    session state and `params` as the address's query (as a shared link opens it)."""
    at = app_test(timeout)
    at.run()
    if city is not None:
        at.session_state["city"] = city
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.switch_page(page_file)
    if params is not None:
        for name in list(at.query_params):
            del at.query_params[name]
        at.query_params.update(params)
    return at.run()


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
    from explorer import config
    from explorer.data import store
    return store.read_table("national_percentiles", config.PROCESSED_DIR)


@pytest.fixture(scope="session")
def processed_counties() -> pd.DataFrame:
    """The processed counties table, read once for the chart and gap tests."""
    from explorer import config
    from explorer.data import store
    return store.read_table("counties", config.PROCESSED_DIR)
