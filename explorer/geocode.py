"""An address's 2010 census tract, from the US Census Bureau's public geocoder (its "geographies" service).

The one place the app asks another server for anything on a visitor's behalf, and only when the visitor asks:
the address goes to the geocoder in the request and nowhere else (never logged, never kept). Offline, slow
or odd answers end in a GeocodeError whose message is a plain sentence; the caller says it and the name
search keeps working. The service's address is a setting (EXPLORER_GEOCODER_URL) so that tests, or a site
behind a proxy, can point it elsewhere.
"""
from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from explorer.i18n import N_, _

BASE_URL_ENV = "EXPLORER_GEOCODER_URL"
DEFAULT_BASE_URL = "https://geocoding.geo.census.gov/geocoder"
TIMEOUT_S = 4.0          # a visitor waits for this at most; the geocoder usually answers in under a second
MAX_ADDRESS = 120        # characters: a street address with city, state and ZIP code fits easily
MAX_ANSWER = 256 * 1024  # bytes read from the geocoder: its answer for one address is a few KB
QUERY = {"benchmark": "Public_AR_Current", "vintage": "Census2010_Current", "layers": "Census Tracts",
         "format": "json"}  # the 2010 tracts the Opportunity Atlas uses
_TRACT = re.compile(r"[0-9]{11}")
UNREADABLE = N_("The address service gave an answer the app could not read.")


class GeocodeError(Exception):
    """The address could not be looked up; str(error) says why in one plain sentence (in the language of the
    run that asked)."""


@dataclass(frozen=True)
class Match:
    matched: str     # the address as the geocoder understood it
    tract: str       # 11-digit 2010 census tract GEOID


def base_url() -> str:
    """The geocoder's address: the setting if it is an http(s) address, else the Census Bureau's."""
    configured = os.environ.get(BASE_URL_ENV, "").strip().rstrip("/")
    return configured if urlsplit(configured).scheme in ("http", "https") and urlsplit(configured).netloc \
        else DEFAULT_BASE_URL


def request_url(address: str, base: str | None = None) -> str:
    return f"{base or base_url()}/geographies/onelineaddress?" + urlencode({"address": address, **QUERY})


def parse(payload: bytes) -> Match | None:
    """The first match's tract from the geocoder's JSON answer; None when it found no such address."""
    try:
        result = json.loads(payload.decode("utf-8"))["result"]
        matches = result.get("addressMatches") or []
    except (ValueError, KeyError, TypeError, AttributeError):
        raise GeocodeError(_(UNREADABLE)) from None
    for match in matches if isinstance(matches, list) else []:
        geographies = match.get("geographies") if isinstance(match, dict) else None
        layers = [v for k, v in (geographies or {}).items() if str(k).endswith("Census Tracts")]
        for tract in (layers[0] if layers and isinstance(layers[0], list) else []):
            geoid = str(tract.get("GEOID", "")) if isinstance(tract, dict) else ""
            if _TRACT.fullmatch(geoid):
                return Match(str(match.get("matchedAddress", ""))[:200], geoid)
    return None


def find_tract(address: str, base: str | None = None, timeout: float = TIMEOUT_S, opener=urllib.request.urlopen
               ) -> Match | None:
    """The 2010 tract of an address (None: the geocoder knows no such address). Raises GeocodeError, with
    the reason in plain words, when the service cannot be reached or answers with an error."""
    address = " ".join(str(address).split())[:MAX_ADDRESS]
    if not address:
        return None
    request = urllib.request.Request(request_url(address, base), headers={"Accept": "application/json"})
    try:
        with opener(request, timeout=timeout) as response:
            payload = response.read(MAX_ANSWER + 1)
    except urllib.error.HTTPError as error:
        raise GeocodeError(_("The address service answered with an error (HTTP {code}).").format(code=error.code)
                           ) from None
    except (urllib.error.URLError, TimeoutError, OSError):
        raise GeocodeError(_("The address service could not be reached: this needs an internet connection.")
                           ) from None
    if len(payload) > MAX_ANSWER:
        raise GeocodeError(_(UNREADABLE))
    return parse(payload)
