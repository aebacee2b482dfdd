"""`python -m explorer.national.fetch` against a local server: full fetch, resume, and rejected files.

No internet: tests/fixtures/national_pack.py serves small files in the official formats from 127.0.0.1.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from explorer.national import build as pack_build, fetch, read
from tests.fixtures.national_pack import FixtureServer

SMALL = {name: dataclasses.replace(spec, rows=(5, 100) if spec.id_digits == 11 else spec.rows)
         for name, spec in fetch.SPECS.items()}
SMALL["cz_outcomes_simple.csv"] = dataclasses.replace(SMALL["cz_outcomes_simple.csv"], rows=(5, 800))


@pytest.fixture
def server(national_files):
    with FixtureServer(national_files) as running:
        yield running


def plan_for(server: FixtureServer, base: Path, **changes) -> fetch.Plan:
    return fetch.Plan(base=base, oi_url=f"{server.url}/oi/", shapes_url=f"{server.url}/shp/", specs=SMALL,
                      wait=0, **changes)


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_full_fetch_puts_every_file_in_raw_unchanged(server, national_files, tmp_path):
    manifest = fetch.fetch(plan_for(server, tmp_path))
    raw = read.raw_dir(tmp_path)
    for path, body in national_files.items():
        name = path.rsplit("/", 1)[1]
        assert (raw / name).read_bytes() == body
        assert manifest["files"][name]["sha256"] == hashlib.sha256(body).hexdigest()
    assert manifest["files"]["tract_outcomes_simple.csv"]["rows"] == 9
    assert manifest["files"]["county_outcomes_simple.csv"]["rows"] == 3219
    assert json.loads((raw / "SOURCES.json").read_text())["files"].keys() == manifest["files"].keys()
    assert not list(read.incoming_dir(tmp_path).iterdir())  # nothing left half-way


def test_dropped_connection_resumes_with_a_range_request(server, national_files, tmp_path, capsys):
    server.drop_once.add("/oi/tract_outcomes_simple.csv")
    fetch.fetch(plan_for(server, tmp_path))
    body = national_files["/oi/tract_outcomes_simple.csv"]
    requests = [r for r in server.requests if r[0] == "/oi/tract_outcomes_simple.csv"]
    assert requests == [("/oi/tract_outcomes_simple.csv", None),
                        ("/oi/tract_outcomes_simple.csv", f"bytes={len(body) // 2}-")]
    assert (read.raw_dir(tmp_path) / "tract_outcomes_simple.csv").read_bytes() == body
    assert "connection lost" in capsys.readouterr().err


def test_a_part_file_left_by_an_earlier_run_is_resumed(server, national_files, tmp_path):
    body = national_files["/oi/tract_covariates.csv"]
    incoming = read.incoming_dir(tmp_path)
    incoming.mkdir(parents=True)
    (incoming / "tract_covariates.csv.part").write_bytes(body[:1000])
    fetch.fetch(plan_for(server, tmp_path))
    assert ("/oi/tract_covariates.csv", "bytes=1000-") in server.requests
    assert ("/oi/tract_covariates.csv", None) not in server.requests
    assert (read.raw_dir(tmp_path) / "tract_covariates.csv").read_bytes() == body


def test_a_server_ignoring_range_restarts_the_file_from_zero(server, national_files, tmp_path):
    body = national_files["/oi/tract_covariates.csv"]
    incoming = read.incoming_dir(tmp_path)
    incoming.mkdir(parents=True)
    (incoming / "tract_covariates.csv.part").write_bytes(b"stale bytes from another version")
    server.honour_range = False
    fetch.fetch(plan_for(server, tmp_path))
    assert (read.raw_dir(tmp_path) / "tract_covariates.csv").read_bytes() == body


def test_files_already_fetched_are_not_downloaded_again(server, tmp_path):
    fetch.fetch(plan_for(server, tmp_path))
    server.requests.clear()
    fetch.fetch(plan_for(server, tmp_path))
    assert server.requests == []


def _good_pack(server, base: Path) -> tuple[dict, dict, str]:
    fetch.fetch(plan_for(server, base))
    pack_build.build_pack(base)
    return digests(read.raw_dir(base)), digests(read.pack_dir(base)), read.read_manifest(base)


def _cut_mid_row(body: bytes) -> bytes:
    return body[: body.index(b"\n", len(body) // 2) + 7]


def _without_column(body: bytes, column: str) -> bytes:
    lines = body.decode().splitlines()
    index = lines[0].split(",").index(column)
    return ("\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != index) for line in lines) + "\n").encode()


@pytest.mark.parametrize("path, damage, message", [
    ("/oi/tract_outcomes_simple.csv", _cut_mid_row, "tract_outcomes_simple.csv ends in the middle of a row"),
    ("/oi/tract_outcomes_simple.csv", lambda b: _without_column(b, "kfr_black_pooled_p25_se"),
     "tract_outcomes_simple.csv is missing column(s) kfr_black_pooled_p25_se"),
    ("/oi/tract_covariates.csv", lambda b: _without_column(b, "poor_share2010"),
     "tract_covariates.csv is missing column(s) poor_share2010"),
    ("/oi/tract_covariates.csv", lambda b: b[: b.index(b"\n", len(b) // 2) + 1],
     "tract_covariates.csv has 4 data rows; expected 5 to 100"),
    ("/shp/cb_2018_26_tract_500k.zip", lambda b: b[: len(b) // 2], "cb_2018_26_tract_500k.zip is not a readable zip"),
])
def test_a_bad_file_is_rejected_by_name_and_the_good_pack_stays(server, national_files, tmp_path, path, damage, message):
    raw_before, pack_before, manifest_before = _good_pack(server, tmp_path)
    server.files[path] = damage(national_files[path])
    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch(plan_for(server, tmp_path, refresh=True))
    assert message in str(error.value)
    assert digests(read.raw_dir(tmp_path)) == raw_before
    assert digests(read.pack_dir(tmp_path)) == pack_before
    assert read.read_manifest(tmp_path) == manifest_before
    assert not list(read.incoming_dir(tmp_path).glob("*.part"))  # the bad download is not kept for resuming


def test_the_command_reports_a_bad_file_and_exits_non_zero(server, national_files, tmp_path, capsys):
    server.files["/oi/tract_outcomes_simple.csv"] = _without_column(national_files["/oi/tract_outcomes_simple.csv"], "tract")
    code = fetch.main(["--base-url", f"{server.url}/oi/", "--shapes-url", f"{server.url}/shp/", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "tract_outcomes_simple.csv is missing column(s) tract" in err
    assert "previous national data (if any) was left as it was" in err


def test_real_row_ranges_reject_a_small_file(server, tmp_path):
    plan = plan_for(server, tmp_path)
    plan.specs = dict(fetch.SPECS)
    with pytest.raises(fetch.FetchError, match="tract_outcomes_simple.csv has 9 data rows; expected 70,000 to 76,000"):
        fetch.fetch(plan)


def test_a_missing_file_on_the_server_is_named(server, tmp_path):
    del server.files["/shp/cb_2018_22_tract_500k.zip"]
    with pytest.raises(fetch.FetchError, match="cb_2018_22_tract_500k.zip: the server answered 404"):
        fetch.fetch(plan_for(server, tmp_path))


@pytest.mark.parametrize("header, problem", [
    ("state,county,tract,kfr_black_pooled_p25\n", "without a standard error (kfr_black_pooled_p25)"),
])
def test_outcome_columns_need_their_standard_error(tmp_path, header, problem):
    spec = dataclasses.replace(fetch.SPECS["tract_outcomes_simple.csv"], required=("state",))
    path = tmp_path / spec.name
    path.write_text(header + "26,163,510100,0.3\n")
    with pytest.raises(fetch.FetchError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        fetch.validate_csv(path, spec)


def test_a_tract_id_too_long_is_rejected(tmp_path):
    spec = dataclasses.replace(fetch.SPECS["tract_covariates.csv"], required=("state", "county", "tract"), rows=(1, 9))
    path = tmp_path / spec.name
    path.write_text("state,county,tract\n26,163,5101000\n")
    with pytest.raises(fetch.FetchError, match=r"tract_covariates.csv has a tract code that does not fit 6 digits \(5101000\)"):
        fetch.validate_csv(path, spec)


def test_a_zip_with_another_states_tracts_is_rejected(national_files, tmp_path):
    path = tmp_path / "cb_2018_22_tract_500k.zip"
    with zipfile.ZipFile(io.BytesIO(national_files["/shp/cb_2018_26_tract_500k.zip"])) as source, \
            zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            target.writestr(name.replace("_26_", "_22_"), source.read(name))
    with pytest.raises(fetch.FetchError, match="not an 11-digit id in state 22: 26163"):
        fetch.validate_shapes(path, "22")


@pytest.mark.parametrize("steps, percents", [
    ([0, 10, 30, 40, 60, 100], ["0%", "30%", "60%", "100%"]),      # one line per quarter crossed
    ([0, 100], ["0%", "100%"]),
    ([5_000_000, 20_000_000], ["25%", "100%"]),
])
def test_progress_prints_one_line_per_quarter_in_a_log(steps, percents):
    out = io.StringIO()
    bar = fetch.Progress("file.csv", out, width=4)
    for done in steps:
        bar.update(done, steps[-1])
    printed = out.getvalue().splitlines()
    assert [line.split()[-3] for line in printed] == percents
    assert printed[-1] == f"file.csv [####] 100% {steps[-1] / 1e6:,.1f}/{steps[-1] / 1e6:,.1f} MB"


# --- what the fetch no longer trusts ---------------------------------------------------------------

def test_a_redirect_to_another_host_is_followed_and_recorded(server, national_files, tmp_path, capsys):
    """The bytes' real address goes into SOURCES.json and the log, not only the address asked for."""
    other = server.url.replace("127.0.0.1", "localhost")
    server.redirects["/oi/cz_outcomes_simple.csv"] = f"{other}/mirror/cz_outcomes_simple.csv"
    server.files["/mirror/cz_outcomes_simple.csv"] = national_files["/oi/cz_outcomes_simple.csv"]
    manifest = fetch.fetch(plan_for(server, tmp_path))
    facts = manifest["files"]["cz_outcomes_simple.csv"]
    assert facts["url"] == f"{server.url}/oi/cz_outcomes_simple.csv"
    assert facts["came_from"] == f"{other}/mirror/cz_outcomes_simple.csv"
    assert "the server sent the download on to http://localhost:" in capsys.readouterr().err
    assert "came_from" not in manifest["files"]["county_outcomes_simple.csv"]


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://127.0.0.1/x.csv"])
def test_a_redirect_out_of_http_is_refused_in_words(server, tmp_path, location):
    server.redirects["/oi/tract_outcomes_simple.csv"] = location
    with pytest.raises(fetch.FetchError) as error:
        fetch.fetch(plan_for(server, tmp_path))
    assert f"sent the download to {location!r} (HTTP 302)" in str(error.value)
    assert "attempts" not in str(error.value)
    assert not read.raw_dir(tmp_path).exists() or not list(read.raw_dir(tmp_path).iterdir())


