"""Reading a community partner's own CSV: tract values (keyed by 2010 tract GEOID) or lat/lon points.

Pure and in memory: `parse_upload` takes the uploaded bytes and returns a frame plus plain-language
problems; nothing is written to disk and nothing is cached across users (the page keeps the result
in the user's own session state only).

Policy, chosen for partners who are not data experts:
- *errors* stop the upload (nothing would be shown, or what is shown would be ambiguous): empty
  file, too big, not text, no key column, duplicate tract ids, no usable rows, no numeric column;
- a places file (latitude and longitude) keeps one column of names for its dots' tooltips and table: the
  column named name, label, place or site (any capitals; the first of these if there are several), kept
  as text whatever it holds;
- *warnings* describe rows or cells left out while the rest is shown: ids that are not tract ids or
  lie outside the study area, text in a numeric column, a lost leading zero restored, a file that
  was not UTF-8 and was read as Windows/Latin-1 text.
Messages are in the reader's language at parse time (the page parses again when the language changes); the
user's own text in them (column names, values) is quoted as written. Column names and values are kept as plain
strings; the UI must show them as text (st.dataframe,
st.text), never as markdown or HTML; messages quote user text, so show them with st.text or pass them
through `explorer.plain.literal` before st.error/st.warning.
"""
from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field

import pandas as pd

from explorer.i18n import N_, _, localized, ngettext

UPLOAD_MAX_BYTES = 5 * 1024 * 1024  # matches server.maxUploadSize = 5 (MB) in .streamlit/config.toml
MAX_ROWS = 100_000   # room for a national tract file (73,502 tracts); parsing stays well under a second
MAX_POINT_ROWS = 20_000  # places (latitude/longitude) per file: a city's sites, not a national list
MAX_COLUMNS = 50
MAX_NAME_LENGTH = 80  # longer column names are cut (with a warning) so tables and legends stay readable
SHOWN_EXAMPLES = 10   # how many bad ids or values a message lists

TRACT_KEY_NAMES = ("geoid", "geoid10", "geoid_10", "tract_geoid", "tract_id", "tractid", "tract",
                   "census_tract", "tract_fips", "fips")  # in order of preference
LATITUDE_NAMES = ("latitude", "lat", "y")
LONGITUDE_NAMES = ("longitude", "lon", "lng", "long", "x")
LABEL_NAMES = ("name", "label", "place", "site")  # a places file's column of names, in order of preference
LABEL = "label"  # the frame column holding each place's name (plain text)
MAX_LABEL_LENGTH = 80  # longer names are cut so that tooltips and tables stay readable
FRAME_COLUMNS = ("tract", "latitude", "longitude", LABEL)  # the columns the app itself puts in a parsed frame
RENAMED = N_("{} (your column)")  # a value column named like one of FRAME_COLUMNS, in any case or spacing
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "-", ".", "#n/a"})
DELIMITERS = (",", ";", "\t")
EMPTY = N_("The file is empty.")

NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?")  # 1,234.5 (not 0,125: a decimal comma)
COMMA_NUMBER = re.compile(r"[+-]?(\d{1,3}(\.\d{3})+|\d*)(,\d+)?")  # 1.234,5  0,125  -3  ,5
POINT_GROUPS = re.compile(r"[+-]?\d{1,3}(\.\d{3})+")                  # 1.234 or 1.234.567: a thousands point?
TRACT_ID = re.compile(r"\d{11}")
CENSUS_GEO_ID = re.compile(r"1400000US(\d{11})")  # the form data.census.gov downloads use
SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE]\+?\d+")


