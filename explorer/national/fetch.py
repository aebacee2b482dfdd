"""Download the full national data: `python -m explorer.national.fetch [--base-url URL] [--shapes-url URL]`.

Fetches, from the Opportunity Insights data library (opportunityinsights.org/data), the Opportunity Atlas
files `tract_outcomes_simple.csv` (every 2010 tract: household income rank and incarceration for
children of 25th-percentile parents, by race x gender, with standard errors), `tract_covariates.csv`
(neighborhood characteristics), `county_outcomes_simple.csv` and `cz_outcomes_simple.csv`; then the
Census Bureau's 1:500k cartographic tract boundaries, 2018 edition (2010 tracts), one zip per state
found in the tract file. Everything lands in the git-ignored national folder (see explorer.national.read).

Safe to interrupt and to run again: each file is downloaded into `incoming/NAME.part`, resumed with an
HTTP Range request, validated, renamed, and only when every file is valid are they all moved into
`raw/`. A bad file is reported by name with what is wrong, and the previous good files stay as they were.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import http.client
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TextIO

import pyarrow as pa
import pyarrow.csv as pacsv

from explorer.national import read

# Published addresses (Opportunity Insights data library and Census cartographic boundary files).
OI_BASE_URL = "https://opportunityinsights.org/wp-content/uploads/2018/10/"
SHAPES_BASE_URL = "https://www2.census.gov/geo/tiger/GENZ2018/shp/"
OI_URL_ENV = "EXPLORER_OI_BASE_URL"
SHAPES_URL_ENV = "EXPLORER_SHAPES_BASE_URL"
USER_AGENT = "economic-mobility-explorer/1.0 (python urllib)"
CHUNK = 1 << 20


class FetchError(Exception):
    """A download failed or a file is not usable: the message names the file and what is wrong."""


@dataclass(frozen=True)
class FileSpec:
    """One file of the pack and what a good copy of it looks like."""
    name: str                        # file name under raw/ (and on the server)
    ids: tuple[str, ...]             # id columns, all integers
    rows: tuple[int, int]            # expected number of data rows (min, max)
    required: tuple[str, ...] = ()   # columns that must be present
    outcomes: bool = False           # outcome columns follow {outcome}_{race}_{gender}_p{pct} with `_se`
    id_digits: int = 0               # length of the zero-padded id built from `ids` (tract: 11)
    source: str = "oi"               # which base URL serves it

    @property
    def max_bytes(self) -> int:
        """The largest download accepted: 2 KB per row at most (the real files use about 0.5 KB)."""
        return self.rows[1] * 2048


def _core_outcomes(groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{o}_{r}_pooled_p25{se}" for o in ("kfr", "jail") for r in groups for se in ("", "_se"))


SPECS: dict[str, FileSpec] = {s.name: s for s in (
    FileSpec("tract_outcomes_simple.csv", ("state", "county", "tract"), (70_000, 76_000),
             ("state", "county", "tract", *_core_outcomes(("pooled", "black", "white"))), True, 11),
    FileSpec("tract_covariates.csv", ("state", "county", "tract"), (70_000, 76_000),
             ("state", "county", "tract", *read.REQUIRED_COVARIATES), False, 11),
    FileSpec("county_outcomes_simple.csv", ("state", "county"), (3_000, 3_300),
             ("state", "county", *_core_outcomes(("pooled", "black", "white"))), True, 5),
    FileSpec("cz_outcomes_simple.csv", ("cz",), (600, 800),
             ("cz", "czname", *_core_outcomes(("pooled", "black", "white"))), True, 0),
)}
SHAPE_ROWS = (1, 10_000)  # tracts per state file (California, the largest, has about 8,000)
SHAPES_MAX_BYTES = 50 * 1024 * 1024  # a state's boundary zip is at most a few MB
# Columns of the area files that are neither ids nor outcomes and that the pack keeps (names and counts);
# any other column is left out of the pack, and the fetch says so
KNOWN_COLUMN = re.compile(r"(state|county|tract|cz|czname|county_name|state_name|[a-z]+_(pooled|male|female)_count)")


def shapes_name(state_fips: str) -> str:
    return f"cb_2018_{state_fips}_tract_500k.zip"


# --- Progress: one line per file on stderr. ---

class Progress:
    """A plain text progress bar, redrawn in place on a terminal; in a log, one line per quarter crossed."""

    def __init__(self, label: str, stream: TextIO | None = None, width: int = 30):
        self.label, self.stream, self.width = label, stream or sys.stderr, width
        self.shown = -1

    def update(self, done: int, total: int | None) -> None:
        tty = getattr(self.stream, "isatty", lambda: False)()
        if not total:
            step = done // (10 * CHUNK)
            if step != self.shown and tty:
                self.shown = step
                self.stream.write(f"\r{self.label}: {done / 1e6:,.1f} MB")
            return
        percent = min(100, done * 100 // total)
        if percent == self.shown or (not tty and self.shown >= 0 and percent // 25 == self.shown // 25):
            return
        self.shown = percent
        bar = "#" * (percent * self.width // 100)
        line = f"{self.label} [{bar:<{self.width}}] {percent:3d}% {done / 1e6:,.1f}/{total / 1e6:,.1f} MB"
        self.stream.write(("\r" if tty else "") + line + ("" if tty else "\n"))
        self.stream.flush()

    def close(self) -> None:
        if getattr(self.stream, "isatty", lambda: False)():
            self.stream.write("\n")


# --- Download with resume. ---

class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to http(s), and never from https down to http; `seen` keeps each hop, so
    the pack's SOURCES.json can say where the bytes really came from."""

    def __init__(self):
        self.seen: list[str] = []

    def http_error_302(self, req, fp, code, msg, headers):
        newurl = urllib.parse.urljoin(req.full_url, headers.get("location") or headers.get("uri") or "")
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        if new.scheme not in ("http", "https") or (old.scheme == "https" and new.scheme == "http"):
            raise FetchError(f"the server at {old.hostname} sent the download to {newurl[:120]!r} (HTTP {code}); "
                             "only http(s) addresses, and no step down from https, are followed, so it was refused")
        self.seen.append(newurl)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _open(url: str, start: int, timeout: float, redirects: _Redirects | None = None):
    headers = {"User-Agent": USER_AGENT}
    if start:
        headers["Range"] = f"bytes={start}-"
    opener = urllib.request.build_opener(redirects or _Redirects())
    return opener.open(urllib.request.Request(url, headers=headers), timeout=timeout)


