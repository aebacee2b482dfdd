"""Bad input everywhere: fuzzed uploads and fuzzed links never produce a traceback.

Uploads go straight to the validator (it is pure); links go through the whole app (AppTest via
app.py), so whatever code reads the query parameters is covered, now and after it changes.
"""
from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from explorer import config, links
from explorer.upload import UploadResult, parse_upload
from harness.apptest import app_test

STUDY = {"26163500100", "26163500200", "40143000100"}
NASTY_TEXT = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "**bold** [x](javascript:alert(1))",
              "../../etc/passwd", "%00", "\x00", "' OR 1=1 --", "détroit", "🙂" * 50, "a" * 5000, "", " ", ","]


def assert_consistent(result: UploadResult) -> None:
    """Every outcome is either a usable frame or a plain-text refusal, never half of each."""
    assert isinstance(result, UploadResult)
    assert all(isinstance(message, str) and message for message in [*result.errors, *result.warnings])
    if result.ok:
        assert result.kind in ("tracts", "points") and not result.frame.empty
        key = ["tract"] if result.kind == "tracts" else ["latitude", "longitude"]
        assert list(result.frame.columns) == key + result.value_columns
        if result.kind == "tracts":
            assert set(result.frame["tract"]) <= STUDY and result.frame["tract"].is_unique
    else:
        assert result.errors and result.kind == "none" and result.frame.empty


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
@example(b"\xef\xbb\xbf")
@example(b'"')
@example(b"\r\r\r")
@example(b"GEOID\n\xff\n")
def test_arbitrary_bytes_never_raise(raw):
    assert_consistent(parse_upload(raw, "fuzz.csv", STUDY, 1000))


cells = st.one_of(st.text(max_size=12), st.sampled_from([*NASTY_TEXT, *STUDY, "26163500100.0", "1e999", "nan",
                                                         "-1", "$1,000", "42.3", "-83.1", "1400000US26163500100"]))
headers = st.sampled_from(["GEOID", "tract", "FIPS", "latitude", "longitude", "lat", "lon", "value", "x", "y",
                           *NASTY_TEXT])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.lists(headers, min_size=1, max_size=6),
       rows=st.lists(st.lists(cells, max_size=7), max_size=12),
       delimiter=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_csv_shaped_input_never_raises(header, rows, delimiter, encoding):
    """Structured fuzz reaches the checks deep inside (keys, ids, numbers, duplicates, ragged rows)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    raw = buffer.getvalue().encode(encoding, errors="replace")
    assert_consistent(parse_upload(raw, "fuzz.csv", STUDY, 100_000))


# --- links: query parameters through the whole app ----------------------------------------------

PHISH = "[Click here](https://phish.example)"
param_names = st.one_of(st.sampled_from(list(links.FIELDS)), st.sampled_from([*NASTY_TEXT[:4], PHISH]),
                        st.text(max_size=10))
param_values = st.one_of(st.sampled_from([*config.CITIES, *NASTY_TEXT, PHISH]), st.text(max_size=60),
                         st.lists(st.sampled_from([*config.CITIES, *NASTY_TEXT]), min_size=1, max_size=3))


def assert_page_survived(at) -> None:
    assert not at.exception, at.exception
    assert not at.error, [element.value for element in at.error]
    assert at.session_state["city"] in config.CITIES
    assert at.title, "the page drew nothing"
    for notice in at.toast:  # notices render Markdown: no link, tag, emphasis or maths from the URL
        assert not re.search(r"\]\(|<|\*\*|\$", notice.value), notice.value
        assert not re.search(r"(?i)www\\?\.|\w\\?[:@]", notice.value), notice.value  # nor an autolink


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(param_names, param_values, max_size=5))
def test_fuzzed_links_never_break_the_app(params):
    at = app_test()
    at.query_params.update(params)
    assert_page_survived(at.run())
    wanted = params.get("city")
    wanted = wanted[-1] if isinstance(wanted, list) else wanted
    if wanted in config.CITIES:  # a valid city in the link is honoured
        assert at.session_state["city"] == wanted


@pytest.mark.parametrize("value", [*NASTY_TEXT, PHISH])
def test_hostile_city_values_fall_back_to_the_default_city(value):
    at = app_test()
    at.query_params["city"] = value
    assert_page_survived(at.run())
    assert at.session_state["city"] == config.DEFAULT_CITY


def test_server_settings_are_hardened():
    """.streamlit/config.toml: XSRF on, CORS protection on with no allowed origins, small uploads,
    no telemetry, no error details or static files served to visitors."""
    import tomllib
    settings_file = config.ROOT / ".streamlit" / "config.toml"
    settings_ = tomllib.loads(settings_file.read_text())
    server = settings_["server"]
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert server.get("corsAllowedOrigins", []) == [] and "*" not in server.get("allowedHosts", [])
    assert server["maxUploadSize"] <= 10 and server.get("enableStaticServing", False) is False
    assert settings_["browser"]["gatherUsageStats"] is False
    assert settings_["client"]["showErrorDetails"] == "none"
