"""Signed checkpoints anchor the audit chain: deleting its newest entries, or rewriting an entry
and recomputing every hash after it, no longer passes `flask anxun audit verify`."""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select, text

from anxun.core import audit, checkpoint_signing
from anxun.core.audit import AuditCheckpoint, AuditEntry, canonical, entry_hash, verify_chain
from anxun.core.auth import SYSTEM
from anxun.outbox import dispatcher
from anxun.outbox.models import OutboxDelivery, OutboxEvent, RegulatorEndpoint


def checkpoint(app) -> AuditCheckpoint:
    result = app.test_cli_runner().invoke(args=["anxun", "audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    return audit.latest_checkpoint()


def kinds(problems) -> list[str]:
    return [p.kind for p in problems]


def verify_cli(app):
    return app.test_cli_runner().invoke(args=["anxun", "audit", "verify"])


def entry_ids(db) -> list[int]:
    return db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).all()


def test_checkpoint_signs_the_head_with_the_key_file_outside_the_database(world, db, app):
    ids = entry_ids(db)
    taken = checkpoint(app)
    head = db.session.get(AuditEntry, ids[-1])
    assert (taken.sequence, taken.entry_id, taken.head_hash) == (len(ids), ids[-1], head.hash)
    key_file = audit.checkpoint_key_path()
    assert key_file.is_file() and key_file.stat().st_mode & 0o077 == 0
    public = checkpoint_signing.load_private(key_file.read_bytes()).public_key()
    assert taken.key_id == checkpoint_signing.key_id(public)
    assert checkpoint_signing.is_valid(public, taken.signed_fields(), taken.signature)
    printed = app.test_cli_runner().invoke(args=["anxun", "audit", "public-key"]).output
    assert checkpoint_signing.public_pem(public) in printed
    assert checkpoint_signing.fingerprint(public) in printed
    result = verify_cli(app)
    assert result.exit_code == 0
    assert f"signed checkpoint {taken.id}" in result.output
    assert "audit chain intact" in result.output


def test_intact_chain_with_later_entries_still_verifies(world, db, app):
    checkpoint(app)
    audit.record(SYSTEM, "note", "x", 1, {})
    db.session.commit()
    checkpoint(app)
    assert verify_chain() == (len(entry_ids(db)), [])


def test_without_a_checkpoint_a_deleted_tail_goes_unseen(world, db, app):
    ids = entry_ids(db)
    db.session.execute(text("DELETE FROM audit_entry WHERE id >= :id"), {"id": ids[-3]})
    db.session.commit()
    assert verify_chain() == (len(ids) - 3, [])  # why the chain needs signed anchors
    assert "no signed checkpoint yet" in verify_cli(app).output


def test_deleted_tail_after_a_checkpoint_is_reported(world, db, app):
    ids = entry_ids(db)
    taken = checkpoint(app)
    db.session.execute(text("DELETE FROM audit_entry WHERE id >= :id"), {"id": ids[-3]})
    db.session.commit()
    count, problems = verify_chain()
    assert count == len(ids) - 3
    assert kinds(problems) == ["truncated"]
    assert problems[0].checkpoint_id == taken.id
    assert f"covers {len(ids)}" in problems[0].message
    result = verify_cli(app)
    assert result.exit_code == 1
    assert "[truncated]" in result.output and "entries at the end were deleted" in result.output


def test_deleted_middle_entry_breaks_the_link_and_moves_the_signed_head(world, db, app):
    ids = entry_ids(db)
    checkpoint(app)
    db.session.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": ids[10]})
    db.session.commit()
    _, problems = verify_chain()
    assert [(p.entry_id, p.kind) for p in problems] == [
        (ids[11], "link_broken"),
        (ids[-1], "moved"),
    ]
    assert verify_cli(app).exit_code == 1


def test_altered_entry_is_reported_with_a_checkpoint_in_place(world, db, app):
    ids = entry_ids(db)
    checkpoint(app)
    db.session.execute(
        text("UPDATE audit_entry SET actor_label = 'someone else' WHERE id = :id"), {"id": ids[4]}
    )
    db.session.commit()
    _, problems = verify_chain()
    assert [(p.entry_id, p.kind) for p in problems] == [(ids[4], "altered")]


def _rewrite_and_recompute(db, entry_id: int, change: dict) -> None:
    """What an insider with database access does: change an entry, recompute its digest and
    hash, and relink and rehash every entry after it, so the chain is consistent again."""
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.id >= entry_id).order_by(AuditEntry.id)
    ).all()
    entries[0].change = change
    entries[0].change_digest = hashlib.sha256(canonical(change).encode()).hexdigest()
    previous = entries[0].prev_hash
    for entry in entries:
        entry.prev_hash = previous
        entry.hash = entry_hash(entry)
        previous = entry.hash
    db.session.commit()


