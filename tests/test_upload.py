"""The CSV validator for partners' own data (explorer.upload): good files, bad files, round trips."""
from __future__ import annotations

import csv
import io
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer import config, upload
from explorer.data import store
from explorer.plain import literal
from explorer.upload import MAX_COLUMNS, MAX_NAME_LENGTH, MAX_ROWS, UPLOAD_MAX_BYTES, parse_upload

A, B, C = "26163500100", "26163500200", "26163500300"  # real 2010 tracts in Wayne County (Detroit)
STUDY = {A, B, C, "01001020100"}
INJECTION = "<img src=x onerror=alert(1)>"


def parse(text: str | bytes, study=STUDY, max_bytes: int = UPLOAD_MAX_BYTES):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_upload(raw, "partner.csv", study, max_bytes)


# --- good files: input -> expected frame --------------------------------------------------------

GOOD_TRACT_FILES = [
    pytest.param(f"GEOID,enrolment\n{A},12\n{B},30\n", {A: 12.0, B: 30.0}, "enrolment", id="plain"),
    pytest.param(f"geoid,enrolment\r\n{A},12\r\n{B},30\r\n", {A: 12.0, B: 30.0}, "enrolment", id="crlf"),
    pytest.param(f"\ufeffTract_ID,enrolment\n{A},12\n", {A: 12.0}, "enrolment", id="utf8-bom"),
    pytest.param(f"FIPS;enrolment\n{A};12\n", {A: 12.0}, "enrolment", id="semicolons"),
    pytest.param(f"tract\tenrolment\n{A}\t12\n", {A: 12.0}, "enrolment", id="tabs"),
    pytest.param(f"GEOID;share, %\n{A};12\n", {A: 12.0}, "share, %", id="semicolons-comma-in-name"),
    pytest.param(f"Census Tract,enrolment\n{A}.0,12\n", {A: 12.0}, "enrolment", id="excel-float-id"),
    pytest.param(f"GEO_ID,enrolment\n1400000US{A},12\n", None, None, id="census-geo-id-column-name"),
    pytest.param(f"GEOID,enrolment\n1400000US{A},12\n", {A: 12.0}, "enrolment", id="census-geo-id-value"),
    pytest.param(f'GEOID,budget\n{A},"$1,234.50"\n{B},$7\n', {A: 1234.5, B: 7.0}, "budget", id="dollars"),
    pytest.param(f"GEOID,rate\n{A},-1.5e-3\n{B},NA\n", {A: -0.0015, B: math.nan}, "rate", id="sci-and-NA"),
    pytest.param(f"  geoid  ,  enrolment  \n {A} , 12 \n", {A: 12.0}, "enrolment", id="spaces"),
    pytest.param(f"GEOID,enrolment\n{A},12\n\n\n{B},3\n,\n", {A: 12.0, B: 3.0}, "enrolment", id="blank-lines"),
]


@pytest.mark.parametrize("text, expected, column", GOOD_TRACT_FILES)
def test_good_tract_files_parse_to_their_values(text, expected, column):
    result = parse(text)
    if expected is None:  # GEO_ID is not a recognised key name: the file is refused, with the reason
        assert not result.ok and "No tract id column found" in result.errors[0]
        return
    assert result.ok, result.errors
    assert result.kind == "tracts" and result.value_columns == [column]
    got = dict(zip(result.frame["tract"], result.frame[column]))
    assert got.keys() == expected.keys()
    for tract, value in expected.items():
        assert (math.isnan(value) and math.isnan(got[tract])) or got[tract] == pytest.approx(value)


def test_lost_leading_zero_is_restored_with_a_warning():
    result = parse("GEOID,enrolment\n1001020100,5\n")
    assert result.ok and result.frame["tract"].tolist() == ["01001020100"]
    assert result.warnings == ["Restored the leading zero of 1 tract id(s) with 10 digits "
                               "(e.g. 1001020100 -> 01001020100); spreadsheets often drop it."]


def test_latin1_file_is_read_with_a_warning():
    result = parse("GEOID,inscrits à l'école\n26163500100,5\n".encode("cp1252"))
    assert result.ok and result.value_columns == ["inscrits à l'école"]
    assert "not UTF-8" in result.warnings[0] and "CSV UTF-8" in result.warnings[0]