def _resume_point(response, start: int) -> int:
    """Where the body starts: `start` for a 206 whose Content-Range agrees, else 0 (full body)."""
    if start and response.status == 206:
        content_range = response.headers.get("Content-Range", "")
        if content_range.startswith(f"bytes {start}-"):
            return start
        raise FetchError(f"the server sent an unexpected range ({content_range!r})")
    return 0


def _total(response, offset: int) -> int | None:
    length = response.headers.get("Content-Length")
    return offset + int(length) if length and length.isdigit() else None


def download(url: str, part: Path, label: str, *, retries: int = 5, timeout: float = 60,
             wait: float = 1.0, stream: TextIO | None = None, max_bytes: int | None = None,
             came_from: list[str] | None = None) -> Path:
    """Download url into `part`, appending to what an earlier attempt left (HTTP Range).

    A dropped connection is retried from where it stopped, up to `retries` times; a server that
    ignores Range (answers 200) restarts the file from zero. A file larger than `max_bytes` (by its
    Content-Length, or as it arrives) is refused and removed. `came_from` gets the address the bytes
    finally came from when a redirect was followed. Raises FetchError naming the file.
    """
    progress = Progress(label, stream)
    last_error = ""
    for attempt in range(retries):
        start = part.stat().st_size if part.exists() else 0
        redirects = _Redirects()
        try:
            with _open(url, start, timeout, redirects) as response:
                offset = _resume_point(response, start)
                total = _total(response, offset)
                _check_size(total, max_bytes, part, label)
                if redirects.seen and came_from is not None:
                    came_from[:] = [response.geturl()]
                    (stream or sys.stderr).write(f"{label}: the server sent the download on to {response.geturl()}\n")
                done = offset
                with open(part, "ab" if offset else "wb") as out:
                    while chunk := response.read(CHUNK):
                        out.write(chunk)
                        done += len(chunk)
                        _check_size(done, max_bytes, part, label, out)
                        progress.update(done, total)
                if total is not None and done < total:
                    raise http.client.IncompleteRead(b"", total - done)
                progress.update(done, done)
                progress.close()
                return part
        except urllib.error.HTTPError as error:
            if error.code == 416 and start:  # our partial file is longer than the server's: start over
                part.unlink(missing_ok=True)
                last_error = "the partial file did not match the server's file"
                continue
            if 400 <= error.code < 500:
                raise FetchError(f"{label}: the server answered {error.code} {error.reason} for {url}") from None
            last_error = f"HTTP {error.code}"
        except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError, OSError) as error:
            last_error = f"{type(error).__name__}: {error}"
        have = part.stat().st_size if part.exists() else 0
        (stream or sys.stderr).write(f"\n{label}: connection lost ({last_error}); resuming at {have:,} bytes\n")
        time.sleep(wait * (attempt + 1))
    raise FetchError(f"{label}: download failed after {retries} attempts ({last_error}). "
                     f"Run the command again to resume where it stopped.")


