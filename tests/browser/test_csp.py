"""Through the deploy/ nginx, with its Content-Security-Policy: every page runs with no violation.

The policy allows only the site's own scripts, styles, pictures and connections; a page that needed
something else (an inline script, an outside font, eval) would break for a hosted room and not here,
so each page is opened through a real nginx and the browser's violation reports are collected."""
from __future__ import annotations

import base64
import hashlib
import re
import shutil
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from harness import ROOT
from harness.browser import MAP_ELEMENT, wait_for_app
from harness.pages import PAGES
from harness.server import start_nginx, stop_nginx

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture(scope="module")
def through_nginx(server, tmp_path_factory):
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        pytest.skip("nginx not installed (Debian: apt-get install nginx)")
    run_dir = tmp_path_factory.mktemp("nginx")
    port = start_nginx(ROOT, int(server.base_url.rsplit(":", 1)[1]), run_dir)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_nginx(run_dir)


def csp_of(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers["Content-Security-Policy"]


def test_the_policy_is_strict_and_its_inline_script_hash_matches_streamlit_s_page(through_nginx):
    policy = csp_of(through_nginx + "/")
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'self'" and "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    with urllib.request.urlopen(through_nginx + "/", timeout=10) as response:
        page = response.read().decode()
    for script in re.findall(r"<script>(.*?)</script>", page, re.S):  # every inline script is allowed by hash
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in directives["script-src"]
    assert csp_of(through_nginx + "/_stcore/health") == policy


@pytest.mark.parametrize("app_page", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_runs_with_no_policy_violation(page, through_nginx, app_page):
    page.add_init_script(RECORD_VIOLATIONS)  # every frame, the map component's included
    page.goto(f"{through_nginx}/{app_page.path}?city=detroit")
    wait_for_app(page)
    if app_page.file in ("pages/maps.py", "pages/county_map.py"):
        expect(page.frame_locator(MAP_ELEMENT).first.locator("canvas")).to_have_count(1)
    page.wait_for_timeout(1500)
    found = page.evaluate("() => window.__violations")
    for frame in page.frames[1:]:
        found += frame.evaluate("() => window.__violations || []")
    refused = [e for e in page.console_log.errors if "Content Security Policy" in e or "Refused to" in e]
    assert found == [] and refused == []