@pytest.mark.parametrize("text, expected", [
    ("latitude,longitude,clients\n42.33,-83.05,12\n42.4,-83.1,\n", [(42.33, -83.05, 12.0), (42.4, -83.1, math.nan)]),
    ("Lat,Lng\n42.33,-83.05\n", [(42.33, -83.05)]),
    ("site,LATITUDE,LONGITUDE\nLibrary,42.33,-83.05\n", [(42.33, -83.05, "Library")]),  # names kept
])
def test_point_files_keep_valid_coordinates(text, expected):
    result = parse(text)
    assert result.ok and result.kind == "points"
    rows = [tuple(row) for row in result.frame.itertuples(index=False)]
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected):
        assert row == pytest.approx(want, nan_ok=True)


def test_real_opportunity_atlas_tract_file_round_trips(raw_tracts):
    """The Opportunity Atlas's own tract file (integer ids, so no leading zeros) re-uploaded for Detroit."""
    detroit = set(store.study_tracts("detroit", config.PROCESSED_DIR)["tract"])
    column = "Household_Income_at_Age_35_rP_gP_p25"
    national = raw_tracts[[column]].rename_axis("tract").reset_index()
    national["tract"] = national["tract"].astype("int64")  # as the raw file stores it
    result = parse_upload(national.to_csv(index=False).encode(), "atlas.csv", detroit, UPLOAD_MAX_BYTES)
    in_both = sorted(detroit & set(raw_tracts.index))  # a few study-area shapes have no Atlas row
    assert result.ok and sorted(result.frame["tract"]) == in_both
    got = result.frame.set_index("tract")[column]
    assert got["26163500100"] == pytest.approx(raw_tracts.loc["26163500100", column], nan_ok=True)
    assert got.isna().sum() == raw_tracts.loc[in_both, column].isna().sum() > 0  # suppressed stay missing
    assert result.warnings == [f"{len(raw_tracts) - len(in_both):,} tract id(s) are not in this city's study "
                               "area and were left out (the map uses 2010 census tracts; ids of tracts "
                               "redrawn in 2020 do not match)."]


# --- bad files: input -> the message a partner reads --------------------------------------------

BAD_FILES = [
    pytest.param(b"", "The file is empty.", id="empty"),
    pytest.param(b"\n \n", "The file is empty.", id="whitespace"),
    pytest.param(b",,\n,,\n", "The file is empty.", id="only-separators"),
    pytest.param(b"GEOID,enrolment\n", "The file has a header row but no data rows.", id="header-only"),
    pytest.param(b"name,enrolment\nx,1\n", "No tract id column found among: 'name', 'enrolment'.", id="no-key"),
    pytest.param(b"latitude,clients\n42,1\n", "has a latitude column but no longitude column", id="lat-only"),
    pytest.param(b"\xff\xfeG\x00E\x00", "saved as UTF-16 text", id="utf16"),
    pytest.param(b"PK\x03\x04\x00\x00binary", "'partner.csv' does not look like a CSV text file", id="xlsx"),
    pytest.param(f"GEOID,enrolment\n{A},1\n{A},2\n{B},3\n".encode(),
                 f"1 tract id(s) appear more than once: '{A}'. Keep one row per tract.", id="duplicates"),
    pytest.param(f"GEOID,enrolment\n{A},1\n{A}.0,2\n".encode(), "appear more than once", id="duplicates-after-cleaning"),
    pytest.param(b"GEOID,v,v\n1,2,3\n", "Two or more columns have the same name: 'v'.", id="duplicate-columns"),
    pytest.param(f"GEOID,enrolment\n{A},1,2\n".encode(),
                 "Row 2 has 3 values but the header row has 2 columns.", id="ragged-row"),
    pytest.param(b'GEOID,enrolment\n"26163500100,1\n', "could not be read as a table", id="open-quote"),
    pytest.param(f"GEOID,name\n{A},Corktown\n".encode(), "no column of numbers", id="no-numbers"),
    pytest.param(b"GEOID,enrolment\n36055000100,1\n", "None of the rows has a valid tract id in this city's",
                 id="all-outside"),
    pytest.param(b"latitude,longitude\n-83.05,42.33\n", "look swapped", id="swapped-points"),
    pytest.param(b"latitude,longitude\n100,0\nx,y\n", "No row has a usable latitude and longitude", id="bad-points"),
    pytest.param(("GEOID," + ",".join(f"c{i}" for i in range(MAX_COLUMNS)) + "\n").encode(),
                 f"The file has {MAX_COLUMNS + 1} columns; the limit is {MAX_COLUMNS}.", id="too-many-columns"),
    pytest.param(("GEOID,v\n" + f"{A},1\n" * (MAX_ROWS + 1)).encode(),
                 f"The file has {MAX_ROWS + 1:,} data rows; the limit is {MAX_ROWS:,}.", id="too-many-rows"),
]


