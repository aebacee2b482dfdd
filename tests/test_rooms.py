"""The presenter's room as pure functions (explorer.rooms, explorer.room_code): codes, the two stores (this
process's memory, and a real redis-server when it is installed), and a follower's moves."""
from __future__ import annotations

import json
import time

import pytest

from explorer import links, room_code, rooms
from explorer.rooms import APPLY, GONE, STAY, Follower, RoomView
from harness.redis_server import redis_missing_reason, running_redis

KEY, OTHER_KEY = "facilitator-secret", "someone-else"
TULSA_GAPS = RoomView("race-class-gaps", {"city": "tulsa", "pctile": "40"})
DAYTON_MAP = RoomView("us-counties", {"city": "dayton", "group": "black"})


# ---- codes ----

def test_a_new_code_is_two_groups_of_four_from_the_unambiguous_alphabet():
    code = room_code.new_code()
    assert room_code.read_code(code) == code
    assert len(code) == len("MOB-K7QD-4M2X") and code.startswith("MOB-") and code[8] == "-"
    assert not set(code[4:].replace("-", "")) & set("ILOU")


def test_codes_carry_forty_random_bits():
    assert len(room_code.ALPHABET) ** room_code.SYMBOLS == 2 ** 40
    assert len({room_code.new_code() for _ in range(2000)}) == 2000  # no repeats in a busy day's rooms


@pytest.mark.parametrize("typed, code", [
    ("MOB-K7QD-4M2X", "MOB-K7QD-4M2X"),
    ("mob k7qd 4m2x", "MOB-K7QD-4M2X"),      # said aloud, typed on a phone
    ("K7QD4M2X", "MOB-K7QD-4M2X"),           # without the prefix
    (" MOB_K7QD.4M2X ", "MOB-K7QD-4M2X"),
    ("M0B-K7QD-4M2X", "MOB-K7QD-4M2X"),      # a zero for the O of MOB
    ("MOB-K7QO-IM2L", "MOB-K7Q0-1M21"),      # O, I and L read as 0, 1 and 1
    ("MOB-K7QD-4M2U", None),                 # U is not in the alphabet
    ("MOB-K7QD-4M2", None),
    ("MOB-K7QD-4M2XX", None),
    ("<img src=x>", None),
    ("MOB-" + "K" * 60, None),
    ("", None),
    (None, None),
    (12345678, None),
])
def test_read_code(typed, code):
    assert room_code.read_code(typed) == code


def test_a_link_s_room_field_takes_a_code_as_typed_and_names_a_bad_one():
    assert links.decode_given({"room": "mob-k7qd-4m2x"}) == ({"room": "MOB-K7QD-4M2X"}, [])
    given, ignored = links.decode_given({"room": "MOB-1234"})
    assert given == {} and ignored == ["Ignored room=MOB-1234 (must be a room code like MOB-K7QD-4M2X)"]


# ---- what a room holds ----

def test_a_view_leaves_out_the_walk_s_number_the_room_and_the_reader_s_language():
    state = {"city": "tulsa", "pctile": 40, "gender": "pooled", "view": 3, "room": "MOB-K7QD-4M2X", "lang": "es"}
    assert RoomView.of("race-class-gaps", state) == TULSA_GAPS


def test_a_view_keeps_only_what_a_link_could_hold():
    assert RoomView.of("race-class-gaps", {"city": "tulsa", "pctile": 500}) == RoomView("race-class-gaps", {"city": "tulsa"})


@pytest.mark.parametrize("page, params", [
    ("no-such-page", {"city": "tulsa"}),
    ("pilot", {"city": "atlantis"}),
    ("pilot", {"city": "tulsa", "lang": "es"}),   # a stored view never carries a language or a room
    ("pilot", {"room": "MOB-K7QD-4M2X"}),
    ("pilot", {"city": ["tulsa"]}),
    ("pilot", "city=tulsa"),
    (None, {}),
])
def test_a_stored_view_that_this_app_could_not_have_published_is_refused(page, params):
    assert RoomView.checked(page, params) is None


def test_a_stored_view_is_read_back_in_its_one_written_form():
    assert RoomView.checked("race-class-gaps", {"pctile": "40", "city": "tulsa"}) == TULSA_GAPS


def test_the_join_link_is_the_site_s_root_with_the_room_and_a_workshop_s_language():
    assert rooms.join_link("https://mobility.example.org", "MOB-K7QD-4M2X") == (
        "https://mobility.example.org/?room=MOB-K7QD-4M2X")
    assert rooms.join_link("http://127.0.0.1:8501/", "MOB-K7QD-4M2X", "es") == (
        "http://127.0.0.1:8501/?lang=es&room=MOB-K7QD-4M2X")


# ---- the stores: the same contract in memory and in Redis ----

class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def redis_url():
    reason = redis_missing_reason()
    if reason:
        pytest.skip(reason)
    with running_redis() as url:
        yield url


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        return rooms.MemoryRooms()
    return rooms.RedisRooms(request.getfixturevalue("redis_url"))


