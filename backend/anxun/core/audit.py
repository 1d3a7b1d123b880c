"""The append-only, hash-chained audit log of every change, its signed checkpoints (anchors kept
by outside witnesses) and its verification."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from flask import current_app, g, has_request_context, request
from sqlalchemy import JSON, LargeBinary, String, bindparam, event, func, insert, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from anxun.core import checkpoint_signing, clock
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


def _hashed_text(entry, prev_hash: str) -> str:
    """The canonical text an entry's hash is taken of, with `prev_hash` as its predecessor."""
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
        "prev_hash": prev_hash,
    }
    return canonical(body)


def entry_hash(entry: AuditEntry) -> str:
    """Hash of the entry's content together with its predecessor's hash."""
    return hashlib.sha256(_hashed_text(entry, entry.prev_hash).encode()).hexdigest()


_PREV_MARK = "PREV"
_PREV_FIELD = f'"prev_hash":"{_PREV_MARK}"'


def _text_around_prev(entry) -> tuple[bytes, bytes]:
    """The hashed text before and after the predecessor's hash, so the database can hash an entry
    whose predecessor it reads itself: sha256(before + prev_hash + after) == entry_hash. The key
    with its quotes occurs once (quotes inside values are escaped); a hash is hex, never escaped."""
    before, found, after = _hashed_text(entry, _PREV_MARK).partition(_PREV_FIELD)
    if not found:
        raise RuntimeError("prev_hash missing from the hashed text")
    return (before + '"prev_hash":"').encode(), ('"' + after).encode()


