"""The append-only, hash-chained audit log of every change, and its verification."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from flask import g, has_request_context, request
from sqlalchemy import JSON, String, select, text
from sqlalchemy.orm import Mapped, mapped_column

from anxun.core import clock
from anxun.core.auth import Actor
from anxun.extensions import db

GENESIS = "0" * 64


class AuditEntry(db.Model):
    """One recorded change; `prev_hash` is unique so the chain can never fork."""

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=clock.now)
    actor_user_id: Mapped[int | None]
    actor_label: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    change: Mapped[dict] = mapped_column(JSON)
    change_digest: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[str] = mapped_column(String(64), default="")
    client_address: Mapped[str] = mapped_column(String(64), default="")
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(entry: AuditEntry) -> str:
    """Hash of the entry's content together with its predecessor's hash."""
    body = {
        "at": entry.at.isoformat(),
        "actor_user_id": entry.actor_user_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "entity_type": entry.entity_type,
        "entity_id": entry.entity_id,
        "change_digest": entry.change_digest,
        "request_id": entry.request_id,
        "client_address": entry.client_address,
        "prev_hash": entry.prev_hash,
    }
    return hashlib.sha256(canonical(body).encode()).hexdigest()


def _lock_chain() -> None:
    """Serialise appends on PostgreSQL; SQLite already serialises writers."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(7412001)"))


def record(actor: Actor, action: str, entity_type: str, entity_id, change: dict) -> AuditEntry:
    """Append one entry for a change made by `actor`; flushed with the change itself."""
    _lock_chain()
    last = db.session.execute(
        select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).scalar()
    entry = AuditEntry(
        at=clock.now().replace(microsecond=0),
        actor_user_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        change=json.loads(canonical(change)),
        change_digest=hashlib.sha256(canonical(change).encode()).hexdigest(),
        request_id=g.get("request_id", "") if has_request_context() else "cli",
        client_address=(request.remote_addr or "") if has_request_context() else "",
        prev_hash=last or GENESIS,
    )
    entry.hash = entry_hash(entry)
    db.session.add(entry)
    db.session.flush()
    return entry


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int
    message: str


def verify_chain() -> tuple[int, list[ChainProblem]]:
    """Walk the chain in order; report altered entries, broken links and missing entries."""
    problems: list[ChainProblem] = []
    expected_prev = GENESIS
    count = 0
    for entry in db.session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars():
        count += 1
        digest = hashlib.sha256(canonical(entry.change).encode()).hexdigest()
        if digest != entry.change_digest:
            problems.append(ChainProblem(entry.id, "change content altered"))
        if entry.prev_hash != expected_prev:
            problems.append(ChainProblem(entry.id, "link broken: an entry before it was removed"))
        if entry_hash(entry) != entry.hash:
            problems.append(ChainProblem(entry.id, "entry fields altered"))
        expected_prev = entry.hash
    return count, problems