def _check_size(size: int | None, max_bytes: int | None, part: Path, label: str, out=None) -> None:
    if size is None or max_bytes is None or size <= max_bytes:
        return
    if out is not None:
        out.close()
    part.unlink(missing_ok=True)
    raise FetchError(f"{label}: the download is larger than {max_bytes / 1e6:,.0f} MB, far more than this file "
                     "ever is, so it was stopped and removed. Check the source address.")


# --- Validation. ---

def read_header(path: Path, name: str) -> list[str]:
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise FetchError(f"{name} is empty")
    return [c.strip() for c in header]


def check_columns(header: list[str], spec: FileSpec) -> None:
    """Required columns present, and every outcome estimate has its standard error beside it."""
    missing = [c for c in spec.required if c not in header]
    if missing:
        raise FetchError(f"{spec.name} is missing column(s) {', '.join(missing[:6])}"
                         f"{' and more' if len(missing) > 6 else ''}")
    if spec.outcomes:
        estimates = [c for c in header if (p := read.parse_outcome_column(c)) and not p["se"]]
        unpaired = [c for c in estimates if f"{c}_se" not in header]
        if not estimates or unpaired:
            raise FetchError(f"{spec.name} has outcome column(s) without a standard error "
                             f"({', '.join(unpaired[:4])}); expected {{outcome}}_{{race}}_{{gender}}_p{{pct}} "
                             f"with a matching _se column")


def scan_rows(path: Path, spec: FileSpec, header: list[str]) -> dict:
    """Stream the file once: count rows, check ids, catch a file cut short. Returns rows and states."""
    types = {c: pa.int64() for c in spec.ids}
    reader = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=8 << 20),
                            convert_options=pacsv.ConvertOptions(include_columns=list(spec.ids), column_types=types))
    rows, states, ids = 0, set(), set()
    try:
        for batch in reader:
            frame = batch.to_pandas()
            if frame.isna().any().any():
                raise FetchError(f"{spec.name} has a row without an id ({', '.join(spec.ids)}) near data row "
                                 f"{rows + int(frame.isna().any(axis=1).to_numpy().argmax()) + 1}")
            if spec.id_digits:
                for column in spec.ids:
                    width = ID_WIDTHS[column]
                    bad = frame[column][(frame[column] < 0) | (frame[column] >= 10 ** width)]
                    if len(bad):
                        raise FetchError(f"{spec.name} has a {column} code that does not fit {width} digits "
                                         f"({bad.iloc[0]})")
                built = _ids(frame, spec)
                bad = built[built.str.len() != spec.id_digits]
                if len(bad):
                    raise FetchError(f"{spec.name} has an id that is not {spec.id_digits} digits: {bad.iloc[0]}")
                ids.update(built)
                states.update(built.str[:2])
            rows += len(frame)
    except pa.ArrowInvalid as error:
        raise FetchError(f"{spec.name} could not be read: {str(error).splitlines()[0]} "
                         f"(the file looks truncated or damaged)") from None
    if spec.id_digits and len(ids) != rows:
        raise FetchError(f"{spec.name} repeats {rows - len(ids)} id(s)")
    low, high = spec.rows
    if not low <= rows <= high:
        raise FetchError(f"{spec.name} has {rows:,} data rows; expected {low:,} to {high:,} "
                         f"(a cut-off download has too few)")
    return {"rows": rows, "states": sorted(states)}


ID_WIDTHS = {"state": 2, "county": 3, "tract": 6}