def _lock_chain() -> None:
    """Serialise appends on PostgreSQL; SQLite already serialises writers."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(7412001)"))


# The hash of the entry this transaction appended last: the transaction holds the chain (the lock
# on PostgreSQL, the write lock on SQLite) until it ends, so a second append in it needs no read.
_HEAD_KEY = "anxun_audit_head"


@event.listens_for(Session, "after_transaction_end")
def _forget_head_at_the_end(session, transaction) -> None:
    """The end of the whole transaction forgets the head: the next one must take the lock again
    (a released savepoint keeps it: its entries are the transaction's)."""
    if transaction.parent is None:
        session.info.pop(_HEAD_KEY, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_head_on_rollback(session, transaction) -> None:
    """Any rollback, a savepoint's too, may have removed the entry the head names."""
    session.info.pop(_HEAD_KEY, None)


def _known_or_read_head() -> str | None:
    """The head this transaction appended last, else the stored head (SQLite: the transaction
    began with BEGIN IMMEDIATE and holds the write lock, so nobody appends before it)."""
    known = db.session.info.get(_HEAD_KEY)
    if known is not None:
        return known
    return db.session.execute(
        select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).scalar()


def record(actor: Actor, action: str, entity_type: str, entity_id, change: dict) -> None:
    """Append one entry for a change made by `actor`, in the change's transaction (a plain
    INSERT: the entry is never read back in the request that writes it)."""
    text_of_change = canonical(change)
    entry = AuditEntry(
        at=clock.now().replace(microsecond=0),
        actor_user_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        change=json.loads(text_of_change),
        change_digest=hashlib.sha256(text_of_change.encode()).hexdigest(),
        request_id=g.get("request_id", "") if has_request_context() else "cli",
        client_address=(request.remote_addr or "") if has_request_context() else "",
    )
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    if postgresql and _HEAD_KEY not in db.session.info:
        db.session.info[_HEAD_KEY] = _append_at_locked_head(entry)
        return
    entry.prev_hash = _known_or_read_head() or GENESIS
    entry.hash = entry_hash(entry)
    db.session.execute(
        insert(AuditEntry.__table__),
        {column: getattr(entry, column) for column in _APPENDED_COLUMNS},
    )
    db.session.info[_HEAD_KEY] = entry.hash


# PostgreSQL, first append of a transaction: take the chain lock, read the head and insert the
# entry hashed onto it in one statement (issue #18). The function's SELECT runs after the lock
# with a snapshot of its own, so it sees the entry of the writer that held the lock before.
_APPEND_AT_HEAD = text(
    """
    INSERT INTO audit_entry
      (at, actor_user_id, actor_label, action, entity_type, entity_id, change, change_digest,
       request_id, client_address, prev_hash, hash)
    SELECT CAST(:at AS timestamp), :actor_user_id, :actor_label, :action, :entity_type,
           :entity_id, CAST(:change AS json), :change_digest, :request_id, :client_address, head.prev,
           encode(sha256(:before || convert_to(head.prev, 'UTF8') || :after), 'hex')
    FROM (SELECT coalesce(anxun_audit_chain_head(), :genesis) AS prev) AS head
    RETURNING hash
    """
).bindparams(
    bindparam("at", type_=AuditEntry.__table__.c.at.type),
    bindparam("change", type_=JSON),
    bindparam("before", type_=LargeBinary),
    bindparam("after", type_=LargeBinary),
)


def _append_at_locked_head(entry: AuditEntry) -> str:
    before, after = _text_around_prev(entry)
    values = {column: getattr(entry, column) for column in _APPENDED_COLUMNS[:-2]}
    return db.session.execute(
        _APPEND_AT_HEAD, {**values, "before": before, "after": after, "genesis": GENESIS}
    ).scalar_one()


_APPENDED_COLUMNS = (
    "at",
    "actor_user_id",
    "actor_label",
    "action",
    "entity_type",
    "entity_id",
    "change",
    "change_digest",
    "request_id",
    "client_address",
    "prev_hash",
    "hash",
)


class AuditCheckpoint(db.Model):
    """The chain head at one moment (its position and hash), signed with a key kept outside the
    database and sent to the regulators' platforms, so a rewritten or shortened chain shows."""

    __tablename__ = "audit_checkpoint"
    id: Mapped[int] = mapped_column(primary_key=True)
    sequence: Mapped[int]  # entries in the chain up to and including the head
    entry_id: Mapped[int]  # the head entry
    head_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(128))

    def signed_fields(self) -> dict:
        """What the signature covers (see checkpoint_signing.message)."""
        return {
            "sequence": self.sequence,
            "entry_id": self.entry_id,
            "head_hash": self.head_hash,
            "created_at": self.created_at.isoformat(),
            "key_id": self.key_id,
        }


# --- the checkpoint key: a file outside the database -----------------------------------------


def checkpoint_key_path() -> Path:
    """ANXUN_AUDIT_KEY_FILE, or <INSTANCE_PATH>/audit-checkpoint-key.pem when unset."""
    instance = Path(current_app.config["INSTANCE_PATH"])
    configured = current_app.config.get("ANXUN_AUDIT_KEY_FILE") or ""
    return instance / configured if configured else instance / "audit-checkpoint-key.pem"


def checkpoint_private_key(create: bool = False):
    """The Ed25519 signing key; generated owner-only (0600) on first use when `create`."""
    path = checkpoint_key_path()
    if not path.is_file():
        if not create:
            raise FileNotFoundError(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process generated it first: use theirs
        else:
            with os.fdopen(handle, "wb") as out:
                out.write(checkpoint_signing.generate_private_pem())
    return checkpoint_signing.load_private(path.read_bytes())


def trusted_public_keys() -> dict:
    """{key_id: public key} of the configured key; empty when the key file is missing."""
    try:
        key = checkpoint_private_key()
    except FileNotFoundError:
        return {}
    return {checkpoint_signing.key_id(key): key.public_key()}


def take_checkpoint() -> AuditCheckpoint:
    """Sign the current chain head (position and hash) and store the checkpoint; the caller
    sends it to the witnesses. Raises LookupError on an empty chain."""
    _lock_chain()
    head = db.session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    if head is None:
        raise LookupError("the audit chain is empty")
    key = checkpoint_private_key(create=True)
    checkpoint = AuditCheckpoint(
        sequence=db.session.scalar(select(func.count(AuditEntry.id))),
        entry_id=head.id,
        head_hash=head.hash,
        created_at=clock.now().replace(microsecond=0),
        key_id=checkpoint_signing.key_id(key),
    )
    checkpoint.signature = checkpoint_signing.sign(key, checkpoint.signed_fields())
    db.session.add(checkpoint)
    db.session.flush()
    return checkpoint


def latest_checkpoint() -> AuditCheckpoint | None:
    return db.session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1))