def test_rewrite_with_recomputed_hashes_disagrees_with_the_signed_checkpoint(world, db, app):
    ids = entry_ids(db)
    taken = checkpoint(app)
    _rewrite_and_recompute(db, ids[5], {"username": "intruder"})
    _, unanchored = verify_chain(public_keys={})
    assert unanchored[:-1] == [] and kinds(unanchored) == ["no_key"]  # the chain alone is clean
    count, problems = verify_chain()
    assert count == len(ids)
    assert [(p.entry_id, p.kind, p.checkpoint_id) for p in problems] == [
        (ids[-1], "rewritten", taken.id)
    ]
    result = verify_cli(app)
    assert result.exit_code == 1 and "[rewritten]" in result.output


def test_truncate_and_recompute_is_reported(world, db, app):
    ids = entry_ids(db)
    checkpoint(app)
    db.session.execute(text("DELETE FROM audit_entry WHERE id >= :id"), {"id": ids[-2]})
    db.session.commit()
    _rewrite_and_recompute(db, ids[3], {"username": "intruder"})
    assert kinds(verify_chain()[1]) == ["truncated"]


def test_forged_checkpoint_fails_its_signature(world, db, app):
    ids = entry_ids(db)
    taken = checkpoint(app)
    # Make the stored checkpoint match a shortened chain: the signature no longer covers it.
    db.session.execute(text("DELETE FROM audit_entry WHERE id >= :id"), {"id": ids[-3]})
    head = db.session.get(AuditEntry, ids[-4])
    db.session.execute(
        text("UPDATE audit_checkpoint SET sequence = :s, entry_id = :e, head_hash = :h"),
        {"s": len(ids) - 3, "e": head.id, "h": head.hash},
    )
    db.session.commit()
    _, problems = verify_chain()
    assert [(p.kind, p.checkpoint_id) for p in problems] == [("forged_checkpoint", taken.id)]
    result = verify_cli(app)
    assert result.exit_code == 1 and "forged or altered" in result.output


def test_checkpoint_signed_by_another_key_is_not_trusted(world, db, app):
    ids = entry_ids(db)
    head = db.session.get(AuditEntry, ids[-1])
    stranger = checkpoint_signing.load_private(checkpoint_signing.generate_private_pem())
    row = AuditCheckpoint(
        sequence=len(ids),
        entry_id=head.id,
        head_hash=head.hash,
        created_at=head.at,
        key_id=checkpoint_signing.key_id(stranger),
        signature="",
    )
    row.signature = checkpoint_signing.sign(stranger, row.signed_fields())
    db.session.add(row)
    db.session.commit()
    audit.checkpoint_private_key(create=True)
    assert kinds(verify_chain()[1]) == ["unknown_key"]


def test_missing_key_file_fails_verification_of_signed_checkpoints(world, db, app, tmp_path):
    checkpoint(app)
    app.config["ANXUN_AUDIT_KEY_FILE"] = str(tmp_path / "absent.pem")
    _, problems = verify_chain()
    assert kinds(problems) == ["no_key"]
    assert verify_cli(app).exit_code == 1


def test_checkpoint_refuses_a_broken_chain(world, db, app):
    ids = entry_ids(db)
    db.session.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": ids[2]})
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["anxun", "audit", "checkpoint"])
    assert result.exit_code == 1
    assert "a broken chain is never signed" in result.output
    assert db.session.scalar(select(func.count(AuditCheckpoint.id))) == 0


class Witness:
    """A regulator platform keeping what it is sent."""

    def __init__(self):
        self.bodies: list[dict] = []
        witness = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                witness.bodies.append(json.loads(body))
                self.send_response(200)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def witness():
    w = Witness()
    yield w
    w.close()


