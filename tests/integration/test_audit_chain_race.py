"""Writers appending to the audit chain at the same instant: every append lands, each links to the
one before it, and the chain verifies (on PostgreSQL the lock and the head are one statement)."""

import threading

from sqlalchemy import func, select

from anxun.core import audit
from anxun.core.auth import Actor
from anxun.core.uow import unit_of_work

WRITERS = 8
APPENDS = 5


def test_concurrent_appends_form_one_unbroken_chain(app, db):
    barrier = threading.Barrier(WRITERS)
    failures: list[BaseException] = []
    actor = Actor(user_id=None, username="race", display_name="并发写入")

    def writer(number: int) -> None:
        try:
            with app.app_context():
                barrier.wait()
                for step in range(APPENDS):
                    with unit_of_work():
                        audit.record(actor, "race", "test", f"{number}-{step}", {"n": number})
        except BaseException as exc:  # noqa: BLE001 - asserted below
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    db.session.expire_all()
    assert db.session.scalar(select(func.count(audit.AuditEntry.id))) == WRITERS * APPENDS
    entries = db.session.scalars(select(audit.AuditEntry).order_by(audit.AuditEntry.id)).all()
    assert entries[0].prev_hash == audit.GENESIS
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.hash
    count, problems = audit.verify_chain()
    assert (count, problems) == (WRITERS * APPENDS, [])


def test_appends_within_one_transaction_link_through_savepoints(app, db):
    """Later appends of a transaction reuse the head it wrote, also after a released savepoint;
    a rolled-back savepoint's entry is gone, and the next append links to the one before it."""
    actor = Actor(user_id=None, username="tx", display_name="同一事务")
    with unit_of_work():
        audit.record(actor, "first", "test", 1, {})
        with db.session.begin_nested():
            audit.record(actor, "kept", "test", 2, {})
        savepoint = db.session.begin_nested()
        audit.record(actor, "undone", "test", 3, {})
        savepoint.rollback()
        audit.record(actor, "last", "test", 4, {})
    with unit_of_work():
        audit.record(actor, "next transaction", "test", 5, {})

    entries = db.session.scalars(select(audit.AuditEntry).order_by(audit.AuditEntry.id)).all()
    assert [e.action for e in entries] == ["first", "kept", "last", "next transaction"]
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.hash
    assert audit.verify_chain() == (4, [])


def test_the_database_hashes_an_entry_as_the_verifier_does(app, db):
    """On PostgreSQL the first append of a transaction is hashed by the database around the head it
    reads; text that imitates the hashed field, quotes and non-ASCII text hash the same as in
    Python (the chain verifies)."""
    actor = Actor(user_id=None, username="q", display_name='"prev_hash":"PREV" 引号\\"')
    for n in range(3):
        with unit_of_work():
            audit.record(actor, "quoted", "test", f'"prev_hash":"{n}"', {"说明": 'a"b\\c'})
    entries = db.session.scalars(select(audit.AuditEntry).order_by(audit.AuditEntry.id)).all()
    assert [audit.entry_hash(e) for e in entries] == [e.hash for e in entries]
    assert audit.verify_chain() == (3, [])