@dataclass
class UploadResult:
    """What was read. kind is "tracts" (frame: tract + numeric columns), "points" (frame: latitude,
    longitude, `label` when the file names its places, + numeric columns) or "none" when errors stopped
    the upload (frame empty). label_column is the file's own name of the column of names."""
    kind: str = "none"
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    value_columns: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    decimal_comma: bool = False  # a semicolon-separated file: a comma in a number is its decimal mark
    label_column: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.kind != "none"

    @property
    def summary(self) -> str:
        if not self.ok:
            return _("Nothing was loaded from this file.")
        rows, count = len(self.frame), len(self.value_columns)
        n = _number(rows)
        if count:
            columns = ngettext("{n} numeric column", "{n} numeric columns", count).format(n=_number(count))
            names = ", ".join(self.value_columns)
            if self.kind == "tracts":
                loaded = ngettext("Loaded {n} tract with {columns}: {names}.",
                                  "Loaded {n} tracts with {columns}: {names}.", rows)
            else:
                loaded = ngettext("Loaded {n} point with {columns}: {names}.",
                                  "Loaded {n} points with {columns}: {names}.", rows)
            loaded = loaded.format(n=n, columns=columns, names=names)
        elif self.kind == "tracts":
            loaded = ngettext("Loaded {n} tract with no numeric columns.",
                              "Loaded {n} tracts with no numeric columns.", rows).format(n=n)
        else:
            loaded = ngettext("Loaded {n} point with no numeric columns.",
                              "Loaded {n} points with no numeric columns.", rows).format(n=n)
        if not self.label_column:
            return loaded
        return " ".join([loaded, _("Their names come from the column {column}.").format(
            column=_quoted(self.label_column))])


def parse_upload(raw: bytes, file_name: str, study_tracts: set[str],
                 max_bytes: int = UPLOAD_MAX_BYTES) -> UploadResult:
    """Validate and parse one uploaded CSV held in memory; never raises on bad input (a failure this
    code did not foresee becomes a plain error message, the file loading nothing)."""
    try:
        return _parse(raw, file_name, study_tracts, max_bytes)
    except Exception as error:
        return UploadResult(errors=[_("The file could not be read ({error}). Save it as a plain CSV "
                                      "(comma-separated, UTF-8) and try again.").format(error=type(error).__name__)])


def _parse(raw: bytes, file_name: str, study_tracts: set[str], max_bytes: int) -> UploadResult:
    result = UploadResult()
    text = _decode(raw, file_name, max_bytes, result)
    table = _read_table(text, result) if text is not None else None
    body = _with_header(table, result) if table is not None else None
    if body is None:
        return result
    header = list(body.columns)
    key = _find(header, TRACT_KEY_NAMES)
    latitude, longitude = _find(header, LATITUDE_NAMES), _find(header, LONGITUDE_NAMES)
    if key is not None:
        _parse_tracts(body, key, [latitude, longitude], study_tracts, result)
    elif latitude is not None and longitude is not None:
        _parse_points(body, latitude, longitude, result)
    else:
        _missing_key(header, latitude, longitude, result)
    if result.errors:
        result.kind, result.frame, result.value_columns = "none", pd.DataFrame(), []
    return result


# --- bytes -> text ---------------------------------------------------------------------------------

def _decode(raw: bytes, file_name: str, max_bytes: int, result: UploadResult) -> str | None:
    """UTF-8 (with or without BOM) as is; other 8-bit text read as Windows-1252/Latin-1 with a warning."""
    if len(raw) > max_bytes:
        result.errors.append(_("The file is {size}; the limit is {limit}. Keep only the columns you need, or "
                               "split it.").format(size=_size(len(raw)), limit=_size(max_bytes)))
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        result.errors.append(_("The file is saved as UTF-16 text. In your spreadsheet choose "
                               "'Save as' > 'CSV UTF-8 (comma delimited)' and upload that file."))
        return None
    if b"\x00" in raw:
        result.errors.append(_("{file} does not look like a CSV text file (it contains binary data). Upload a "
                               ".csv file saved as UTF-8.").format(file=_quoted(file_name)))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_legacy(raw)
        result.warnings.append(_("The file is not UTF-8, so it was read as Windows (Latin-1) text. If names "
                                 "with accents look wrong, save it as 'CSV UTF-8' and upload it again."))
    if not text.strip():
        result.errors.append(_(EMPTY))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # old Mac exports end lines with \r alone


def _decode_legacy(raw: bytes) -> str:
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # five bytes cp1252 leaves undefined; Latin-1 maps every byte
        return raw.decode("latin-1")


