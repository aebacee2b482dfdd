"""The presenter's room through the router: a facilitator's session and a participant's, two AppTests in one
process (the rooms live in its memory, as they do for one server). A participant's `run()` stands in for
the look at the room that their page takes every second."""
from __future__ import annotations

import re

import pytest

from explorer import links, plain, registry, room_code
from tests.conftest import open_page
from harness.apptest import app_test

ROUTER_PAGE = "_router"  # ui.router.ROUTER_KEY: (this run's page, ...)


def url(at) -> dict[str, str]:
    return {name: at.query_params[name] for name in at.query_params}


def page_of(at) -> str:
    return at.session_state[ROUTER_PAGE][0]


def texts(at) -> list[str]:
    """Every sentence on screen as read (Markdown's ** and a leading icon left out)."""
    return [re.sub(r"^:material/[a-z_]+: ", "", plain.as_read(e.value).replace("**", ""))
            for e in (*at.markdown, *at.warning, *at.toast, *at.caption)]


def start_room(page_file: str = "pages/home.py", **state):
    """A facilitator on a page with a room started: (their AppTest, the room's code)."""
    host = open_page(page_file, state=state)
    host.button(key="room_start").click().run()
    code = host.session_state["_room_host"][0]
    assert room_code.read_code(code) == code
    return host, code


def join(code: str, lang: str | None = None):
    """A participant who opened the room's link (a phone that scanned the code)."""
    at = app_test()
    at.query_params["room"] = code
    if lang:
        at.query_params["lang"] = lang
    return at.run()


def test_a_participant_opens_the_facilitator_s_view_and_follows_it_to_another_page_and_city():
    host, code = start_room("pages/gaps.py", city="tulsa")
    host.slider(key="gap_pctile").set_value(40).run()
    follower = join(code.lower().replace("-", " "))  # the code typed as heard
    assert not follower.exception
    assert page_of(follower) == "race-class-gaps"
    assert url(follower) == {"city": "tulsa", "pctile": "40", "room": code}
    assert follower.slider(key="gap_pctile").value == 40
    assert f"Following the presenter · room {code}" in texts(follower)
    assert follower.button(key="room_leave").label == "Explore on my own"

    host.session_state["city"] = "dayton"
    host.switch_page("pages/county_map.py").run()
    host.selectbox(key="county_group").set_value("black_white_gap").run()
    follower.run()
    assert page_of(follower) == "us-counties"
    assert url(follower) == {"city": "dayton", "group": "black_white_gap", "room": code}
    assert follower.selectbox(key="county_group").value == "black_white_gap"
    assert follower.selectbox(key="city").value == "dayton"


def test_a_room_s_view_is_applied_exactly_what_it_leaves_out_is_back_at_its_default():
    host, code = start_room("pages/gaps.py", city="tulsa")
    follower = join(code)
    follower.radio(key="gap_gender").set_value("female").run()  # the participant's own choice...
    follower.button(key="room_rejoin").click().run()           # ...then back to the presenter
    host.slider(key="gap_pctile").set_value(60).run()
    follower.run()
    assert follower.radio(key="gap_gender").value == "pooled" and follower.slider(key="gap_pctile").value == 60


def test_the_selected_tracts_and_presentation_mode_follow_too(raw_tracts):
    tulsa = list(raw_tracts[raw_tracts.index.str.startswith("40143")].dropna().index[:2])
    host, code = start_room()
    host.query_params.update({"city": "tulsa", "tracts": ",".join(tulsa), "present": "1"})
    host.switch_page("pages/maps.py").run()
    assert host.session_state["present"]
    follower = join(code)
    assert page_of(follower) == "neighborhoods" and follower.session_state["present"]
    assert url(follower) == {"city": "tulsa", "tracts": ",".join(tulsa), "present": "1", "room": code}
    assert len([m for m in follower.markdown if " - tract " in m.value]) == 2


def test_exploring_on_your_own_keeps_the_view_and_back_to_the_presenter_rejoins():
    host, code = start_room("pages/gaps.py", city="tulsa", present=True)
    host.run()
    follower = join(code)
    assert follower.session_state["present"]
    follower.button(key="room_leave").click().run()
    assert not follower.session_state["present"]  # the controls are back: the participant can click anything
    assert page_of(follower) == "race-class-gaps" and follower.session_state["city"] == "tulsa"
    assert f"Exploring on your own · room {code}" in texts(follower)

    host.switch_page("pages/profile.py").run()
    follower.run()
    assert page_of(follower) == "race-class-gaps"  # not following: the facilitator's move is not applied

    follower.button(key="room_rejoin").click().run()
    assert page_of(follower) == "pilot" and follower.session_state["present"]
    assert follower.session_state["_room_follower"].following


def test_a_participant_s_own_click_means_exploring_on_their_own():
    host, code = start_room("pages/gaps.py", city="tulsa")
    follower = join(code)
    follower.selectbox(key="city").set_value("racine").run()
    assert not follower.session_state["_room_follower"].following
    assert any("You are exploring on your own now." in t for t in texts(follower))
    host.slider(key="gap_pctile").set_value(70).run()
    follower.run()
    assert follower.session_state["city"] == "racine" and follower.slider(key="gap_pctile").value == 25


def test_followers_never_change_the_room():
    from ui.room import store
    host, code = start_room("pages/gaps.py", city="tulsa")
    before = store().read(code)
    follower = join(code)
    follower.selectbox(key="city").set_value("racine").run()
    follower.button(key="room_rejoin").click().run()
    follower.switch_page("pages/county_map.py").run()
    assert store().read(code).view == before.view and store().read(code).version == before.version


