"""The callers of recent requests, per login session (the token's `sid`), kept in process.

Every authenticated request used to read the session (revoked?), the user and their memberships:
three statements before any work (issue #18). A session seen within ANXUN_AUTH_CACHE_SECONDS is
answered from here instead; the database stays the truth:

- any write in this process to users, memberships, sessions or revoked tokens (ORM flushes and
  bulk UPDATE/DELETE alike) empties the cache, so a logout, a password change or a role change is
  seen by this process's next request;
- another process (a second gunicorn worker or server) sees such a change within the TTL at the
  latest, or at once when the cache is shared (below). 0 turns the cache off.

Shared (ANXUN_AUTH_CACHE_SHARED, "auto" = when Redis workers are used, the production setup):
every commit that changed users, memberships, sessions or revoked tokens increments one counter
in Redis, and a cached caller counts only while the counter still has the value it had when the
caller was read. Each request reads the counter once, before it reads the database, so a change
committed by any server is seen by every server's next request. Redis that cannot be reached
turns the cache off for that request (the database answers), never the request itself.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import current_app, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from anxun.accounts.models import AuthSession, Membership, RevokedToken, User
from anxun.core.auth import Actor

WATCHED = (User, Membership, AuthSession, RevokedToken)
MAX_ENTRIES = 10_000
GENERATION_KEY = "anxun:auth-generation"
# A Redis that does not answer within this long is taken as down for the request.
REDIS_TIMEOUT_SECONDS = 0.5

log = logging.getLogger(__name__)
_lock = threading.Lock()
_entries: dict[str, tuple[float, bytes | None, Actor]] = {}
_clients: dict[str, object] = {}
_UNREACHABLE = object()


def _ttl() -> float:
    return float(current_app.config.get("ANXUN_AUTH_CACHE_SECONDS", 0) or 0)


def shared() -> bool:
    """Whether cached callers are checked against the generation counter in Redis."""
    mode = str(current_app.config.get("ANXUN_AUTH_CACHE_SHARED", "auto") or "auto").lower()
    if mode == "auto":
        return current_app.config.get("ANXUN_DISPATCH_MODE") == "rq"
    return mode == "redis"


def _redis():
    url = current_app.config["ANXUN_REDIS_URL"]
    client = _clients.get(url)
    if client is None:
        from redis import Redis

        client = Redis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
        _clients[url] = client
    return client


def _read_generation():
    try:
        return _redis().get(GENERATION_KEY) or b"0"
    except Exception as error:  # noqa: BLE001 - any Redis failure: answer from the database
        log.warning("auth cache: Redis unreachable, checking the database (%s)", error)
        return _UNREACHABLE


def _generation():
    """The shared counter as this request first saw it (read once, before the database). Kept in
    the request's environ, not in `g`: an app context can outlive one request (tests, commands)."""
    if not has_request_context():
        return _read_generation()
    environ = request.environ
    if "anxun.auth_generation" not in environ:
        environ["anxun.auth_generation"] = _read_generation()
    return environ["anxun.auth_generation"]


def get(sid: str) -> Actor | None:
    """The actor of a session checked less than the TTL ago (and, when shared, since the last
    change to accounts on any server), or None."""
    if _ttl() <= 0:
        return None
    generation = _generation() if shared() else None
    entry = _entries.get(sid)
    if entry is None:
        return None
    stamp, seen, actor = entry
    if time.monotonic() - stamp >= _ttl() or generation is _UNREACHABLE or seen != generation:
        _entries.pop(sid, None)
        return None
    return actor


def put(sid: str, actor: Actor) -> None:
    if _ttl() <= 0:
        return
    generation = _generation() if shared() else None
    if generation is _UNREACHABLE:
        return
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[sid] = (time.monotonic(), generation, actor)


def _announce_change() -> None:
    """Tell every server's cache that accounts changed (after the commit, so they re-read it)."""
    if not has_app_context() or not shared():
        return
    try:
        _redis().incr(GENERATION_KEY)
    except Exception as error:  # noqa: BLE001 - the commit stands; other servers catch up by TTL
        log.warning("auth cache: could not announce an account change to Redis (%s)", error)


def clear() -> None:
    with _lock:
        _entries.clear()


# Emptied when the write is flushed and again when it commits: a request of another thread that
# read the old rows in between must not keep them.


@event.listens_for(Session, "after_flush")
def _after_flush(session, _context):
    if any(isinstance(obj, WATCHED) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info["anxun_auth_changed"] = True
        clear()


@event.listens_for(Session, "do_orm_execute")
def _bulk_write(state):
    if (state.is_update or state.is_delete) and any(m.class_ in WATCHED for m in state.all_mappers):
        state.session.info["anxun_auth_changed"] = True
        clear()


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    if session.info.pop("anxun_auth_changed", False):
        clear()
        _announce_change()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session):
    session.info.pop("anxun_auth_changed", None)