@pytest.mark.parametrize("raw, message", BAD_FILES)
def test_bad_files_are_refused_with_a_clear_message(raw, message):
    result = parse(raw)
    assert not result.ok and result.kind == "none" and result.frame.empty
    assert any(message in error for error in result.errors), result.errors


def test_over_the_size_limit_is_refused_before_reading():
    result = parse("GEOID,v\n" + f"{A},1\n" * 200, max_bytes=1024)  # 3,008 bytes
    assert result.errors == ["The file is 3 KB; the limit is 1 KB. Keep only the columns you need, or split it."]
    big = parse(b"x" * (UPLOAD_MAX_BYTES + 1))
    assert big.errors == ["The file is 5.0 MB; the limit is 5.0 MB. Keep only the columns you need, or split it."]


def test_size_limit_matches_the_server_setting():
    """The validator's limit and Streamlit's server.maxUploadSize (MB) must agree."""
    import tomllib
    settings_file = config.ROOT / ".streamlit" / "config.toml"
    server = tomllib.loads(settings_file.read_text())["server"]
    assert server["maxUploadSize"] * 1024 * 1024 == UPLOAD_MAX_BYTES


WARNING_FILES = [
    pytest.param("GEOID,enrolment\n" + "".join(f"bad{i},1\n" for i in range(12)) + f"{A},5\n",
                 "12 row(s) have ids that are not 11-digit census tract ids and were left out: 'bad0', 'bad1', "
                 "'bad2', 'bad3', 'bad4', 'bad5', 'bad6', 'bad7', 'bad8', 'bad9' and 2 more.", id="bad-ids-first-10"),
    pytest.param(f"GEOID,enrolment\n2.6163E+10,1\n{A},5\n", "Format the id column as Text", id="excel-scientific"),
    pytest.param(f"GEOID,enrolment\n{A},5\n36055000100,1\n39061000100,2\n",
                 "2 tract id(s) are not in this city's study area and were left out", id="outside-counted"),
    pytest.param(f"GEOID,enrolment\n{A},5\n{B},many\n{C},n/a\n",
                 "Column 'enrolment': 1 value(s) are not numbers and are shown as missing: 'many'.", id="non-numeric"),
    pytest.param(f"GEOID,enrolment,notes\n{A},5,fine\n", "Column 'notes' holds text, not numbers, so it was left out.",
                 id="text-column"),
    pytest.param(f"GEOID,enrolment,empty\n{A},5,\n", "Column 'empty' is empty, so it was left out.", id="empty-column"),
    pytest.param(f"GEOID,enrolment\n{A},5\n,7\n", "1 row(s) have no tract id and were left out.", id="blank-id"),
    pytest.param(f"GEOID,enrolment\n{A},inf\n{B},1e999\n{C},3\n", "2 value(s) are not numbers", id="infinite"),
    pytest.param(f"GEOID,latitude,longitude,enrolment\n{A},42,-83,5\n", "the tract ids were used", id="both-keys"),
    pytest.param("latitude,longitude\n42,-83\n95,-83\n", "1 row(s) have a latitude outside -90..90", id="lat-range"),
    pytest.param("latitude,longitude\n42,-83\n42,-190\n", "longitude outside -180..180", id="lon-range"),
    pytest.param("latitude,longitude\n42,-83\n,-83\n", "1 row(s) have a missing or non-numeric latitude", id="lat-missing"),
]