def test_checkpoint_goes_to_every_active_endpoint_and_the_witness_can_check_it(
    world, db, app, witness
):
    webhook = RegulatorEndpoint(
        regulator_id=world["housing_regulator"],
        adapter="webhook",
        config={"url": witness.url, "secret": "s"},
    )
    chain = RegulatorEndpoint(
        regulator_id=world["regulator"],
        adapter="hazchem_chain",
        config={"base_url": witness.url, "secret": "s"},
    )
    retired = RegulatorEndpoint(
        regulator_id=world["regulator"],
        adapter="webhook",
        config={"url": witness.url, "secret": "s"},
        is_active=False,
    )
    db.session.add_all([webhook, chain, retired])
    db.session.commit()
    taken = checkpoint(app)
    event = db.session.scalar(
        select(OutboxEvent).where(OutboxEvent.event_type == "audit_checkpoint")
    )
    assert (event.enterprise_id, event.aggregate_id) == (None, str(taken.id))
    deliveries = db.session.scalars(
        select(OutboxDelivery).where(OutboxDelivery.event_id == event.id)
    )
    assert sorted(d.endpoint_id for d in deliveries) == sorted([webhook.id, chain.id])

    dispatcher.dispatch_due()
    states = {
        d.endpoint_id: d.state
        for d in db.session.scalars(
            select(OutboxDelivery).execution_options(populate_existing=True)
        )
    }
    assert states == {webhook.id: "delivered", chain.id: "skipped"}
    [body] = witness.bodies
    assert body["type"] == "audit_checkpoint" and body["enterprise"] is None
    payload = body["payload"]
    public = checkpoint_signing.load_public(payload["public_key"].encode())
    assert payload["signed"]["head_hash"] == taken.head_hash
    assert checkpoint_signing.is_valid(public, payload["signed"], payload["signature"])
    forged = payload["signed"] | {"sequence": payload["signed"]["sequence"] - 1}
    assert not checkpoint_signing.is_valid(public, forged, payload["signature"])


def witness_copy(db, tmp_path, edit=None):
    """The checkpoint events as a regulator received them, saved to a file."""
    events = db.session.scalars(
        select(OutboxEvent).where(OutboxEvent.event_type == "audit_checkpoint")
    ).all()
    kept = [{"type": e.event_type, "payload": json.loads(json.dumps(e.payload))} for e in events]
    if edit:
        edit(kept)
    path = tmp_path / "witness.json"
    path.write_text(json.dumps(kept), encoding="utf-8")
    return str(path)


def test_witness_copy_reveals_deleted_checkpoints_and_the_tail_they_covered(
    world, db, app, tmp_path
):
    ids = entry_ids(db)
    checkpoint(app)
    witness = witness_copy(db, tmp_path)
    db.session.execute(text("DELETE FROM audit_checkpoint"))
    db.session.execute(text("DELETE FROM audit_entry WHERE id >= :id"), {"id": ids[-2]})
    db.session.commit()
    assert verify_cli(app).exit_code == 0  # the database alone no longer shows anything
    result = app.test_cli_runner().invoke(args=["anxun", "audit", "verify", "--witness", witness])
    assert result.exit_code == 1
    assert "[truncated]" in result.output and "[checkpoint_missing]" in result.output


def test_forged_witness_copy_fails_its_signature(world, db, app, tmp_path):
    checkpoint(app)

    def shorten(kept):
        kept[0]["payload"]["signed"]["sequence"] -= 1

    witness = witness_copy(db, tmp_path, shorten)
    result = app.test_cli_runner().invoke(args=["anxun", "audit", "verify", "--witness", witness])
    assert result.exit_code == 1
    assert "[forged_checkpoint] witnessed checkpoint of" in result.output


def test_unreadable_witness_file_is_refused(world, db, app, tmp_path):
    path = tmp_path / "witness.json"
    path.write_text('{"payload": {"signed": {}}}', encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["anxun", "audit", "verify", "--witness", str(path)])
    assert result.exit_code == 1
    assert "not an audit checkpoint" in result.output


def test_verify_warns_when_the_latest_checkpoint_is_stale(world, db, app, frozen_clock):
    taken = checkpoint(app)
    frozen_clock(taken.created_at + timedelta(days=3))
    result = verify_cli(app)
    assert result.exit_code == 0
    assert "the latest checkpoint is 3 days old" in result.output
