"""Rooms: everyone in the room follows the facilitator's view on their own screen.

A facilitator starts a room and gets a code (`MOB-K7QD-4M2X`), a link (`?room=MOB-K7QD-4M2X`) and a QR
code for the screen. Their session then publishes its view (the page and its link state, explorer.links)
each time it changes; a participant who opens the link follows it, can leave to explore on their own and
can come back. Only view state goes into a room: a page id and link parameters, no names, no uploads.

Codes (explorer.room_code) carry 40 random bits: a room cannot be found by guessing.

Where a room lives. `MemoryRooms` keeps rooms in this process (one process serves the room);
`RedisRooms` keeps them in Redis, so that a facilitator and participants served by different processes
behind the deploy/ proxy share one room. Both forget a room `TTL_S` after its last publish (the
facilitator's session publishes on every run, so a room is idle only when its facilitator is), and both
check the facilitator's key, a secret their session holds, before a room is changed or ended.
What comes back from a store is checked like a link from anywhere (`RoomView.checked`).

Following. `Follower` is a participant's side as plain data; `step` says what one look at the room means
for it (apply the presenter's new view, nothing to do, or the room is gone), `leave`, `rejoin` and
`own_change` the participant's own moves. The Streamlit side is ui/room.py.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Callable, Collection, Mapping, Protocol

from explorer import links, registry
from explorer.room_code import new_code

TTL_S = 4 * 60 * 60        # a room no facilitator has touched for 4 hours is gone
POLL_S = 1.0               # how often a follower looks at the room (ui/room.py)
PRESENT_S = 10.0           # a follower who has not looked for this long is not counted as following
NOT_FOLLOWED = ("view", "room", "host", "lang")  # link fields that are never part of a room's view


def host_hash(key: str) -> str:
    """What a store keeps of the facilitator's key: its SHA-256, never the key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def leads(room: "Room | None", key: str) -> bool:
    """Does `key` lead this room (its facilitator's key)? Compared in constant time."""
    return room is not None and bool(room.host) and hmac.compare_digest(room.host, host_hash(key))


# ---- what a room holds ----

@dataclass(frozen=True)
class RoomView:
    """The facilitator's view: a page id and its link parameters (as explorer.links.encode writes them),
    without the walk's view number, the room itself or the reader's language (each reader keeps theirs)."""
    page: str
    params: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, page: str, state: Mapping) -> "RoomView":
        """The view of a page's link state (its valid part: a page's own checks come first)."""
        valid, _dropped = links.valid_part({k: v for k, v in state.items() if k not in NOT_FOLLOWED})
        return cls(page, links.encode(valid))

    @classmethod
    def checked(cls, page: object, params: object) -> "RoomView | None":
        """A view read back from a store, kept only if it is one this app could have published: a known
        page and link parameters that decode without a notice."""
        if not isinstance(page, str) or page not in registry.BY_ID or not isinstance(params, dict):
            return None
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in params.items()):
            return None
        given, ignored = links.decode_given(params)
        if ignored or any(name in NOT_FOLLOWED for name in given):
            return None
        return cls(page, links.encode(given))

    def query_params(self, lang: str | None = None) -> dict[str, str]:
        """The link parameters that open this view, in the follower's own language `lang`."""
        return dict(self.params) | ({"lang": lang} if lang and lang != links.DEFAULTS["lang"] else {})

    def same(self, other: "RoomView | None") -> bool:
        return other is not None and self.page == other.page and dict(self.params) == dict(other.params)


@dataclass(frozen=True)
class Room:
    code: str
    version: int                 # counts the facilitator's view changes: a follower applies each new one
    view: RoomView | None        # None until the facilitator's first run publishes
    following: int = 0           # followers who looked in the last PRESENT_S seconds
    host: str = ""               # the hash of its facilitator's key (host_hash)


def _record(view: RoomView | None, version: int, hashed_key: str) -> dict:
    return {"version": version, "host": hashed_key,
            "page": view.page if view else None, "params": dict(view.params) if view else {}}


def _room(code: str, record: object, following: int = 0) -> Room | None:
    """A stored record made a Room again; None for anything malformed (a room that cannot be read is gone)."""
    if not isinstance(record, dict) or not isinstance(record.get("version"), int):
        return None
    view = RoomView.checked(record.get("page"), record.get("params")) if record.get("page") is not None else None
    if record.get("page") is not None and view is None:
        return None
    return Room(code, record["version"], view, following, str(record.get("host", "")))