def _ids(frame, spec: FileSpec):
    number = sum(frame[c].astype("int64") * 10 ** sum(ID_WIDTHS[d] for d in spec.ids[i + 1:])
                 for i, c in enumerate(spec.ids))
    return number.map(f"{{:0{spec.id_digits}d}}".format)


def check_ends_cleanly(path: Path, name: str) -> None:
    """A file cut mid-row ends without a newline; a whole file from a server always ends with one."""
    with open(path, "rb") as handle:
        handle.seek(max(0, path.stat().st_size - 1))
        if handle.read(1) not in (b"\n", b"\r"):
            raise FetchError(f"{name} ends in the middle of a row (the file looks truncated)")


def unknown_columns(header: list[str], spec: FileSpec) -> list[str]:
    """Columns the pack does not keep: for the tract files, all but the ones it reads; for the area
    files, all but ids, names, counts and outcome columns."""
    if spec.id_digits == 11:
        known = set(spec.required) | ({c for c in header if read.parse_outcome_column(c)} if spec.outcomes else set())
        return [c for c in header if c not in known]
    return [c for c in header if not (KNOWN_COLUMN.fullmatch(c) or read.parse_outcome_column(c))]


def validate_csv(path: Path, spec: FileSpec) -> dict:
    header = read_header(path, spec.name)
    check_columns(header, spec)
    check_ends_cleanly(path, spec.name)
    facts = scan_rows(path, spec, header)
    left_out = unknown_columns(header, spec)
    if left_out:
        shown = ", ".join(repr(c[:40]) for c in left_out[:5]) + (f" and {len(left_out) - 5} more" if len(left_out) > 5 else "")
        print(f"{spec.name}: {len(left_out)} column(s) this app does not use are left out of the pack: {shown}",
              file=sys.stderr)
        facts["columns_left_out"] = left_out
    return facts


def validate_shapes(path: Path, state_fips: str, rows: tuple[int, int] = SHAPE_ROWS) -> dict:
    """The zip opens, every member passes its checksum, and the tracts are this state's 11-digit ids."""
    import pyogrio

    name = shapes_name(state_fips)
    stem = name.removesuffix(".zip")
    try:
        with zipfile.ZipFile(path) as archive:
            broken = archive.testzip()
            members = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as error:
        raise FetchError(f"{name} is not a readable zip ({error}); the file looks truncated") from None
    unsafe = sorted(m for m in members if m.startswith(("/", "\\")) or "\\" in m or ".." in m.split("/")
                    or re.match(r"[A-Za-z]:", m))
    if unsafe:
        raise FetchError(f"{name} holds a member with an unsafe name ({unsafe[0][:80]!r}: absolute or "
                         "climbing out of its folder); a Census boundary zip has only plain file names")
    if broken:
        raise FetchError(f"{name} has a damaged member {broken}")
    missing = [f"{stem}{ext}" for ext in (".shp", ".shx", ".dbf") if f"{stem}{ext}" not in members]
    if missing:
        raise FetchError(f"{name} lacks {', '.join(missing)}")
    try:  # braces let GDAL open a zip whose name does not end in .zip (our `.part` file)
        table = pyogrio.read_dataframe(f"/vsizip/{{{path}}}/{stem}.shp", columns=["GEOID"], read_geometry=False)
    except Exception as error:  # any GDAL failure means an unusable shapefile
        raise FetchError(f"{name} has no readable tract table ({type(error).__name__})") from None
    geoids = table["GEOID"].astype(str)
    if not rows[0] <= len(geoids) <= rows[1]:
        raise FetchError(f"{name} has {len(geoids):,} tracts; expected {rows[0]:,} to {rows[1]:,}")
    bad = geoids[(geoids.str.len() != 11) | ~geoids.str.startswith(state_fips)]
    if len(bad):
        raise FetchError(f"{name} has a tract id that is not an 11-digit id in state {state_fips}: {bad.iloc[0]}")
    return {"rows": len(geoids)}


# --- The whole fetch. ---

@dataclass
class Plan:
    """Where to fetch from and where to put it; tests shrink `specs` row ranges for small fixtures."""
    base: Path
    oi_url: str = OI_BASE_URL
    shapes_url: str = SHAPES_BASE_URL
    specs: dict[str, FileSpec] = field(default_factory=lambda: dict(SPECS))
    shape_rows: tuple[int, int] = SHAPE_ROWS
    refresh: bool = False
    retries: int = 5
    wait: float = 1.0
    states: tuple[str, ...] | None = None  # only these states' boundaries (default: all in the tract file)

    def url(self, name: str, source: str) -> str:
        root = self.oi_url if source == "oi" else self.shapes_url
        return root.rstrip("/") + "/" + name


