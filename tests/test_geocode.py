"""Finding an address's tract (explorer.geocode), against a local server on 127.0.0.1 that answers as the Census
Bureau's geocoder does (its "geographies/onelineaddress" JSON), and the address box on the neighborhood map."""
from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from explorer import geocode
from explorer.plain import literal
from tests.conftest import open_page

KNOWN = {"2 WOODWARD AVE, DETROIT, MI, 48226": "26163520700"}  # an address -> the tract the server answers


def answer(address: str) -> dict:
    """The geocoder's answer for one address, in its layout (trimmed to the fields it always sends)."""
    matches = []
    for matched, geoid in KNOWN.items():
        if address.upper().startswith(matched.split(",")[0]):
            matches.append({
                "tigerLine": {"side": "L", "tigerLineId": "25896021"},
                "coordinates": {"x": -83.0446, "y": 42.3296},
                "addressComponents": {"zip": "48226", "streetName": "WOODWARD", "city": "DETROIT", "state": "MI"},
                "matchedAddress": matched,
                "geographies": {"Census Tracts": [{
                    "GEOID": geoid, "STATE": geoid[:2], "COUNTY": geoid[2:5], "TRACT": geoid[5:],
                    "NAME": f"Census Tract {int(geoid[5:9])}", "BASENAME": str(int(geoid[5:9])), "LSADC": "CT",
                    "CENTLAT": "+42.3305071", "CENTLON": "-083.0452138", "OID": 207903717461290}]},
            })
    return {"result": {"input": {"address": {"address": address},
                                 "benchmark": {"benchmarkName": "Public_AR_Current"},
                                 "vintage": {"vintageName": "Census2010_Current"}},
                       "addressMatches": matches}}


class Geocoder(BaseHTTPRequestHandler):
    requests: list[dict] = []
    mode = "ok"

    def do_GET(self):  # noqa: N802 (the standard library's name)
        query = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
        Geocoder.requests.append({"path": urlsplit(self.path).path, **query})
        if Geocoder.mode == "slow":
            time.sleep(3)
        if Geocoder.mode == "error":
            self.send_error(500)
            return
        body = b"<html>not json" if Geocoder.mode == "garbage" else json.dumps(answer(query.get("address", ""))).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # the address is never logged, here either
        pass


@pytest.fixture
def geocoder(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Geocoder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Geocoder.requests, Geocoder.mode = [], "ok"
    base = f"http://127.0.0.1:{server.server_address[1]}/geocoder"
    monkeypatch.setenv(geocode.BASE_URL_ENV, base)
    yield base
    server.shutdown()


def test_an_address_gives_its_2010_tract_and_the_request_asks_for_2010_tracts(geocoder):
    match = geocode.find_tract("  2 Woodward Ave,   Detroit, MI ")
    assert match == geocode.Match("2 WOODWARD AVE, DETROIT, MI, 48226", "26163520700")
    (request,) = Geocoder.requests
    assert request == {"path": "/geocoder/geographies/onelineaddress", "address": "2 Woodward Ave, Detroit, MI",
                       "benchmark": "Public_AR_Current", "vintage": "Census2010_Current", "layers": "Census Tracts",
                       "format": "json"}


def test_an_unknown_address_is_no_match(geocoder):
    assert geocode.find_tract("1 Nowhere Lane, Atlantis") is None
    assert geocode.find_tract("   ") is None and len(Geocoder.requests) == 1  # nothing sent for a blank box


@pytest.mark.parametrize("mode, words", [("error", "answered with an error (HTTP 500)"),
                                         ("garbage", "could not read"), ("slow", "could not be reached")])
def test_a_failing_service_is_a_plain_error_within_the_timeout(geocoder, mode, words):
    Geocoder.mode = mode
    start = time.perf_counter()
    with pytest.raises(geocode.GeocodeError, match=re.escape(words)):
        geocode.find_tract("2 Woodward Ave, Detroit, MI", timeout=1)
    assert time.perf_counter() - start < 2.5


def test_no_server_at_all_says_it_needs_the_internet():
    with pytest.raises(geocode.GeocodeError, match="needs an internet connection"):
        geocode.find_tract("2 Woodward Ave", base="http://127.0.0.1:9", timeout=1)


@pytest.mark.parametrize("payload", [b"", b"[]", b'{"result": null}', b'{"result": {"addressMatches": "x"}}',
                                     b'{"result": {"addressMatches": [{"geographies": {"Census Tracts": '
                                     b'[{"GEOID": "<script>"}]}}]}}'])
def test_odd_answers_never_pass_for_a_tract(payload):
    try:
        assert geocode.parse(payload) is None
    except geocode.GeocodeError as error:
        assert "could not read" in str(error)


@pytest.mark.parametrize("setting, expected", [("", geocode.DEFAULT_BASE_URL), ("ftp://x", geocode.DEFAULT_BASE_URL),
                                               ("http://127.0.0.1:8080/g/", "http://127.0.0.1:8080/g")])
def test_the_service_address_is_a_setting(monkeypatch, setting, expected):
    monkeypatch.setenv(geocode.BASE_URL_ENV, setting)
    assert geocode.base_url() == expected


def submit(at, address: str):
    at.text_input(key="map_address_text").input(address)
    at.button(key="FormSubmitter:map_address-Find").click()
    return at.run()


def test_the_address_box_selects_the_addresss_tract_and_keeps_no_copy(geocoder):
    at = submit(open_page("pages/maps.py", city="detroit"), "2 Woodward Ave, Detroit, MI")
    assert not at.exception
    (found,) = at.success  # the geocoder's words and the tract's title, as plain text
    assert found.value == f"{literal('2 WOODWARD AVE, DETROIT, MI, 48226')}: " \
                          f"{literal('Downtown, Detroit - tract 5207')}, selected on the map."
    assert any(" - tract 5207" in m.value for m in at.markdown)  # its details
    assert at.text_input(key="map_address_text").value == ""  # the box emptied as the search started
    assert "Woodward" not in str(dict(at.query_params)) and "map_address_asked" not in at.session_state
    at.run()  # the next run: nothing kept, nothing asked again
    assert len(Geocoder.requests) == 1 and not at.success


def test_offline_the_address_box_says_so_and_the_name_search_still_works(monkeypatch):
    monkeypatch.setenv(geocode.BASE_URL_ENV, "http://127.0.0.1:9/geocoder")
    at = submit(open_page("pages/maps.py", city="detroit"), "2 Woodward Ave, Detroit, MI")
    assert not at.exception
    assert at.warning[0].value.startswith("The address service could not be reached")
    at.text_input(key="map_tract_search").input("brightmoor").run()
    assert not at.exception and at.button_group(key="map_found").label.startswith("5 tracts match")