@pytest.mark.parametrize("text, message", WARNING_FILES)
def test_partly_bad_files_load_the_rest_and_say_what_was_left_out(text, message):
    result = parse(text)
    assert result.ok, result.errors
    assert any(message in warning for warning in result.warnings), result.warnings


def test_a_lone_coordinate_like_column_in_a_tract_file_is_a_value():
    result = parse(f"GEOID,y\n{A},5\n")
    assert result.ok and result.value_columns == ["y"] and result.warnings == []


def test_non_numeric_cells_become_missing_not_zero():
    result = parse(f"GEOID,enrolment\n{A},5\n{B},many\n")
    values = result.frame.set_index("tract")["enrolment"]
    assert values[A] == 5 and math.isnan(values[B])


def test_column_names_stay_plain_text():
    """An HTML-looking name is kept verbatim as a string (the UI shows it as text, never as HTML)."""
    result = parse(f'GEOID,"{INJECTION}","**bold** [link](javascript:alert(1))"\n{A},1,2\n')
    assert result.value_columns == [INJECTION, "**bold** [link](javascript:alert(1))"]
    assert list(result.frame.columns) == ["tract", INJECTION, "**bold** [link](javascript:alert(1))"]


def test_long_column_names_are_shortened():
    result = parse(f"GEOID,{'n' * 200}\n{A},1\n")
    assert result.value_columns == ["n" * MAX_NAME_LENGTH]
    assert f"longer than {MAX_NAME_LENGTH} characters" in result.warnings[0]


@pytest.mark.parametrize("text, summary", [
    (f"GEOID,a,b\n{A},1,2\n{B},3,4\n", "Loaded 2 tracts with 2 numeric columns: a, b."),
    (f"GEOID,a\n{A},1\n", "Loaded 1 tract with 1 numeric column: a."),
    ("latitude,longitude\n42.3,-83.0\n", "Loaded 1 point with no numeric columns."),
    ("latitude,longitude,n\n42.3,-83.0,1\n42.4,-83.1,2\n", "Loaded 2 points with 1 numeric column: n."),
    ("Place,latitude,longitude\nClinic,42.3,-83.0\nLibrary,42.4,-83.1\n",
     "Loaded 2 points with no numeric columns. Their names come from the column 'Place'."),
    (b"", "Nothing was loaded from this file."),
])
def test_summary_counts_what_was_loaded(text, summary):
    assert parse(text).summary == summary
    assert "(s)" not in summary


@pytest.mark.parametrize("header, used", [("name", "name"), ("LABEL", "LABEL"), (" Site ", "Site"),
                                          ("place", "place"), ("site,name", "name"), ("label,place", "label")])
def test_a_places_file_keeps_its_column_of_names(header, used):
    names = header.count(",") + 1
    cells = ",".join(["Clinic"] * names)
    result = parse(f"{header},latitude,longitude,visits\n{cells},42.3,-83.0,4\n")
    assert result.ok and result.label_column == used
    assert result.frame["label"].tolist() == ["Clinic"] and result.value_columns == ["visits"]
    assert list(result.frame.columns) == ["latitude", "longitude", "label", "visits"]
    if names == 2:  # the other name-like column is text too, and left out like any text column
        assert any("holds text" in w for w in result.warnings)


def test_place_names_stay_plain_text_and_numbers_are_names_too():
    markup = "<b>Main</b> *library* [x](javascript:alert(1))"
    result = parse(f"site,latitude,longitude\n\"{markup}\",42.3,-83.0\n101,42.4,-83.1\nNA,42.5,-83.2\n"
                   f"{'n' * 100},42.6,-83.3\n")
    assert result.frame["label"].tolist() == [markup, "101", "", "n" * upload.MAX_LABEL_LENGTH]
    assert result.warnings == ["1 name(s) in column 'site' are longer than 80 characters and were shortened."]


def test_a_tract_file_keeps_no_names_and_a_places_file_without_them_says_how():
    tracts = parse(f"GEOID,name,a\n{A},Corktown,1\n")
    assert "label" not in tracts.frame.columns and tracts.label_column is None
    assert tracts.warnings == ["Column 'name' holds text, not numbers, so it was left out."]
    points = parse("latitude,longitude,who\n42.3,-83.0,Clinic\n")
    assert points.warnings == ["Column 'who' holds text, not numbers, so it was left out. To show the places' "
                               "names on the map, name that column name, label, place or site."]