def test_a_follower_keeps_their_own_language_and_the_room_link_carries_a_spanish_workshop_s():
    host, code = start_room("pages/gaps.py", city="tulsa")
    host.radio(key="lang").set_value("es").run()
    assert [c.value for c in host.code if "room=" in c.value][0].endswith(f"/?lang=es&room={code}")
    follower = join(code, lang="en")  # a reader who chose English
    assert url(follower) == {"city": "tulsa", "room": code}
    assert "Race and class gaps" in [t.value for t in follower.title]
    spanish = join(code, lang="es")
    assert url(spanish) == {"city": "tulsa", "lang": "es", "room": code}
    assert any(t.startswith("Siguiendo al presentador") for t in texts(spanish))


def test_the_facilitator_s_own_link_and_a_follower_s_shared_link_carry_no_room():
    host, code = start_room("pages/gaps.py", city="tulsa")
    assert "room" not in url(host)
    follower = join(code)
    shared = [c.value for c in follower.code if "room=" in c.value or "city=tulsa" in c.value]
    assert shared and all("room=" not in link for link in shared)


def test_when_the_facilitator_ends_the_room_followers_are_told_and_keep_their_view():
    host, code = start_room("pages/gaps.py", city="tulsa")
    follower = join(code)
    host.button(key="room_end").click().run()
    assert "_room_host" not in host.session_state
    follower.run()
    assert any(t.startswith(f"Room {code} has ended") for t in texts(follower))
    assert page_of(follower) == "race-class-gaps" and follower.session_state["city"] == "tulsa"
    follower.button(key="room_quit").click().run()
    assert "room" not in url(follower) and "_room_follower" not in follower.session_state


def test_a_code_that_does_not_exist_says_so_and_a_malformed_one_is_named():
    at = join("MOB-0000-0000")
    assert not at.exception
    assert f"There is no open room MOB-0000-0000. Check the code with the presenter: codes look like {room_code.EXAMPLE}." in texts(at)
    at = join("<b>MOB</b>")
    assert not at.exception and "_room_follower" not in at.session_state
    assert [plain.as_read(t.value) for t in at.toast] == [
        "Ignored room=?b?MOB??b? (must be a room code like MOB-K7QD-4M2X)."]


def test_typing_a_room_code_in_the_menu_follows_it():
    host, code = start_room("pages/compare.py", city="newark")
    at = open_page("pages/home.py")
    at.text_input(key="room_code").input("hello")
    at.button[[b.label for b in at.button].index("Follow")].click().run()
    assert any(t.startswith("That is not a room code.") for t in (e.value for e in at.error))
    assert page_of(at) == "start" and "_room_follower" not in at.session_state
    at.text_input(key="room_code").input("  " + code.replace("-", "").lower())
    at.button[[b.label for b in at.button].index("Follow")].click().run()
    assert page_of(at) == "compare-cities" and at.session_state["city"] == "newark"
    assert not at.error


def test_opening_your_own_room_s_link_keeps_you_its_facilitator():
    host, code = start_room("pages/gaps.py", city="tulsa")
    host.query_params["room"] = code
    host.run()
    assert host.session_state["_room_host"][0] == code and "_room_follower" not in host.session_state


@pytest.mark.parametrize("page", [p for p in registry.PAGES if not p.needs_national])
def test_every_page_s_view_reaches_a_follower_unchanged(page):
    """What a follower's page reads back from its widgets is what the facilitator published: a round trip
    that is not exact would count as the follower's own change and stop them following."""
    host, code = start_room(page.file, city="rochester")
    follower = join(code)
    assert page_of(follower) == page.id and follower.session_state["_room_follower"].following
    follower.run()
    assert follower.session_state["_room_follower"].following
    expected = {k: v for k, v in url(host).items() if k != "view"}
    assert {k: v for k, v in url(follower).items() if k != "room"} == expected


def test_a_views_file_cannot_name_a_room():
    from explorer import views
    text = b'title = "t"\n[[view]]\ntitle = "a"\npage = "pilot"\n[view.link]\nroom = "MOB-K7QD-4M2X"\n'
    with pytest.raises(views.ViewsFileError, match="room"):
        views.parse(text)
    assert "room" in links.FIELDS


def test_the_presenter_s_private_link_leads_the_room_again_after_a_reload():
    host, code = start_room("pages/gaps.py", city="tulsa")
    host.slider(key="gap_pctile").set_value(40).run()
    private = [c.value for c in host.code if "host=" in c.value][0]
    key = private.split("host=")[1]
    follower = join(code)
    again = app_test()  # the facilitator's tab reloaded: a new session
    again.query_params.update({"room": code, "host": key})
    again.run()
    assert again.session_state["_room_host"] == (code, key) and "_room_follower" not in again.session_state
    assert page_of(again) == "race-class-gaps" and again.slider(key="gap_pctile").value == 40
    assert url(again) == {"city": "tulsa", "pctile": "40"}  # the key is read once, never kept in the address
    again.switch_page("pages/profile.py").run()
    follower.run()
    assert page_of(follower) == "pilot"  # the room follows its presenter's new session


def test_a_presenter_s_link_with_a_wrong_key_leads_nothing():
    host, code = start_room("pages/gaps.py", city="tulsa")
    stranger = app_test()
    stranger.query_params.update({"room": code, "host": "x" * 32})
    stranger.run()
    assert "_room_host" not in stranger.session_state and "room" not in url(stranger)
    assert any("does not open room" in t for t in texts(stranger))
    from ui.room import store
    assert store().read(code).view.page == "race-class-gaps"