def _fetch_one(plan: Plan, name: str, source: str, validate: Callable[[Path], dict], max_bytes: int) -> dict:
    raw, incoming = read.raw_dir(plan.base), read.incoming_dir(plan.base)
    done = incoming / name
    if not plan.refresh and (raw / name).is_file():
        print(f"{name}: already in the pack (use --refresh to download again)", file=sys.stderr)
        return validate(raw / name)
    if done.is_file():  # validated by an earlier run that stopped before promoting
        return validate(done)
    part, came_from = incoming / f"{name}.part", []
    download(plan.url(name, source), part, name, retries=plan.retries, wait=plan.wait, max_bytes=max_bytes,
             came_from=came_from)
    try:
        facts = validate(part)
    except FetchError:
        part.unlink(missing_ok=True)  # never reuse a bad file; the next run starts it afresh
        raise
    os.replace(part, done)
    return {**facts, **({"came_from": came_from[0]} if came_from else {})}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _promote(plan: Plan, names: list[str]) -> None:
    """Move every validated file from incoming/ into raw/ (each move is an atomic rename)."""
    raw, incoming = read.raw_dir(plan.base), read.incoming_dir(plan.base)
    raw.mkdir(parents=True, exist_ok=True)
    for name in names:
        if (incoming / name).is_file():
            os.replace(incoming / name, raw / name)


def fetch(plan: Plan) -> dict:
    """Download and validate every file; promote them into raw/ only if all are good."""
    read.incoming_dir(plan.base).mkdir(parents=True, exist_ok=True)
    sources: dict[str, dict] = {}
    for name, spec in plan.specs.items():
        facts = _fetch_one(plan, name, spec.source, lambda p, s=spec: validate_csv(p, s), spec.max_bytes)
        sources[name] = {"url": plan.url(name, spec.source), **facts}
    states = plan.states or tuple(sources["tract_outcomes_simple.csv"]["states"])
    for state in states:
        name = shapes_name(state)
        facts = _fetch_one(plan, name, "shapes", lambda p, s=state: validate_shapes(p, s, plan.shape_rows),
                           SHAPES_MAX_BYTES)
        sources[name] = {"url": plan.url(name, "shapes"), **facts}
    _promote(plan, list(sources))
    raw = read.raw_dir(plan.base)
    for name, facts in sources.items():
        facts.update(bytes=(raw / name).stat().st_size, sha256=_sha256(raw / name))
        facts.pop("states", None)
    manifest = {"fetched_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "files": sources}
    tmp = raw / "SOURCES.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    os.replace(tmp, raw / "SOURCES.json")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Download the full national Opportunity Atlas data and tract maps.")
    parser.add_argument("--base-url", default=os.environ.get(OI_URL_ENV, OI_BASE_URL),
                        help=f"where the Opportunity Insights files are (env {OI_URL_ENV})")
    parser.add_argument("--shapes-url", default=os.environ.get(SHAPES_URL_ENV, SHAPES_BASE_URL),
                        help=f"where the Census cb_2018_SS_tract_500k.zip files are (env {SHAPES_URL_ENV})")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"national folder (default data/national, env {read.NATIONAL_DIR_ENV})")
    parser.add_argument("--refresh", action="store_true", help="download again files already in the pack")
    parser.add_argument("--states", default="", help="comma-separated state FIPS codes for tract maps (default: all)")
    args = parser.parse_args(argv)
    states = tuple(s.strip().zfill(2) for s in args.states.split(",") if s.strip()) or None
    plan = Plan(base=args.out or read.national_dir(), oi_url=args.base_url, shapes_url=args.shapes_url,
                refresh=args.refresh, states=states)
    try:
        manifest = fetch(plan)
    except FetchError as error:
        print(f"\nFetch stopped: {error}. The previous national data (if any) was left as it was.", file=sys.stderr)
        return 1
    total = sum(f["bytes"] for f in manifest["files"].values())
    print(f"Fetched {len(manifest['files'])} files ({total / 1e6:,.0f} MB) into {read.raw_dir(plan.base)}. "
          f"Next: python -m explorer.national.build")
    return 0


if __name__ == "__main__":
    sys.exit(main())