# --- properties ---------------------------------------------------------------------------------

TRACTS = sorted(STUDY)
names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
                min_size=1, max_size=30)
values = st.one_of(st.floats(allow_nan=False, allow_infinity=False, width=64), st.none())


@st.composite
def tract_files(draw):
    """A valid upload: unique study-area tracts, 1-4 uniquely named numeric columns (any Unicode name)."""
    tracts = draw(st.lists(st.sampled_from(TRACTS), min_size=1, max_size=len(TRACTS), unique=True))
    columns = draw(st.lists(names.filter(_plain_value_name), min_size=1, max_size=4,
                            unique_by=lambda n: " ".join(n.split()).lower()))
    rows = {t: [draw(values) for _ in columns] for t in tracts}
    if all(row[i] is None for row in rows.values() for i in range(len(columns))):
        rows[tracts[0]][0] = 1.0  # a column of only blanks is left out by design; keep one number
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    return columns, rows, delimiter


def _plain_value_name(name: str) -> bool:
    """Names the validator would treat as a key or coordinate column are not value columns."""
    from explorer.upload import LATITUDE_NAMES, LONGITUDE_NAMES, TRACT_KEY_NAMES, _normalised
    return _normalised(name) not in {*TRACT_KEY_NAMES, *LATITUDE_NAMES, *LONGITUDE_NAMES}


def _write_csv(header: list[str], rows: list[list], delimiter: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL if delimiter == "," else csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tract_files())
def test_valid_generated_files_round_trip(spec):
    columns, rows, delimiter = spec
    raw = _write_csv(["GEOID", *columns], [[t, *("" if v is None else repr(v) for v in r)] for t, r in rows.items()],
                     delimiter)
    result = parse_upload(raw, "generated.csv", STUDY, UPLOAD_MAX_BYTES)
    assert result.ok, result.errors
    kept = [c for i, c in enumerate(columns) if any(r[i] is not None for r in rows.values())]
    assert result.value_columns == [" ".join(c.split()) for c in kept]
    frame = result.frame.set_index("tract")
    assert sorted(frame.index) == sorted(rows)
    for tract, row in rows.items():
        for index, column in enumerate(columns):
            if column not in kept:
                continue
            got, want = frame.loc[tract, " ".join(column.split())], row[index]
            assert (want is None and math.isnan(got)) or got == want


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-90, 90), st.floats(-180, 180)), min_size=1, max_size=30))
def test_valid_generated_points_round_trip(points):
    raw = _write_csv(["latitude", "longitude"], [[repr(a), repr(b)] for a, b in points], ",")
    result = parse_upload(raw, "points.csv", STUDY, UPLOAD_MAX_BYTES)
    if all(a < 0 for a, _ in points) and all(0 < b <= 90 for _, b in points):
        assert "look swapped" in result.errors[0]  # the validator's guard against swapped columns
        return
    assert result.ok, result.errors
    assert list(result.frame.itertuples(index=False, name=None)) == points


def test_parsed_frames_have_the_documented_types():
    tracts = parse(f"GEOID,enrolment\n{A},5\n").frame
    assert tracts["tract"].map(len).eq(11).all() and pd.api.types.is_float_dtype(tracts["enrolment"])


# --- the uploader widget (ui.own_data_uploader) through AppTest ---------------------------------

def _uploader_app():
    import streamlit as st

    import ui
    result = ui.own_data_uploader({"26163500100", "26163500200"}, "detroit")
    st.session_state["loaded_columns"] = result.value_columns if result else None


def test_uploader_keeps_hostile_names_as_text_and_escapes_messages():
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_function(_uploader_app, default_timeout=30).run()
    assert at.session_state["loaded_columns"] is None and not at.error
    raw = f'GEOID,"{INJECTION}",notes\n{A},5,<b>x</b>\n{B},many,y\n'.encode()
    at.file_uploader(key="own_data").upload("partner.csv", raw, "text/csv").run()
    assert not at.exception
    assert at.session_state["loaded_columns"] == [INJECTION]  # the name, verbatim, as data
    assert list(at.dataframe[0].value.columns) == ["tract", INJECTION]
    warnings = [w.value for w in at.warning]
    assert warnings[0] == literal(f"Column '{INJECTION}': 1 value(s) are not numbers and are shown "
                                  "as missing: 'many'.")
    assert warnings[1] == literal("Column 'notes' holds text, not numbers, so it was left out.")
    assert all("<" not in w.replace("\\<", "") for w in warnings)


