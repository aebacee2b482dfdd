"""Fault drills: a missing or corrupt processed file breaks only the pages that read it.

Each case copies data/processed to a temporary folder, removes or corrupts one file there, points
EXPLORER_DATA_DIR at the copy and runs a page through app.py. Which tables a page reads is found by
running it once on healthy data with every processed-file lookup (`store._processed_path`, behind
`read_table` and `read_columns`) recorded, so every (page, file) pair is
checked strictly: a page that reads the file shows a clear message naming it and the rebuild
command (never a traceback, never the generic "Something went wrong"); a page that does not read
it renders with no error at all.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st

from explorer import config, registry
from explorer.data import store
from harness.apptest import app_test
from tests.conftest import ROOT

REBUILD = config.REBUILD_COMMAND
GENERIC_ERROR = "Something went wrong"


PAGES = [page.file for page in registry.PAGES]
TABLES = list(config.PROCESSED_FILES)


def _existing(page: str) -> str:
    if not (ROOT / page).is_file():
        pytest.skip(f"{page} is registered but not written yet")
    return page


def run_page(page: str, data_dir: str | Path):
    """One page through the router on the data in data_dir, with cold caches.

    AppTest can only open a page by its file once a first run has registered the router's pages
    (their url_paths differ from the file names). That first run reads an empty folder, so it is
    instant; the page itself then runs on data_dir.
    """
    st.cache_data.clear()
    with pytest.MonkeyPatch.context() as patch:
        if page != PAGES[0]:
            patch.setenv("EXPLORER_DATA_DIR", str(EMPTY_DIR))
            at = app_test().run()
            at.switch_page(page)
        else:
            at = app_test()
        patch.setenv("EXPLORER_DATA_DIR", str(data_dir))
        return at.run()


EMPTY_DIR = Path(__file__).resolve().parent / "no-such-data-folder"


@pytest.fixture(scope="module")
def tables_read() -> dict[str, set[str]]:
    """page -> the processed tables it reads on healthy data (recorded, not guessed; reads of the
    bootstrap run's empty folder do not count)."""
    reads: dict[str, set[str]] = {}
    original = store._processed_path
    with pytest.MonkeyPatch.context() as patch:
        for page in PAGES:
            if not (ROOT / page).is_file():
                continue
            seen: set[str] = set()
            st.cache_data.clear()  # a warm cache (from earlier tests) would hide what the page reads
            st.cache_resource.clear()
            patch.setattr(store, "_processed_path", lambda name, data_dir, seen=seen: (
                Path(data_dir) == config.PROCESSED_DIR and seen.add(name), original(name, data_dir))[1])
            at = run_page(page, config.PROCESSED_DIR)
            assert not at.exception and not at.error, f"{page} fails on healthy data"
            reads[page] = seen
    st.cache_data.clear()
    return reads


@pytest.fixture
def broken_data(tmp_path):
    """Make a copy of data/processed with one table removed or corrupted: (folder, broken file's name)."""
    def make(table: str, fault: str) -> tuple[Path, str]:
        copy = tmp_path / f"processed-{table}-{fault}"
        shutil.copytree(config.PROCESSED_DIR, copy)
        target = copy / config.PROCESSED_FILES[table]
        if fault == "missing":
            target.unlink()
        else:  # a half-written file, as after a full disk or an interrupted copy
            target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
        return copy, target.name
    yield make
    st.cache_data.clear()


def messages(at) -> list[str]:
    return [element.value for element in (*at.error, *at.warning)]


def assert_fault_handled(at, page: str, file_name: str, reads_it: bool) -> None:
    assert not at.exception, f"{page} raised with {file_name} broken: {at.exception}"
    errors = [element.value for element in at.error]
    assert not any(GENERIC_ERROR in error for error in errors), f"{page}: unexpected error with {file_name} broken"
    if not reads_it:
        assert errors == [], f"{page} does not read {file_name} but showed {errors}"
        return
    assert all(file_name in error and REBUILD in error for error in errors), errors
    assert any(file_name in message for message in messages(at)), f"{page} never named {file_name}"


@pytest.mark.parametrize("page", PAGES)
def test_missing_file_breaks_only_the_pages_that_read_it(page, tables_read, broken_data):
    """Each table the page reads, missing, gives the rebuild message naming it; one table it does not read,
    missing, changes nothing (the other unread tables would repeat that run). Race gap by tract reads none
    without the national pack."""
    _existing(page)
    read = [table for table in TABLES if table in tables_read[page]]
    unread = [table for table in TABLES if table not in tables_read[page]]
    for table in read + unread[:1]:
        folder, file_name = broken_data(table, "missing")
        assert_fault_handled(run_page(page, folder), page, file_name, table in read)


@pytest.mark.parametrize("table", TABLES)
def test_corrupt_file_on_the_home_page(table, tables_read, broken_data):
    page = PAGES[0]
    folder, file_name = broken_data(table, "corrupt")
    at = run_page(page, folder)
    assert_fault_handled(at, page, file_name, table in tables_read[page])
    if table in tables_read[page]:
        assert "could not be read" in at.error[0].value


def test_url_paths_differ_from_page_file_names():
    """With a folder named pages/, a url_path equal to a page's file name makes Streamlit run that file
    without app.py around it (no sidebar, no error boundary): a missing file would then show a traceback."""
    clashes = [(page.file, page.url_path) for page in registry.PAGES if Path(page.file).stem == page.url_path]
    assert clashes == [], f"url_path equal to the file name: {clashes}"


def test_home_page_reads_counties_and_national_percentiles(tables_read):
    """The two tables behind the home cards; the maps' tract shapes are not needed there."""
    assert {"counties", "national_percentiles"} <= tables_read[PAGES[0]]
    assert "tract_shapes" not in tables_read[PAGES[0]]


def test_home_page_with_counties_missing_names_the_file_and_rebuild(broken_data):
    at = run_page(PAGES[0], broken_data("counties", "missing")[0])
    assert not at.exception and len(at.error) == 1
    assert at.error[0].value.startswith("The data file ") and "counties.parquet is missing" in at.error[0].value
    assert at.error[0].value.endswith(f"Rebuild the data with: {REBUILD}")


def test_home_page_with_tract_shapes_missing_still_shows_real_numbers(broken_data, raw_counties):
    at = run_page(PAGES[0], broken_data("tract_shapes", "missing")[0])
    assert not at.exception and not at.error
    wayne = raw_counties.loc[config.CITIES["detroit"].main_county, "kfr_pooled_pooled_p25"]
    shown = [metric.value for metric in at.metric]
    assert len(shown) == len(config.CITIES)
    assert config.METRICS["income_rank_p25"].format(wayne) in shown