class RoomStoreError(RuntimeError):
    """The store cannot be reached (Redis down): rooms pause, the app goes on."""


class RoomStore(Protocol):
    def create(self, hashed_key: str) -> str: ...
    def publish(self, code: str, key: str, view: RoomView) -> Room | None: ...
    def read(self, code: str, follower: str | None = None) -> Room | None: ...
    def end(self, code: str, key: str) -> bool: ...


# ---- in this process ----

class MemoryRooms:
    """Rooms in this process's memory (one process serves everyone). Thread-safe: every session's script
    runs in its own thread. `clock` is for the tests (time.monotonic by default)."""

    def __init__(self, ttl_s: float = TTL_S, clock: Callable[[], float] = time.monotonic):
        self.ttl_s, self.clock = ttl_s, clock
        self._rooms: dict[str, tuple[dict, float]] = {}   # code -> (record, expires at)
        self._seen: dict[str, dict[str, float]] = {}      # code -> follower id -> last look
        self._lock = threading.Lock()

    def _live(self, code: str) -> dict | None:
        entry = self._rooms.get(code)
        if entry is None or entry[1] <= self.clock():
            self._rooms.pop(code, None)
            self._seen.pop(code, None)
            return None
        return entry[0]

    def create(self, hashed_key: str) -> str:
        with self._lock:
            for code in [c for c, (_r, expires) in self._rooms.items() if expires <= self.clock()]:
                self._live(code)  # forget the expired ones while here
            code = new_code()
            while code in self._rooms:
                code = new_code()
            self._rooms[code] = (_record(None, 0, hashed_key), self.clock() + self.ttl_s)
            return code

    def publish(self, code: str, key: str, view: RoomView) -> Room | None:
        with self._lock:
            record = self._live(code)
            if record is None or record["host"] != host_hash(key):
                return None
            current = _room(code, record)
            version = record["version"] if current and view.same(current.view) else record["version"] + 1
            self._rooms[code] = (_record(view, version, record["host"]), self.clock() + self.ttl_s)
            return Room(code, version, view, self._count(code), record["host"])

    def read(self, code: str, follower: str | None = None) -> Room | None:
        with self._lock:
            record = self._live(code)
            if record is None:
                return None
            if follower:
                self._seen.setdefault(code, {})[follower] = self.clock()
            return _room(code, record, self._count(code))

    def _count(self, code: str) -> int:
        since = self.clock() - PRESENT_S
        seen = {f: t for f, t in self._seen.get(code, {}).items() if t > since}
        self._seen[code] = seen
        return len(seen)

    def end(self, code: str, key: str) -> bool:
        with self._lock:
            record = self._live(code)
            if record is None or record["host"] != host_hash(key):
                return False
            self._rooms.pop(code, None)
            self._seen.pop(code, None)
            return True


# ---- in Redis, shared by every process ----

def _parsed(text: str | None) -> object:
    """A stored record's JSON read back (None for nothing or for text that is not JSON)."""
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


