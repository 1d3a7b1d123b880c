"""The audit log records every change and `flask anxun audit verify` detects tampering."""

from sqlalchemy import select, text

from anxun.core.audit import AuditEntry, verify_chain


def test_seeding_writes_a_linked_chain_that_verifies(world, db):
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert len(entries) > 20
    assert entries[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    assert {e.action for e in entries} >= {"create_user", "create_enterprise", "create_engagement"}
    count, problems = verify_chain()
    assert (count, problems) == (len(entries), [])


def test_altered_change_is_detected(world, db, app):
    target = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id).offset(5)).first()
    db.session.execute(
        text("UPDATE audit_entry SET change = :c WHERE id = :id"),
        {"c": '{"username": "intruder"}', "id": target.id},
    )
    db.session.commit()
    _, problems = verify_chain()
    assert [(p.entry_id, p.message) for p in problems] == [(target.id, "change content altered")]
    result = app.test_cli_runner().invoke(args=["anxun", "audit", "verify"])
    assert result.exit_code == 1
    assert "BROKEN" in result.output


def test_deleted_entry_is_detected_at_its_successor(world, db, app):
    ids = db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).all()
    db.session.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": ids[3]})
    db.session.commit()
    _, problems = verify_chain()
    assert [(p.entry_id, p.message) for p in problems] == [
        (ids[4], "link broken: the entry before it was removed or rewritten")
    ]


def test_altered_actor_is_detected(world, db):
    first = db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id))
    db.session.execute(
        text("UPDATE audit_entry SET actor_label = 'someone else' WHERE id = :id"), {"id": first}
    )
    db.session.commit()
    _, problems = verify_chain()
    assert [(p.entry_id, p.message) for p in problems] == [(first, "entry fields altered")]


def test_cli_reports_an_intact_chain(world, app):
    result = app.test_cli_runner().invoke(args=["anxun", "audit", "verify"])
    assert result.exit_code == 0
    assert "audit chain intact" in result.output


def test_swapped_entries_are_reported_out_of_order(world, db):
    ids = db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).all()
    first, second = ids[6], ids[7]
    for old, new in ((first, -1), (second, first), (-1, second)):
        db.session.execute(
            text("UPDATE audit_entry SET id = :new WHERE id = :old"), {"new": new, "old": old}
        )
    db.session.commit()
    _, problems = verify_chain()
    assert [(p.entry_id, p.kind) for p in problems] == [
        (first, "reordered"),
        (second, "reordered"),
        (ids[8], "reordered"),
    ]
    # The entry now numbered first was appended after the one now numbered second.
    assert problems[0].message == f"out of order: it was appended after entry {second}"
