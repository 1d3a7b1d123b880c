"""Every write about checklists: loading shipped files and enterprise uploads as immutable versions."""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select

from anxun.accounts.roles import Role
from anxun.checklists.loader import content_hash, iter_items, parse_checklist
from anxun.checklists.models import ChecklistVersion
from anxun.core import audit
from anxun.core.auth import Actor
from anxun.core.errors import Conflict, ValidationFailed
from anxun.extensions import db
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise
from anxun.standards import services as standards

UPLOAD_ROLES = {Role.head, Role.safety_officer}


def owner_key(enterprise_id: int | None) -> str:
    return "shipped" if enterprise_id is None else f"enterprise:{enterprise_id}"


def _problems_as_errors(problems) -> list[dict]:
    return [{"field": p.field or "yaml", "line": p.line, "message": str(p)} for p in problems]


@lru_cache(maxsize=32)
def _parse(text: str, source_name: str):
    """Parsing is pure and the shipped files rarely change: reuse results for identical text."""
    return parse_checklist(text, source_name)


def store_version(
    actor: Actor, text: str, source_name: str, owner: Enterprise | None = None
) -> tuple[ChecklistVersion, bool]:
    """Validate and store a checklist; unchanged content returns the existing version (no-op)."""
    doc, problems = _parse(text, source_name)
    doc = copy.deepcopy(doc)
    if problems:
        raise ValidationFailed(f"检查表有 {len(problems)} 处错误。", _problems_as_errors(problems))
    digest = content_hash(doc)
    key = owner_key(owner.id if owner else None)
    existing = db.session.scalar(
        select(ChecklistVersion).where(
            ChecklistVersion.owner_key == key, ChecklistVersion.version_hash == digest
        )
    )
    if existing is not None:
        return existing, False
    if owner is not None and db.session.scalar(
        select(ChecklistVersion.id).where(
            ChecklistVersion.owner_key == "shipped", ChecklistVersion.code == doc["code"]
        )
    ):
        raise Conflict(
            f"编号“{doc['code']}”已被平台检查表使用，请为本企业检查表另起编号。",
            [{"field": "code", "message": "编号与平台检查表重复。"}],
        )
    items = list(iter_items(doc))
    previous = db.session.scalars(
        select(ChecklistVersion)
        .where(ChecklistVersion.owner_key == key, ChecklistVersion.code == doc["code"])
        .order_by(ChecklistVersion.id.desc())
    ).first()
    version = ChecklistVersion(
        code=doc["code"],
        version_hash=digest,
        owner_enterprise_id=owner.id if owner else None,
        owner_key=key,
        title=doc["title"],
        industry=doc["industry"],
        version_label=doc["version"],
        applies_to=doc["applies_to"],
        document=doc,
        source_text=text,
        source_name=source_name,
        item_count=len(items),
        major_count=sum(1 for item in items if item["major"]),
        loaded_by_user_id=actor.user_id,
    )
    db.session.add(version)
    db.session.flush()
    audit.record(
        actor,
        "load_checklist",
        "checklist_version",
        version.id,
        {
            "code": version.code,
            "version_hash": digest,
            "label": version.version_label,
            "owner": key,
        },
    )
    if previous is not None:
        # A standard change: list what must be re-judged under the new version.
        standards.record_checklist_change(actor, previous, version)
    return version, True


def upload_enterprise_checklist(
    actor: Actor, enterprise_id: int, text: str, source_name: str
) -> tuple[ChecklistVersion, bool]:
    """An enterprise's own checklist, visible only to it (head or safety officer uploads)."""
    enterprise = scoping.get_enterprise(actor, enterprise_id, scoping.WRITE)
    scoping.require_enterprise_role(actor, enterprise, UPLOAD_ROLES)
    return store_version(actor, text, source_name, owner=enterprise)


def load_directory(actor: Actor, directory: Path) -> list[tuple[ChecklistVersion, bool]]:
    """Load every shipped *.yaml file; all files must be valid or nothing is stored."""
    results = []
    for path in sorted(directory.glob("*.yaml")):
        results.append(store_version(actor, path.read_text(encoding="utf-8"), path.name))
    return results