# --- verification ----------------------------------------------------------------------------

ALTERED_CHANGE = "change content altered"
ALTERED_FIELDS = "entry fields altered"
LINK_BROKEN = "link broken: the entry before it was removed or rewritten"


@dataclass(frozen=True)
class ChainProblem:
    """One finding; `kind` is stable for programs: altered, link_broken, reordered, truncated,
    rewritten, moved, forged_checkpoint, unknown_key, no_key, checkpoint_missing."""

    entry_id: int | None
    message: str
    kind: str = ""
    checkpoint_id: int | None = None


ENTRY_COLUMNS = (
    AuditEntry.id,
    AuditEntry.at,
    AuditEntry.actor_user_id,
    AuditEntry.actor_label,
    AuditEntry.action,
    AuditEntry.entity_type,
    AuditEntry.entity_id,
    AuditEntry.change,
    AuditEntry.change_digest,
    AuditEntry.request_id,
    AuditEntry.client_address,
    AuditEntry.prev_hash,
    AuditEntry.hash,
)


def witnessed_checkpoint(payload: dict) -> AuditCheckpoint:
    """A checkpoint as a witness received it (the `audit_checkpoint` event, or its payload),
    unsaved; raises ValueError when it is not one."""
    payload = payload.get("payload", payload)
    try:
        signed = payload["signed"]
        return AuditCheckpoint(
            sequence=int(signed["sequence"]),
            entry_id=int(signed["entry_id"]),
            head_hash=str(signed["head_hash"]),
            created_at=datetime.fromisoformat(signed["created_at"]),
            key_id=str(signed["key_id"]),
            signature=str(payload["signature"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"not an audit checkpoint: {exc}") from exc


def verify_chain(
    public_keys: dict | None = None, witnessed: list[AuditCheckpoint] = ()
) -> tuple[int, list[ChainProblem]]:
    """Walk the chain in order, then hold it against every signed checkpoint, stored or
    `witnessed` (copies kept by the regulators, which also reveal deleted checkpoint rows).

    Returns (entries, problems). Within the chain: altered entries, broken links (an entry
    removed, or rewritten without rehashing its successors) and entries out of order. Against
    the checkpoints (keys default to the configured checkpoint key): a chain shorter than a
    checkpoint (entries deleted at the end), a chain that no longer holds a checkpoint's head
    (rewritten and rehashed), a head at another position, and checkpoints whose signature fails.
    Rows are streamed, so memory stays flat however long the chain is.
    """
    if public_keys is None:
        public_keys = trusted_public_keys()
    stored = db.session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).all()
    checkpoints = [*stored, *witnessed]
    heads = {c.head_hash for c in checkpoints}
    positions = {c.sequence for c in checkpoints}
    head_found: dict[str, tuple[int, int]] = {}  # head hash -> (position, entry id)
    at_position: dict[int, int] = {}  # checkpointed position -> entry id found there
    unlinked: dict[int, str] = {}  # problem index -> the prev_hash that did not match

    problems: list[ChainProblem] = []
    expected_prev = GENESIS
    count = 0
    rows = db.session.execute(
        select(*ENTRY_COLUMNS).order_by(AuditEntry.id).execution_options(yield_per=1000)
    )
    for entry in rows:
        count += 1
        digest = hashlib.sha256(canonical(entry.change).encode()).hexdigest()
        if digest != entry.change_digest:
            problems.append(ChainProblem(entry.id, ALTERED_CHANGE, "altered"))
        if entry.prev_hash != expected_prev:
            unlinked[len(problems)] = entry.prev_hash
            problems.append(ChainProblem(entry.id, LINK_BROKEN, "link_broken"))
        if entry_hash(entry) != entry.hash:
            problems.append(ChainProblem(entry.id, ALTERED_FIELDS, "altered"))
        if entry.hash in heads:
            head_found[entry.hash] = (count, entry.id)
        if count in positions:
            at_position[count] = entry.id
        expected_prev = entry.hash
    rows.close()

    _classify_unlinked(problems, unlinked)
    if checkpoints and not public_keys:
        message = f"checkpoint key missing: {len(checkpoints)} signed checkpoint(s) not checked"
        return count, [*problems, ChainProblem(None, message, "no_key")]
    for checkpoint in checkpoints:
        problem = _check_against(checkpoint, count, head_found, at_position, public_keys)
        if problem is not None:
            problems.append(problem)
    kept = {c.signature for c in stored}
    for checkpoint in witnessed:
        if checkpoint.signature not in kept:
            problems.append(
                ChainProblem(
                    None,
                    f"{_label(checkpoint)} (sequence {checkpoint.sequence}) is missing from the"
                    " database: signed checkpoints were deleted",
                    "checkpoint_missing",
                )
            )
    return count, problems


def _label(checkpoint: AuditCheckpoint) -> str:
    name = f"checkpoint {checkpoint.id}" if checkpoint.id is not None else "witnessed checkpoint"
    return f"{name} of {checkpoint.created_at:%Y-%m-%d %H:%M} UTC"


def _classify_unlinked(problems: list[ChainProblem], unlinked: dict[int, str]) -> None:
    """A broken link whose predecessor is elsewhere in the chain means entries were reordered."""
    if not unlinked:
        return
    owners = dict(
        db.session.execute(
            select(AuditEntry.hash, AuditEntry.id).where(
                AuditEntry.hash.in_(set(unlinked.values()))
            )
        ).all()
    )
    for index, prev_hash in unlinked.items():
        if prev_hash in owners:
            problems[index] = replace(
                problems[index],
                message=f"out of order: it was appended after entry {owners[prev_hash]}",
                kind="reordered",
            )


def _check_against(checkpoint, count, head_found, at_position, public_keys):
    """The one problem a signed checkpoint reveals, or None when the chain agrees with it."""
    label = _label(checkpoint)
    key = public_keys.get(checkpoint.key_id)
    if key is None:
        return ChainProblem(
            None,
            f"{label} is signed by key {checkpoint.key_id}, not the configured checkpoint key",
            "unknown_key",
            checkpoint.id,
        )
    if not checkpoint_signing.is_valid(key, checkpoint.signed_fields(), checkpoint.signature):
        return ChainProblem(
            None,
            f"{label}: signature invalid, the checkpoint was forged or altered",
            "forged_checkpoint",
            checkpoint.id,
        )
    found = head_found.get(checkpoint.head_hash)
    if found is None and count < checkpoint.sequence:
        return ChainProblem(
            None,
            f"chain truncated: {count} entries, but signed {label} covers {checkpoint.sequence}"
            f" (up to entry {checkpoint.entry_id}): entries at the end were deleted",
            "truncated",
            checkpoint.id,
        )
    if found is None:
        entry_id = at_position.get(checkpoint.sequence)
        return ChainProblem(
            entry_id,
            f"chain rewritten: entry {entry_id} at position {checkpoint.sequence} does not match"
            f" the head signed in {label}: entries up to it were changed and rehashed",
            "rewritten",
            checkpoint.id,
        )
    position, entry_id = found
    if (position, entry_id) != (checkpoint.sequence, checkpoint.entry_id):
        return ChainProblem(
            entry_id,
            f"the head signed in {label} (entry {checkpoint.entry_id}, position"
            f" {checkpoint.sequence}) is now entry {entry_id} at position {position}: entries"
            " before it were removed, inserted or renumbered",
            "moved",
            checkpoint.id,
        )
    return None
