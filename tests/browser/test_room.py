"""The presenter's room in real browsers, hosted as a crowd is: two app processes behind the deploy/ nginx
template, sharing their rooms through a real redis-server. The facilitator's tab and the participant's phone
are routed to different processes, so the room can only reach the participant through Redis."""
from __future__ import annotations

import re
import secrets
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from harness import ROOT
from harness.browser import PHONE, new_tab, wait_for_app
from harness.redis_server import redis_missing_reason, running_redis
from harness.server import start_nginx, start_server, stop_nginx, stop_server, wait_for_health

from .helpers import choose_city, save_screenshot_on_failure

pytestmark = pytest.mark.browser
REPLICA_COOKIE = "explorer_replica"  # the template's sticky cookie


@pytest.fixture(scope="module")
def replicas(browser_ready):
    """(nginx's URL, its run folder): two app processes with one cookie secret and one Redis, behind nginx."""
    reason = redis_missing_reason()
    if reason:
        pytest.skip(reason)
    with running_redis() as redis_url, tempfile.TemporaryDirectory(prefix="room-nginx-") as folder:
        env = {"EXPLORER_RAISE": "1", "REDIS_URL": redis_url, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(16)}
        servers = [start_server(env=env) for _ in range(2)]
        run_dir = Path(folder)
        try:
            for server in servers:
                wait_for_health(server.base_url, server.process)
            port = start_nginx(ROOT, [int(s.base_url.rsplit(":", 1)[1]) for s in servers], run_dir)
            if port is None:
                pytest.skip("nginx is not installed (Debian: apt-get install nginx); .ci/run installs it")
            yield f"http://127.0.0.1:{port}", run_dir
        finally:
            stop_nginx(run_dir)
            for server in servers:
                stop_server(server)


def replica_of(base_url: str, run_dir: Path, cookie: str) -> str:
    """The process nginx routes a visitor with this sticky cookie to (read from its access log)."""
    request = urllib.request.Request(f"{base_url}/_stcore/health?probe={cookie}", headers={"Cookie": f"{REPLICA_COOKIE}={cookie}"})
    urllib.request.urlopen(request, timeout=10).close()
    for _ in range(50):  # nginx logs a request just after answering it
        lines = [entry for entry in (run_dir / "nginx-access.log").read_text().splitlines() if f"probe={cookie} " in entry]
        if lines:
            return re.search(r" (127\.0\.0\.1:\d+) ", lines[-1]).group(1)
        time.sleep(0.1)
    raise AssertionError(f"nginx logged no request for {cookie}")


def two_cookies_on_two_replicas(base_url: str, run_dir: Path) -> tuple[str, str]:
    first = "facilitator"
    first_replica = replica_of(base_url, run_dir, first)
    for number in range(64):
        other = f"participant{number}"
        if replica_of(base_url, run_dir, other) != first_replica:
            return first, other
    raise AssertionError("nginx sent 64 visitors to one replica: the sticky hash does not spread them")


@pytest.fixture
def two_visitors(browser, replicas, request):
    """A facilitator's desktop tab and a participant's phone, each pinned by its cookie to a different process
    (`request.param`: extra settings of both browser contexts)."""
    base_url, run_dir = replicas
    cookies = two_cookies_on_two_replicas(base_url, run_dir)
    extra = getattr(request, "param", {})
    tabs = [new_tab(browser, **extra), new_tab(browser, viewport=PHONE, is_mobile=True, has_touch=True, **extra)]
    for tab, cookie in zip(tabs, cookies):
        tab.context.add_cookies([{"name": REPLICA_COOKIE, "value": cookie, "url": base_url}])
    yield base_url, tabs
    for tab in tabs:
        save_screenshot_on_failure(request, tab)
        tab.context.close()


def start_room(tab) -> str:
    panel = tab.get_by_test_id("stSidebar").get_by_test_id("stExpander").filter(has_text="Presenter's room")
    panel.get_by_text("Presenter's room").first.click()
    panel.get_by_role("button", name="Start a room").click()
    expect(panel).to_contain_text("is open")
    return re.search(r"MOB-[0-9A-Z]{4}-[0-9A-Z]{4}", panel.inner_text()).group(0)


def test_a_participant_on_another_process_follows_the_facilitator_to_another_city_and_page(two_visitors):
    base_url, (facilitator, participant) = two_visitors
    facilitator.goto(f"{base_url}/race-class-gaps?city=tulsa")
    wait_for_app(facilitator)
    code = start_room(facilitator)

    participant.goto(f"{base_url}/?room={code.lower()}")  # the code as typed from the screen
    participant.wait_for_url(re.compile(rf"/race-class-gaps\?city=tulsa&room={code}$"))
    banner = participant.locator(".st-key-room_banner")
    expect(banner).to_contain_text(f"Following the presenter · room {code}")
    assert participant.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # fits the phone

    choose_city(facilitator, "Dayton, OH")
    facilitator.get_by_test_id("stSidebarNav").get_by_role("link", name="US county map").click()
    wait_for_app(facilitator)
    participant.wait_for_url(re.compile(rf"/us-counties\?city=dayton&room={code}$"))
    wait_for_app(participant)
    expect(banner).to_contain_text("Following the presenter")

    participant.get_by_role("button", name="Explore on my own").click()
    expect(banner).to_contain_text("Exploring on your own")
    facilitator.get_by_test_id("stSidebarNav").get_by_role("link", name="City pilot profile").click()
    wait_for_app(facilitator)
    participant.wait_for_timeout(2500)  # more than two looks at the room: a follower would have moved by now
    assert "/us-counties?" in participant.url

    participant.get_by_role("button", name="Back to the presenter").click()
    participant.wait_for_url(re.compile(rf"/pilot\?city=dayton&room={code}$"))
    expect(banner).to_contain_text("Following the presenter")
    assert not facilitator.console_log.errors and not participant.console_log.errors


def test_a_code_that_no_room_has_says_so_on_the_phone(two_visitors):
    base_url, (_facilitator, participant) = two_visitors
    participant.goto(f"{base_url}/?room=MOB-0000-0000")
    expect(participant.locator(".st-key-room_banner")).to_contain_text("There is no open room MOB-0000-0000")
    participant.get_by_role("button", name="Leave the room").click()
    expect(participant.locator(".st-key-room_banner")).to_have_count(0)
    assert "room=" not in participant.url


@pytest.mark.parametrize("two_visitors", [{"bypass_csp": True}], indirect=True)  # to inject axe past the CSP
def test_the_room_s_panel_banner_and_code_on_the_screen_pass_the_accessibility_rules(two_visitors):
    """axe-core's WCAG 2.1 A/AA rules on what a room adds: the facilitator's open panel and the code shown
    large, and the participant's line on top of the page."""
    from .helpers import AXE_SCRIPT
    from .test_a11y import BLOCKING_IMPACTS, describe, run_axe
    if not AXE_SCRIPT.exists():
        pytest.skip("axe-core not found: run npm ci")
    base_url, (facilitator, participant) = two_visitors
    facilitator.goto(f"{base_url}/pilot?city=newark")
    wait_for_app(facilitator)
    code = start_room(facilitator)
    participant.goto(f"{base_url}/?room={code}")
    expect(participant.locator(".st-key-room_banner")).to_contain_text("Following the presenter")
    facilitator.get_by_role("button", name="Show the code on the screen").click()
    expect(facilitator.get_by_role("dialog")).to_contain_text(code)
    for tab in (facilitator, participant):
        blocking = [v for v in run_axe(tab) if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, "\n".join(describe(v) for v in blocking)