@pytest.mark.parametrize("sized", [True, False], ids=["with Content-Length", "without"])
def test_a_body_far_larger_than_the_file_is_stopped_and_removed(server, national_files, tmp_path, sized):
    limit = SMALL["tract_covariates.csv"].max_bytes
    assert limit == 100 * 2048
    server.files["/oi/tract_covariates.csv"] = national_files["/oi/tract_covariates.csv"] + b"9" * (3 * limit)
    if not sized:
        server.unsized.add("/oi/tract_covariates.csv")
    with pytest.raises(fetch.FetchError, match="tract_covariates.csv: the download is larger than 0 MB"):
        fetch.fetch(plan_for(server, tmp_path))
    assert not list(read.incoming_dir(tmp_path).glob("tract_covariates.csv*"))
    written = [r for r in server.requests if r[0] == "/oi/tract_covariates.csv"]
    assert len(written) == 1  # refused at once, not retried


@pytest.mark.parametrize("member", ["../../../evil.txt", "/etc/evil.txt", "sub/../../evil.txt", "C:\\evil.txt"])
def test_a_zip_member_with_an_unsafe_name_is_refused(national_files, tmp_path, member):
    path = tmp_path / "cb_2018_26_tract_500k.zip"
    path.write_bytes(national_files["/shp/cb_2018_26_tract_500k.zip"])
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(member, "x")
    with pytest.raises(fetch.FetchError, match="holds a member with an unsafe name"):
        fetch.validate_shapes(path, "26")


def test_unknown_columns_are_named_and_left_out_of_the_pack(server, national_files, tmp_path, capsys):
    body = national_files["/oi/county_outcomes_simple.csv"].decode().splitlines()
    body = [f"{line},{'mystery' if i == 0 else 'x'}" for i, line in enumerate(body)]
    server.files["/oi/county_outcomes_simple.csv"] = ("\n".join(body) + "\n").encode()
    manifest = fetch.fetch(plan_for(server, tmp_path))
    assert manifest["files"]["county_outcomes_simple.csv"]["columns_left_out"] == ["mystery"]
    assert ("county_outcomes_simple.csv: 1 column(s) this app does not use are left out of the pack: 'mystery'"
            in capsys.readouterr().err)
    frame = pack_build.build_area_outcomes(read.raw_dir(tmp_path), "county_outcomes_simple.csv")
    assert "mystery" not in frame.columns and "kfr_pooled_pooled_p25" in frame.columns