def test_uploader_shows_errors_and_loads_nothing_for_a_bad_file():
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_function(_uploader_app, default_timeout=30).run()
    at.file_uploader(key="own_data").upload("partner.csv", b"name,value\nx,1\n", "text/csv").run()
    assert not at.exception and at.session_state["loaded_columns"] is None
    assert len(at.error) == 1 and at.error[0].value.startswith("No tract id column found among")


# --- names the app itself uses -----------------------------------------------------------------------

def test_a_second_tract_id_column_is_left_out_with_a_word():
    """A Census export's GEOID and tract: GEOID is the id, tract is not mapped as a value."""
    result = parse(f"GEOID,tract,enrolled\n{A},5001,12\n{B},5002,30\n")
    assert result.ok and result.value_columns == ["enrolled"]
    assert list(result.frame.columns) == ["tract", "enrolled"]
    assert result.frame["enrolled"].tolist() == [12.0, 30.0]
    assert "The file has more than one tract id column: 'GEOID', 'tract'. 'GEOID' was used and 'tract' left out." \
        in result.warnings


@pytest.mark.parametrize("name", ["latitude", "LATITUDE", " Longitude "])
def test_a_value_column_named_like_the_apps_own_is_renamed(name):
    result = parse(f'GEOID,"{name}",enrolled\n{A},42.3,12\n{B},42.4,30\n')
    shown = f"{name.strip()} (your column)"
    assert result.ok and result.value_columns == [shown, "enrolled"]
    assert list(result.frame.columns) == ["tract", shown, "enrolled"]
    assert result.frame[shown].tolist() == [42.3, 42.4]
    assert any("has the name of a column the app adds" in w for w in result.warnings)


def test_a_points_file_with_two_latitude_columns_uses_the_first_and_says_so():
    result = parse("LATITUDE,longitude,latitude,count\n42.33,-83.05,1,5\n42.35,-83.1,2,7\n")
    assert result.ok and result.kind == "points"
    assert list(result.frame.columns) == ["latitude", "longitude", "count"]
    assert result.frame["latitude"].tolist() == [42.33, 42.35]
    assert any("more than one location column" in w and "'latitude' left out" in w for w in result.warnings)


def test_a_failure_nobody_foresaw_is_a_message_not_a_crash(monkeypatch):
    from explorer import upload
    monkeypatch.setattr(upload, "_read_table", lambda text, result: 1 / 0)
    result = parse(f"GEOID,n\n{A},1\n")
    assert not result.ok and result.kind == "none"
    assert result.errors == ["The file could not be read (ZeroDivisionError). Save it as a plain CSV "
                             "(comma-separated, UTF-8) and try again."]


@pytest.mark.parametrize("text", [
    "GEOID,n\n" + A + "," + "9" * 4_000_000 + "\n",             # one enormous number
    "GEOID," + "n" * 1_000_000 + "\n" + A + ",1\n",             # one enormous column name
    '"' * 3_000_000,                                            # an unclosed quote the size of the file
    "GEOID,n\n" + (A + ",1\n") * 3 + "," * 1_000_000 + "\n",   # a row of a million empty cells
])
def test_very_long_tokens_load_or_are_refused_in_words(text):
    result = parse(text)
    assert result.ok or result.errors
    assert all(len(message) < 600 for message in result.errors + result.warnings)


# --- decimal commas --------------------------------------------------------------------------------

def test_a_semicolon_file_reads_its_decimal_commas():
    """GEOID;share;income with 0,125 and 1.234,5: once read as 125.0 and dropped."""
    result = parse(f"GEOID;share;income\n{A};0,125;1.234,5\n{B};0,5;987\n")
    assert result.ok and not result.warnings
    assert result.frame["share"].tolist() == [0.125, 0.5]
    assert result.frame["income"].tolist() == [1234.5, 987.0]


