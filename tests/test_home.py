"""The home page through the router: nine city cards with real numbers, and a clear data error."""
from __future__ import annotations

import re

import pytest

from explorer import config, home_text
from harness.apptest import app_test


def test_home_renders_all_nine_cities_with_their_numbers(at, raw_counties, raw_national):
    at.run()
    assert not at.exception
    assert len(at.metric) == 9
    shown = [m.value for m in at.metric]
    national = raw_national.loc[25, "kfr_pooled_pooled"] * 100
    for city in config.CITIES.values():
        county_rank = raw_counties.loc[city.main_county, "kfr_pooled_pooled_p25"] * 100
        assert f"{county_rank:.1f}" in shown, city.id
    deltas = [m.delta for m in at.metric]
    wayne = raw_counties.loc["26163", "kfr_pooled_pooled_p25"] * 100
    assert f"{wayne - national:+.1f} vs. US ({national:.1f})" in deltas
    assert {s.value for s in at.subheader} == {c.label for c in config.CITIES.values()}


def test_wayne_card_reads_detroit_number(at, raw_counties):
    at.run()
    cards = [m.value for m in at.metric]
    captions = [c.value for c in at.caption if "95% interval" in c.value]
    assert len(captions) == 9
    wayne = cards[next(i for i, c in enumerate(captions) if c.startswith("Wayne County, Michigan"))]
    assert wayne == f"{raw_counties.loc['26163', 'kfr_pooled_pooled_p25'] * 100:.1f}"


def test_city_in_url_seeds_the_picker():
    at = app_test()
    at.query_params["city"] = "tulsa"
    at.run()
    assert at.sidebar.selectbox(key="city").value == "tulsa"


def test_unknown_city_in_url_falls_back_without_error():
    at = app_test()
    at.query_params["city"] = "<script>"
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key="city").value == config.DEFAULT_CITY


def test_missing_processed_file_shows_rebuild_message(tmp_path, monkeypatch):
    import shutil
    import streamlit as st
    for path in config.PROCESSED_DIR.glob("*.parquet"):
        if path.name != "counties.parquet":
            shutil.copy(path, tmp_path / path.name)
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(tmp_path))
    st.cache_data.clear()
    at = app_test()
    at.run()
    st.cache_data.clear()
    assert not at.exception
    assert len(at.error) == 1
    assert "counties.parquet is missing" in at.error[0].value
    assert "python -m explorer.data.build" in at.error[0].value


def test_next_steps_name_each_page_by_its_menu_title_on_the_current_city():
    from explorer import home_text, registry
    assert set(home_text.NEXT_STEPS) <= set(registry.BY_ID)
    at = app_test()
    at.query_params["city"] = "newark"
    at.run()
    links = at.main.get("page_link")
    steps = [link for link in links if link.proto.label in {registry.BY_ID[p].title for p in home_text.NEXT_STEPS}]
    assert [link.proto.label for link in steps] == [registry.BY_ID[p].title for p in home_text.NEXT_STEPS]
    assert all(link.proto.query_string == "city=newark" for link in steps)
    blurbs = {m.value for m in at.main.markdown}
    assert set(home_text.NEXT_STEPS.values()) <= blurbs


def test_each_card_links_to_its_own_citys_profile_and_map_in_alphabetical_rows():
    from explorer import registry
    at = app_test()
    at.run()
    cards = [link for link in at.main.get("page_link") if link.proto.label.endswith(("'s profile", "'s map"))]
    assert len(cards) == 2 * len(config.CITIES)
    expected = [(f"{city.name}'s {kind}", f"city={city.id}", registry.BY_ID[page].url_path)
                for city in config.CITIES.values() for kind, page in (("profile", "pilot"), ("map", "neighborhoods"))]
    assert [(c.proto.label, c.proto.query_string, c.proto.page.rsplit("/", 1)[-1]) for c in cards] == expected
    # one row of three columns per three cards, so a phone's stacking keeps the alphabetical order
    assert [s.value for s in at.subheader] == sorted(c.label for c in config.CITIES.values())


def test_the_card_names_its_number_in_full():
    from explorer import home_text
    at = app_test()
    at.run()
    label = "Household income rank (0 to 100) at about age 35, children of low-income parents"
    assert home_text.CARD_LABEL == label
    assert [m.value for m in at.main.markdown].count(label) == 9
    assert {m.label for m in at.metric} == {label}


def test_headlines_read_every_card_from_the_raw_county_and_national_files(raw_counties, raw_national):
    from explorer.data import store
    cards = store.headlines(config.PROCESSED_DIR)
    assert list(cards) == list(config.CITIES)
    detroit = cards["detroit"]
    assert detroit["county"] == "Wayne County, Michigan"
    assert detroit["county_rank"] == pytest.approx(raw_counties.loc["26163", "kfr_pooled_pooled_p25"])
    assert detroit["county_rank_se"] == pytest.approx(raw_counties.loc["26163", "kfr_pooled_pooled_p25_se"])
    assert cards["new-orleans"]["county"] == "Orleans Parish, Louisiana"
    national = raw_national.loc[25, "kfr_pooled_pooled"]
    assert [card["national_rank"] for card in cards.values()] == [pytest.approx(national)] * len(cards)


def test_the_home_page_path_needs_no_pandas(raw_counties):
    """A new server's first visitor lands on the home page: its modules and card numbers must not import
    pandas (about a third of a second of the cold start, measured by bench/bench_app.py)."""
    import subprocess
    import sys
    code = ("import sys, ui; from explorer import config, home_text, stats; from explorer.data import cache, store; "
            "cards = store.headlines(config.processed_dir()); "
            "print(round(cards['detroit']['county_rank'], 4), 'pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=config.ROOT, capture_output=True, text=True,
                          timeout=120, check=True)
    wayne = raw_counties.loc["26163", "kfr_pooled_pooled_p25"]
    assert done.stdout.split() == [f"{round(wayne, 4)}", "False"]


@pytest.mark.parametrize("short_title, long_title", [
    ("Race and Economic Opportunity", "Race and Economic Opportunity in the\n  United States"),
    ("Opportunity Atlas", "The Opportunity Atlas"),
])
def test_home_sources_cite_the_same_year_as_the_readme(short_title, long_title):
    """The home page's list of sources and the README's citations give each paper the same year
    (Race and Economic Opportunity: the 2020 journal article, not the 2018 working paper)."""
    readme = (config.ROOT / "README.md").read_text()
    cited = re.search(r"\((\d{4})\)\. \*" + re.escape(long_title), readme)
    listed = re.search(r"\*\*" + re.escape(short_title) + r"\*\* \([^)]*, (\d{4})\)", home_text.DATA_SOURCES)
    assert cited and listed, short_title
    assert listed.group(1) == cited.group(1)
    if short_title.startswith("Race"):
        assert cited.group(1) == "2020"
