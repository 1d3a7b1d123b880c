"""Exactly-once writes keyed by a client's id when copies of the same request race.

A phone that retries while its first attempt is still in flight sends two copies of the same new
record at once. Both look the id up, find nothing and insert; the database's unique key lets one
win. On PostgreSQL the loser's INSERT waits for the winner's commit and then fails with a unique
violation (SQLite's BEGIN IMMEDIATE already queues writers, so there the later copy simply finds
the record). `first_writer_wins` turns that failure into the answer the later copy would have got
had it arrived a moment later: the transaction is rolled back (it wrote nothing of its own before
the keyed insert) and the replay path reads the winner's committed record.

The happy path costs no extra statement (no SAVEPOINT round trips).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from anxun.extensions import db

T = TypeVar("T")


def first_writer_wins(create: Callable[[], T], replay: Callable[[], T | None]) -> T:
    """`create()`; on a unique-key race, roll back and return `replay()` (the winner's record).

    `replay` returns None when no winner exists: then the violation was something else and is
    raised again.
    """
    try:
        return create()
    except IntegrityError:
        db.session.rollback()
        answer = replay()
        if answer is None:
            raise
        return answer