class RedisRooms:
    """Rooms in Redis (REDIS_URL), shared by every process behind the proxy: one key per room holding its
    record as JSON, with Redis's own expiry as the idle limit, and a sorted set of who looked when.

    Every call has a short timeout: a Redis that does not answer raises RoomStoreError, and the page says
    the room cannot be reached instead of waiting."""

    KEY = "explorer:room:{code}"
    SEEN = "explorer:room:{code}:seen"

    def __init__(self, url: str, ttl_s: int = TTL_S, timeout_s: float = 0.5):
        import redis  # only a site that sets REDIS_URL needs it
        self.ttl_s = int(ttl_s)
        self._errors = (redis.RedisError, OSError)
        self._redis = redis.Redis.from_url(url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s,
                                           decode_responses=True)

    def _call(self, work):
        try:
            return work(self._redis)
        except self._errors as error:
            raise RoomStoreError(f"the room store does not answer ({type(error).__name__})") from None

    def _get(self, r, code: str) -> dict | None:
        return _parsed(r.get(self.KEY.format(code=code)))

    def create(self, hashed_key: str) -> str:
        def work(r):
            while True:
                code = new_code()
                if r.set(self.KEY.format(code=code), json.dumps(_record(None, 0, hashed_key)), nx=True, ex=self.ttl_s):
                    return code
        return self._call(work)

    def publish(self, code: str, key: str, view: RoomView) -> Room | None:
        def work(r):
            record = self._get(r, code)
            if not isinstance(record, dict) or record.get("host") != host_hash(key):
                return None
            current = _room(code, record)
            version = record["version"] if current and view.same(current.view) else record["version"] + 1
            # xx: an ended room is not brought back by a publish that raced the end
            if not r.set(self.KEY.format(code=code), json.dumps(_record(view, version, record["host"])),
                         xx=True, ex=self.ttl_s):
                return None
            return Room(code, version, view, self._count(r, code), record["host"])
        return self._call(work)

    def read(self, code: str, follower: str | None = None) -> Room | None:
        """The room, and (with `follower`) a note that this follower looked: one round trip, since every
        follower looks every POLL_S seconds. The note of a look at a room that does not exist is gone again
        in a few seconds (the set expires soon after its last look)."""
        def work(r):
            now, seen = time.time(), self.SEEN.format(code=code)
            batch = r.pipeline(transaction=False).get(self.KEY.format(code=code))
            if follower:
                batch.zadd(seen, {follower: now}).expire(seen, int(3 * PRESENT_S))
            text, *_notes, _removed, count = batch.zremrangebyscore(seen, 0, now - PRESENT_S).zcard(seen).execute()
            return _room(code, _parsed(text), int(count)) if text else None
        return self._call(work)

    def _count(self, r, code: str) -> int:
        seen = self.SEEN.format(code=code)
        _removed, count = r.pipeline().zremrangebyscore(seen, 0, time.time() - PRESENT_S).zcard(seen).execute()
        return int(count)

    def end(self, code: str, key: str) -> bool:
        def work(r):
            record = self._get(r, code)
            if not isinstance(record, dict) or record.get("host") != host_hash(key):
                return False
            return bool(r.delete(self.KEY.format(code=code), self.SEEN.format(code=code)))
        return self._call(work)


def store_for(redis_url: str | None) -> RoomStore:
    """Redis when the site sets REDIS_URL (several processes), else this process's memory."""
    return RedisRooms(redis_url) if redis_url else MemoryRooms()


# ---- a participant's side ----

@dataclass(frozen=True)
class Follower:
    """A participant in room `code`: following or exploring on their own, and what they last applied."""
    code: str
    following: bool = True
    seen: int | None = None             # the room version last applied (None: apply whatever is there)
    applied: RoomView | None = None     # the view last applied
    status: str = "open"                # open | ended (gone after being followed) | unknown | unreachable


APPLY, STAY, GONE = "apply", "stay", "gone"


def step(follower: Follower, room: Room | None) -> tuple[str, Follower]:
    """What one look at the room means: APPLY its view (the facilitator moved, or the participant just
    came back), STAY (nothing new, or exploring on their own), or GONE (ended, expired or never was)."""
    if room is None:
        status = "ended" if follower.status == "open" and (follower.seen is not None or follower.applied) else "unknown"
        return GONE, replace(follower, following=False, status=status)
    follower = replace(follower, status="open")
    if not follower.following or room.view is None or follower.seen == room.version:
        return STAY, follower
    return APPLY, replace(follower, seen=room.version, applied=room.view)


def leave(follower: Follower) -> Follower:
    """"Explore on my own": stop following; the view on screen stays."""
    return replace(follower, following=False)


def rejoin(follower: Follower) -> Follower:
    """"Back to the presenter": follow again, from the presenter's view as it is now (what was applied before
    is forgotten: the participant's own view since then is not a change to notice)."""
    return replace(follower, following=True, seen=None, applied=None)


def own_change(follower: Follower, view: RoomView, only: Collection[str] | None = None) -> bool:
    """Has the participant moved away from the view they were given (a click of their own, not a language
    switch)? Then they are exploring on their own. `only`: compare just these link fields (those known
    before the page has run: its widgets'), besides the page."""
    if not follower.following or follower.applied is None:
        return False
    if only is None:
        return not view.same(follower.applied)
    return view.page != follower.applied.page or any(
        view.params.get(name) != follower.applied.params.get(name) for name in only)


def join_link(root: str, code: str, lang: str | None = None, key: str | None = None) -> str:
    """The address a participant opens to follow room `code` (the site's root, `root`), in the presenter's
    language when it is not the default one (a Spanish workshop's link opens in Spanish). With the
    facilitator's `key`, the presenter's own link: it opens the room as its presenter again, after a reload or
    on another device."""
    return links.link(f"{root.rstrip('/')}/", {"room": code, **({"lang": lang} if lang else {}),
                                               **({"host": key} if key else {})})