def test_a_semicolon_points_file_reads_decimal_comma_coordinates():
    result = parse("latitude;longitude;n\n42,33;-83,05;1\n42,35;-83,1;2\n")
    assert result.ok and result.frame["latitude"].tolist() == [42.33, 42.35]
    assert result.frame["longitude"].tolist() == [-83.05, -83.1]


def test_a_point_in_a_decimal_comma_column_is_no_number_and_is_named():
    result = parse(f"GEOID;n\n{A};1.234,5\n{B};2.5\n")
    assert result.frame["n"].iloc[0] == 1234.5 and result.frame["n"].isna().iloc[1]
    assert result.warnings == ["Column 'n': 1 value(s) are not numbers and are shown as missing: '2.5'."]


def test_a_semicolon_column_of_points_alone_is_read_as_decimals_and_says_so():
    result = parse(f"GEOID;n\n{A};1.234\n{B};2.5\n")
    assert result.frame["n"].tolist() == [1.234, 2.5]
    assert "values like '1.234' were read with a decimal point (1.234)" in result.warnings[0]


def test_a_decimal_comma_in_a_comma_file_is_never_read_as_thousands():
    result = parse(f'GEOID,share\n{A},"0,125"\n{B},"1,234"\n{C},"12,5"\n')
    assert result.frame["share"].iloc[1] == 1234.0  # a thousands comma, as in 1,234
    assert result.frame["share"].iloc[[0, 2]].isna().all()  # 0,125 is not 125, 12,5 is not 125
    assert "'0,125', '12,5'" in result.warnings[0] and "decimal comma" in result.warnings[0]


def test_a_file_of_too_many_places_is_refused_with_what_to_do():
    from explorer.upload import MAX_POINT_ROWS
    rows = "".join(f"42.3{i % 10},-83.0{i % 7},{i}\n" for i in range(MAX_POINT_ROWS + 1))
    result = parse("latitude,longitude,n\n" + rows)
    assert not result.ok
    assert result.errors == [f"The file has {MAX_POINT_ROWS + 1:,} places; the limit for a file of places is "
                             f"{MAX_POINT_ROWS:,}. Keep the places in or near this city, or upload counts per "
                             "tract instead (a GEOID column)."]


# ---- The web server holds an upload in memory too ----

def _parse_multipart(size: int):
    """Read one multipart request with a `size`-byte file part, as Streamlit's upload route does
    (Starlette's Request.form()); returns the parsed part's file object."""
    import asyncio
    import concurrent.futures

    from starlette.requests import Request
    boundary = "b0undary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n").encode() + b"x" * size + f"\r\n--{boundary}--\r\n".encode()
    scope = {"type": "http", "method": "PUT", "path": "/", "query_string": b"",
             "headers": [(b"content-type", f"multipart/form-data; boundary={boundary}".encode()),
                         (b"content-length", str(len(body)).encode())]}

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def read():
        form = await Request(scope, receive).form()
        part = form["file"]
        held = part.file
        assert len(await part.read()) == size
        return held
    # in a thread of its own: the browser tests' Playwright keeps an event loop running in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, read()).result()


def test_an_upload_of_the_largest_allowed_size_is_never_spooled_to_disk(monkeypatch):
    """Starlette writes a part over 1 MB to a temporary file; app.py raises the threshold above the
    largest upload the server takes, so not even the web server puts a visitor's file on disk."""
    from starlette.formparsers import MultiPartParser

    import serve
    from harness.apptest import app_test
    monkeypatch.setattr(MultiPartParser, "spool_max_size", 1024 * 1024)  # Starlette's own default
    assert _parse_multipart(UPLOAD_MAX_BYTES)._rolled, "the check below would prove nothing"
    app_test().run()  # every run of the app sets it, before any page or upload
    assert MultiPartParser.spool_max_size > UPLOAD_MAX_BYTES
    assert not _parse_multipart(UPLOAD_MAX_BYTES)._rolled
    serve.keep_uploads_in_memory()  # and never lowers a bigger threshold
    assert MultiPartParser.spool_max_size > UPLOAD_MAX_BYTES