def test_a_new_room_is_open_with_no_view_until_its_facilitator_publishes(store):
    code = store.create(rooms.host_hash(KEY))
    assert room_code.read_code(code) == code
    room = store.read(code)
    assert (room.code, room.version, room.view) == (code, 0, None)


def test_only_the_facilitator_s_key_publishes_and_each_new_view_counts_once(store):
    code = store.create(rooms.host_hash(KEY))
    assert store.publish(code, OTHER_KEY, TULSA_GAPS) is None   # followers never change the room
    assert store.read(code).view is None
    assert store.publish(code, KEY, TULSA_GAPS).version == 1
    assert store.publish(code, KEY, TULSA_GAPS).version == 1     # the same view again: nothing new to follow
    assert store.publish(code, KEY, DAYTON_MAP).version == 2
    room = store.read(code)
    assert (room.version, room.view) == (2, DAYTON_MAP)


def test_an_unknown_code_reads_as_no_room(store):
    assert store.read("MOB-0000-0000") is None
    assert store.publish("MOB-0000-0000", KEY, TULSA_GAPS) is None


def test_only_its_facilitator_ends_a_room_and_then_it_is_gone(store):
    code = store.create(rooms.host_hash(KEY))
    assert not store.end(code, OTHER_KEY)
    assert store.read(code) is not None
    assert store.end(code, KEY)
    assert store.read(code) is None
    assert store.publish(code, KEY, TULSA_GAPS) is None  # a publish after the end does not bring it back


def test_followers_who_looked_lately_are_counted_once_each(store):
    code = store.create(rooms.host_hash(KEY))
    for follower in ("a", "b", "a", "c"):
        store.read(code, follower)
    assert store.read(code).following == 3
    assert store.publish(code, KEY, TULSA_GAPS).following == 3


def test_a_room_expires_when_its_facilitator_has_been_idle_for_the_limit():
    clock = Clock()
    store = rooms.MemoryRooms(ttl_s=rooms.TTL_S, clock=clock)
    code = store.create(rooms.host_hash(KEY))
    clock.now += rooms.TTL_S - 1
    store.read(code, "a follower")                   # followers looking do not keep a room open
    assert store.publish(code, KEY, TULSA_GAPS)       # the facilitator's run does
    clock.now += rooms.TTL_S - 1
    assert store.read(code).view == TULSA_GAPS
    clock.now += 2
    assert store.read(code) is None
    assert store.publish(code, KEY, TULSA_GAPS) is None


def test_followers_stop_counting_once_they_have_not_looked_for_a_while():
    clock = Clock()
    store = rooms.MemoryRooms(clock=clock)
    code = store.create(rooms.host_hash(KEY))
    store.read(code, "a")
    clock.now += rooms.PRESENT_S + 1
    store.read(code, "b")
    assert store.read(code).following == 1


def test_redis_keeps_a_room_for_the_idle_limit_from_its_last_publish(redis_url):
    import redis
    store = rooms.RedisRooms(redis_url, ttl_s=2)
    code = store.create(rooms.host_hash(KEY))
    direct = redis.Redis.from_url(redis_url)
    assert 0 < direct.ttl(rooms.RedisRooms.KEY.format(code=code)) <= 2
    time.sleep(1.1)
    store.publish(code, KEY, TULSA_GAPS)
    assert direct.ttl(rooms.RedisRooms.KEY.format(code=code)) == 2   # refreshed by the publish
    time.sleep(2.2)
    assert store.read(code) is None


def test_redis_keeps_no_key_and_no_address_of_anyone(redis_url):
    import redis
    store = rooms.RedisRooms(redis_url)
    code = store.create(rooms.host_hash(KEY))
    store.publish(code, KEY, TULSA_GAPS)
    record = json.loads(redis.Redis.from_url(redis_url).get(rooms.RedisRooms.KEY.format(code=code)))
    assert record == {"version": 1, "host": rooms.host_hash(KEY), "page": "race-class-gaps",
                      "params": {"city": "tulsa", "pctile": "40"}}
    assert KEY not in json.dumps(record)


@pytest.mark.parametrize("stored", [
    "not json", json.dumps([1, 2]), json.dumps({"version": "1"}),
    json.dumps({"version": 1, "host": "x", "page": "pilot", "params": {"city": "<script>"}}),
    json.dumps({"version": 1, "host": "x", "page": "../../etc", "params": {}}),
])
def test_a_damaged_record_in_redis_reads_as_no_room(redis_url, stored):
    import redis
    redis.Redis.from_url(redis_url).set(rooms.RedisRooms.KEY.format(code="MOB-DAMA-6ED0"), stored)
    assert rooms.RedisRooms(redis_url).read("MOB-DAMA-6ED0") is None


def test_a_redis_that_does_not_answer_is_one_clear_error():
    from harness.server import free_port
    store = rooms.RedisRooms(f"redis://127.0.0.1:{free_port()}/0", timeout_s=0.2)
    with pytest.raises(rooms.RoomStoreError, match="does not answer"):
        store.read("MOB-K7QD-4M2X")
    with pytest.raises(rooms.RoomStoreError):
        store.create(rooms.host_hash(KEY))