def _size(size: int) -> str:
    return localized(f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{math.ceil(size / 1024):,} KB")


def _number(count: int) -> str:
    """A count as the reader writes it: 1,204."""
    return localized(f"{count:,}")


# --- text -> table of strings ----------------------------------------------------------------------

def _delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one found the same number of times on the first lines (outside
    quotes), most often on the header; comma on a tie (European and tab-separated exports)."""
    lines = [re.sub(r'"[^"]*"', "", line) for line in text.split("\n") if line.strip()][:5]

    def score(delimiter: str) -> tuple[bool, int]:
        counts = [line.count(delimiter) for line in lines]
        return len(set(counts)) == 1 and counts[0] > 0, counts[0] if counts else 0
    return max(DELIMITERS, key=score)


def _read_table(text: str, result: UploadResult) -> pd.DataFrame | None:
    delimiter = _delimiter(text)
    result.decimal_comma = delimiter == ";"  # how spreadsheets in decimal-comma countries save CSV
    try:
        table = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=str,
                            keep_default_na=False, na_filter=False, skip_blank_lines=True)
    except pd.errors.EmptyDataError:
        result.errors.append(_(EMPTY))
        return None
    except Exception as error:  # pandas' parsers raise several types; all mean "not a readable table"
        result.errors.append(_parser_message(error))
        return None
    table = table.fillna("")
    table = table[~(table == "").all(axis=1)].reset_index(drop=True)  # rows of only separators
    if table.empty:
        result.errors.append(_(EMPTY))
        return None
    if table.shape[1] > MAX_COLUMNS:
        result.errors.append(_("The file has {count} columns; the limit is {limit}. Keep the id column and the "
                               "columns you want to map.").format(count=_number(table.shape[1]),
                                                                  limit=_number(MAX_COLUMNS)))
        return None
    return table


def _parser_message(error: Exception) -> str:
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
    if found:
        expected, line, saw = found.groups()
        return _("Row {line} has {saw} values but the header row has {expected} columns. Check for extra commas "
                 "or unquoted text in that row.").format(line=line, saw=saw, expected=expected)
    return _("The file could not be read as a table of comma-separated values (check quotes and separators).")


def _with_header(table: pd.DataFrame, result: UploadResult) -> pd.DataFrame | None:
    """The data rows named by the first row, or None (with the reason) if there is nothing to read."""
    header = _clean_header(list(table.iloc[0]), result)
    if header is None:
        return None
    body = table.iloc[1:].reset_index(drop=True)
    body.columns = header
    if body.empty:
        result.errors.append(_("The file has a header row but no data rows."))
        return None
    if len(body) > MAX_ROWS:
        result.errors.append(_("The file has {count} data rows; the limit is {limit}.").format(
            count=_number(len(body)), limit=_number(MAX_ROWS)))
        return None
    return body


def _clean_header(names: list[str], result: UploadResult) -> list[str] | None:
    """Column names as plain text: trimmed, blanks named by position, long ones cut, no duplicates."""
    cleaned = []
    for position, name in enumerate(names, start=1):
        name = " ".join(str(name).split())
        if not name:
            name = _("column {position}").format(position=position)
        if len(name) > MAX_NAME_LENGTH:
            result.warnings.append(_("Column {position}'s name is longer than {limit} characters; it was "
                                     "shortened.").format(position=position, limit=MAX_NAME_LENGTH))
            name = name[:MAX_NAME_LENGTH]
        cleaned.append(name)
    duplicates = sorted({name for name in cleaned if cleaned.count(name) > 1})
    if duplicates:
        result.errors.append(_("Two or more columns have the same name: {names}. Give every column its own "
                               "name.").format(names=_listed(duplicates)))
        return None
    return cleaned


def _normalised(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _find(header: list[str], candidates: tuple[str, ...]) -> str | None:
    """The header column whose normalised name comes first in `candidates`."""
    by_name = {_normalised(name): name for name in reversed(header)}
    return next((by_name[c] for c in candidates if c in by_name), None)


def _missing_key(header: list[str], latitude: str | None, longitude: str | None,
                 result: UploadResult) -> None:
    if latitude or longitude:
        result.errors.append(_("The file has a latitude column but no longitude column; points need both.")
                             if latitude else
                             _("The file has a longitude column but no latitude column; points need both."))
        return
    result.errors.append(_(
        "No tract id column found among: {names}. Name the column with 11-digit 2010 census tract ids 'GEOID' "
        "(or 'tract', 'tract_id', 'fips'), or give 'latitude' and 'longitude' columns.").format(names=_listed(header)))


# --- tracts ----------------------------------------------------------------------------------------

def _parse_tracts(body: pd.DataFrame, key: str, point_columns: list[str | None],
                  study_tracts: set[str], result: UploadResult) -> None:
    ignored = point_columns if None not in point_columns else []  # a lone "x" or "lat" is just a value
    if ignored:
        result.warnings.append(_("The file has both tract ids and {columns}; the tract ids were used and the "
                                 "location columns left out.").format(columns=_listed(ignored)))
    ids = body[key].str.strip()
    tract = ids.map(_tract_id)
    bad = ids[tract.isna() & ~ids.str.lower().isin(MISSING_TOKENS)]
    blank = int((tract.isna() & ids.str.lower().isin(MISSING_TOKENS)).sum())
    keep = tract.notna()
    _report_bad_ids(bad, blank, result)
    outside = keep & ~tract.isin(study_tracts)
    if outside.any():
        result.warnings.append(_(
            "{count} tract id(s) are not in this city's study area and were left out (the map uses 2010 census "
            "tracts; ids of tracts redrawn in 2020 do not match).").format(count=_number(int(outside.sum()))))
    keep &= ~outside
    _report_restored(ids[keep], result)
    if not keep.any():
        result.errors.append(_("None of the rows has a valid tract id in this city's study area, so there is "
                               "nothing to map. Check that you chose the right city."))
        return
    duplicated = tract[keep & tract.duplicated(keep=False)]
    if len(duplicated):
        result.errors.append(_("{count} tract id(s) appear more than once: {ids}. Keep one row per tract.").format(
            count=_number(duplicated.nunique()), ids=_listed(sorted(duplicated.unique()))))
        return
    others = _without_other_ids(body, [key, *ignored], TRACT_KEY_NAMES, "tract id", result)
    values = _numeric_columns(body.loc[keep], others, result)
    if values is None:
        return
    values = _renamed_if_reserved(values, result)
    result.kind = "tracts"
    result.frame = pd.concat([tract[keep].rename("tract"), values], axis=1).reset_index(drop=True)
    result.value_columns = list(values.columns)


def _tract_id(value: str) -> str | None:
    """An 11-digit 2010 tract GEOID, from the forms spreadsheets and Census downloads produce."""
    census = CENSUS_GEO_ID.fullmatch(value)
    if census:
        return census.group(1)
    digits = re.sub(r"\.0+$", "", value)  # 26163500100.0 from a column read as numbers
    if TRACT_ID.fullmatch(digits):
        return digits
    if re.fullmatch(r"\d{10}", digits):  # the leading zero a spreadsheet dropped (states 01-09)
        return "0" + digits
    return None


def _report_restored(ids: pd.Series, result: UploadResult) -> None:
    restored = ids[ids.str.fullmatch(r"\d{10}(\.0+)?")]
    if len(restored):
        example = restored.iloc[0]
        result.warnings.append(_("Restored the leading zero of {count} tract id(s) with 10 digits (e.g. {example} -> "
                                 "{restored}); spreadsheets often drop it.").format(
            count=_number(len(restored)), example=example, restored=_tract_id(example)))


def _report_bad_ids(bad: pd.Series, blank: int, result: UploadResult) -> None:
    if blank:
        result.warnings.append(_("{count} row(s) have no tract id and were left out.").format(count=_number(blank)))
    if bad.empty:
        return
    message = _("{count} row(s) have ids that are not 11-digit census tract ids and were left out: {ids}.").format(
        count=_number(len(bad)), ids=_listed(bad.tolist()))
    if bad.str.fullmatch(SCIENTIFIC).any():
        message = " ".join([message, _("Some look like numbers in scientific notation: the spreadsheet changed "
                                       "them. Format the id column as Text and export again.")])
    result.warnings.append(message)


# --- points ----------------------------------------------------------------------------------------

def _parse_points(body: pd.DataFrame, latitude: str, longitude: str, result: UploadResult) -> None:
    if len(body) > MAX_POINT_ROWS:
        result.errors.append(_("The file has {count} places; the limit for a file of places is {limit}. Keep the "
                               "places in or near this city, or upload counts per tract instead (a GEOID "
                               "column).").format(count=_number(len(body)), limit=_number(MAX_POINT_ROWS)))
        return
    lat, lon = _as_numbers(body[latitude], result.decimal_comma), _as_numbers(body[longitude], result.decimal_comma)
    if lat.notna().any() and (lat.dropna() < 0).all() and (lon.dropna() > 0).all() and (lon.dropna() <= 90).all():
        result.errors.append(_("The {latitude} and {longitude} columns look swapped (US latitudes are positive "
                               "and longitudes negative).").format(latitude=_quoted(latitude),
                                                                   longitude=_quoted(longitude)))
        return
    unreadable = (lat.isna() | lon.isna())
    out_of_range = ~unreadable & ~(lat.between(-90, 90) & lon.between(-180, 180))
    if unreadable.any():
        result.warnings.append(_("{count} row(s) have a missing or non-numeric latitude or longitude and were "
                                 "left out.").format(count=_number(int(unreadable.sum()))))
    if out_of_range.any():
        result.warnings.append(_("{count} row(s) have a latitude outside -90..90 or a longitude outside "
                                 "-180..180 and were left out.").format(count=_number(int(out_of_range.sum()))))
    keep = ~unreadable & ~out_of_range
    if not keep.any():
        result.errors.append(_("No row has a usable latitude and longitude, so there is nothing to map."))
        return
    others = _without_other_ids(body, [latitude, longitude], LATITUDE_NAMES + LONGITUDE_NAMES, "location", result)
    label = _find(others, LABEL_NAMES)
    values = _numeric_columns(body.loc[keep], [c for c in others if c != label], result, required=False,
                              text_hint="" if label else _(NAME_HINT))
    if values is None:
        return
    values = _renamed_if_reserved(values, result)
    points = pd.DataFrame({"latitude": lat[keep], "longitude": lon[keep]})
    if label is not None:
        points[LABEL] = _labels(body.loc[keep, label], label, result)
        result.label_column = label
    result.kind = "points"
    result.frame = pd.concat([points, values], axis=1).reset_index(drop=True)
    result.value_columns = list(values.columns)


def _labels(column: pd.Series, name: str, result: UploadResult) -> pd.Series:
    """Places' names as plain text: spaces tidied, long names cut (with a word), blanks and missing-value
    marks as empty text."""
    names = column.map(lambda text: " ".join(str(text).split()))
    names = names.where(~names.str.lower().isin(MISSING_TOKENS), "")
    long = names.str.len() > MAX_LABEL_LENGTH
    if long.any():
        result.warnings.append(_("{count} name(s) in column {column} are longer than {limit} characters and were "
                                 "shortened.").format(count=_number(int(long.sum())), column=_quoted(name),
                                                      limit=MAX_LABEL_LENGTH))
    return names.str.slice(0, MAX_LABEL_LENGTH)


# --- values ----------------------------------------------------------------------------------------

def _without_other_ids(body: pd.DataFrame, used: list[str], names: tuple[str, ...], what: str,
                       result: UploadResult) -> list[str]:
    """The columns left for values: not the ones `used` as ids or locations, nor others named like them
    (a Census export's GEOID and tract, or LATITUDE and latitude), which are left out with a word.
    `what`: "tract id" or "location"."""
    others = [c for c in body.columns if c not in used]
    doubles = [c for c in others if _normalised(c) in names]
    if doubles:
        found = (_("The file has more than one tract id column: {columns}.") if what == "tract id" else
                 _("The file has more than one location column: {columns}.")).format(columns=_listed([*used, *doubles]))
        kept = ngettext("{used} was used and {left} left out.", "{used} were used and {left} left out.",
                        len(used)).format(used=_listed(used), left=_listed(doubles))
        result.warnings.append(" ".join([found, kept]))
    return [c for c in others if c not in doubles]


def _renamed_if_reserved(values: pd.DataFrame, result: UploadResult) -> pd.DataFrame:
    """A value column named like a column the app adds (tract, latitude, longitude; any case or spacing)
    is renamed, so that the map, tables and downloads never hold two columns of one name."""
    renamed = {c: _(RENAMED).format(c) for c in values.columns if _normalised(c) in FRAME_COLUMNS}
    for old, new in renamed.items():
        result.warnings.append(_("Column {column} has the name of a column the app adds, so it is shown as "
                                 "{renamed}.").format(column=_quoted(old), renamed=_quoted(new, 60)))
    return values.rename(columns=renamed)


def _as_numbers(column: pd.Series, decimal_comma: bool = False) -> pd.Series:
    """Numbers as floats; $ signs and thousands separators allowed; anything else (text, inf) is NaN.

    decimal_comma (a semicolon-separated file): where the column writes any number with a comma, the
    comma is the decimal mark and a point groups thousands ('1.234,5' = 1234.5, '0,125' = 0.125), and a
    point anywhere else makes the cell no number; a column with no comma reads points as decimals."""
    text = column.str.strip().str.replace(r"^\$|(?<=\d)\s*\$$", "", regex=True)
    if decimal_comma and text.str.contains(",", regex=False).any():
        european = text.str.fullmatch(COMMA_NUMBER) & text.str.contains(r"\d", regex=True)
        text = text.where(european, "x").str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    plain = text.where(decimal_comma | ~text.str.fullmatch(THOUSANDS), text.str.replace(",", "", regex=False))
    numbers = pd.to_numeric(plain.where(plain.str.fullmatch(NUMBER)), errors="coerce").astype("float64")
    return numbers.where(numbers.abs() < float("inf"))


NAME_HINT = N_("To show the places' names on the map, name that column name, label, place or site.")


def _numeric_columns(body: pd.DataFrame, columns: list[str], result: UploadResult,
                     required: bool = True, text_hint: str = "") -> pd.DataFrame | None:
    """The columns holding numbers; text cells in them become missing, all-text columns are left out.
    text_hint: a sentence added to the word on a column of text."""
    kept = {}
    for column in columns:
        numbers = _as_numbers(body[column], result.decimal_comma)
        cells = body[column].str.strip()
        if result.decimal_comma and not cells.str.contains(",", regex=False).any() \
                and cells.str.fullmatch(POINT_GROUPS).any():
            example = cells[cells.str.fullmatch(POINT_GROUPS)].iloc[0]
            result.warnings.append(_(
                "Column {column}: in this semicolon-separated file, values like {example} were read with a decimal "
                "point ({number}). If the point separates thousands there, remove it in the spreadsheet and upload "
                "again.").format(column=_quoted(column), example=_quoted(example, 20),
                                 number=localized(f"{_as_numbers(pd.Series([example])).iloc[0]:g}")))
        text_cells = cells[numbers.isna() & ~cells.str.lower().isin(MISSING_TOKENS)]
        if numbers.isna().all():
            if len(text_cells):
                message = _("Column {column} holds text, not numbers, so it was left out.").format(
                    column=_quoted(column))
                result.warnings.append(" ".join([message, text_hint]) if text_hint else message)
            else:
                result.warnings.append(_("Column {column} is empty, so it was left out.").format(column=_quoted(column)))
            continue
        if len(text_cells):
            message = _("Column {column}: {count} value(s) are not numbers and are shown as missing: "
                        "{values}.").format(column=_quoted(column), count=_number(len(text_cells)),
                                            values=_listed(text_cells.unique().tolist()))
            if not result.decimal_comma and text_cells.str.fullmatch(COMMA_NUMBER).any():
                message = " ".join([message, _("Some look like numbers with a decimal comma: save the file with "
                                               "semicolons between columns (or with decimal points) and upload "
                                               "it again.")])
            result.warnings.append(message)
        kept[column] = numbers
    if required and not kept:
        result.errors.append(_("The file has no column of numbers to map next to the tract ids."))
        return None
    return pd.DataFrame(kept, index=body.index)


# --- message helpers -------------------------------------------------------------------------------



def _quoted(text: str, limit: int = 40) -> str:
    """A user-supplied string for a message: cut to `limit` characters and quoted (shown as text)."""
    text = str(text)
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _listed(values: list, limit: int = SHOWN_EXAMPLES) -> str:
    shown = ", ".join(_quoted(v, 24) for v in values[:limit])
    more = len(values) - limit
    return _("{shown} and {more} more").format(shown=shown, more=_number(more)) if more > 0 else shown