def test_only_the_facilitator_s_key_leads_a_room_read_back(store):
    code = store.create(rooms.host_hash(KEY))
    room = store.read(code)
    assert rooms.leads(room, KEY) and not rooms.leads(room, OTHER_KEY) and not rooms.leads(None, KEY)


@pytest.mark.parametrize("text, key", [
    ("a" * 32, "a" * 32), ("Ab-_" * 8, "Ab-_" * 8), ("a" * 31, None), ("a" * 33, None), ("a" * 31 + "!", None),
    (None, None),
])
def test_read_key(text, key):
    assert room_code.read_key(text) == key
    assert room_code.read_key(room_code.new_key()) is not None


def test_the_presenter_s_link_carries_the_key_and_a_view_never_does():
    assert rooms.join_link("https://x.org", "MOB-K7QD-4M2X", key="k" * 32) == (
        "https://x.org/?room=MOB-K7QD-4M2X&host=" + "k" * 32)
    assert RoomView.of("pilot", {"city": "tulsa", "host": "k" * 32}) == RoomView("pilot", {"city": "tulsa"})


def test_the_store_is_redis_exactly_when_the_site_sets_its_address():
    assert isinstance(rooms.store_for(None), rooms.MemoryRooms)
    assert isinstance(rooms.store_for("redis://127.0.0.1:6399/0"), rooms.RedisRooms)


# ---- a follower's moves ----

def room(version: int, view: RoomView | None = TULSA_GAPS) -> rooms.Room:
    return rooms.Room("MOB-K7QD-4M2X", version, view)


def test_joining_applies_the_facilitator_s_view_as_it_is_now():
    action, follower = rooms.step(Follower("MOB-K7QD-4M2X"), room(4))
    assert action == APPLY and (follower.seen, follower.applied) == (4, TULSA_GAPS)


def test_nothing_to_do_until_the_facilitator_moves_then_their_new_view():
    _, follower = rooms.step(Follower("MOB-K7QD-4M2X"), room(4))
    assert rooms.step(follower, room(4))[0] == STAY
    action, follower = rooms.step(follower, room(5, DAYTON_MAP))
    assert action == APPLY and follower.applied == DAYTON_MAP


def test_a_room_whose_facilitator_has_not_published_yet_is_waited_for():
    action, follower = rooms.step(Follower("MOB-K7QD-4M2X"), room(0, None))
    assert action == STAY and follower.following and follower.status == "open"


def test_exploring_on_your_own_ignores_the_facilitator_until_you_come_back():
    _, follower = rooms.step(Follower("MOB-K7QD-4M2X"), room(4))
    follower = rooms.leave(follower)
    assert rooms.step(follower, room(9, DAYTON_MAP)) == (STAY, follower)
    action, follower = rooms.step(rooms.rejoin(follower), room(9, DAYTON_MAP))
    assert action == APPLY and follower.following and follower.applied == DAYTON_MAP


def test_coming_back_reapplies_the_view_even_if_the_facilitator_did_not_move():
    _, follower = rooms.step(Follower("MOB-K7QD-4M2X"), room(4))
    back = rooms.rejoin(rooms.leave(follower))
    assert not rooms.own_change(back, DAYTON_MAP)  # where they explored to is not a new change of theirs
    assert rooms.step(back, room(4))[0] == APPLY


def test_a_room_that_ends_under_its_followers_says_so_and_an_unknown_code_says_that():
    _, follower = rooms.step(Follower("MOB-K7QD-4M2X"), room(4))
    action, follower = rooms.step(follower, None)
    assert action == GONE and not follower.following and follower.status == "ended"
    action, stranger = rooms.step(Follower("MOB-0000-0000"), None)
    assert action == GONE and stranger.status == "unknown"


def test_a_follower_s_own_change_is_noticed_but_not_their_language():
    _, follower = rooms.step(Follower("MOB-K7QD-4M2X"), room(4))
    assert not rooms.own_change(follower, RoomView.of("race-class-gaps", {"city": "tulsa", "pctile": 40, "lang": "es"}))
    assert rooms.own_change(follower, RoomView.of("race-class-gaps", {"city": "tulsa", "pctile": 41}))
    assert rooms.own_change(follower, RoomView.of("pilot", {"city": "tulsa"}))
    assert not rooms.own_change(rooms.leave(follower), RoomView.of("pilot", {"city": "tulsa"}))


def test_before_the_page_has_run_only_its_widgets_fields_are_compared():
    _, follower = rooms.step(Follower("MOB-K7QD-4M2X"), room(4, RoomView("neighborhoods", {"tracts": "40143000100"})))
    assert not rooms.own_change(follower, RoomView("neighborhoods", {}), only=("city", "metric"))
    assert rooms.own_change(follower, RoomView("neighborhoods", {"metric": "top20_p25"}), only=("city", "metric"))
    assert rooms.own_change(follower, RoomView("pilot", {"tracts": "40143000100"}), only=())
