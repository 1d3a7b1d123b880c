"""Read queries for checklists: what applies to the caller, latest and exact versions."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from anxun.checklists.models import ChecklistVersion
from anxun.core.auth import Actor
from anxun.core.errors import NotFound
from anxun.extensions import db
from anxun.orgs import scoping
from anxun.orgs.models import Enterprise


def _owner_keys(enterprise: Enterprise | None) -> list[str]:
    keys = ["shipped"]
    if enterprise is not None:
        keys.append(f"enterprise:{enterprise.id}")
    return keys


def caller_enterprise(actor: Actor, enterprise_id: int | None) -> Enterprise | None:
    """The enterprise whose checklists to include: the given one (scoped) or the caller's only one."""
    if enterprise_id is not None:
        return scoping.get_enterprise(actor, enterprise_id)
    if len(actor.enterprise_ids) == 1:
        return scoping.get_enterprise(actor, next(iter(actor.enterprise_ids)))
    return None


def latest_versions(enterprise: Enterprise | None, industry: str | None):
    """The newest version of each checklist visible to the caller, filtered to what applies."""
    keys = _owner_keys(enterprise)
    newest = (
        select(
            ChecklistVersion.owner_key,
            ChecklistVersion.code,
            func.max(ChecklistVersion.id).label("id"),
        )
        .where(ChecklistVersion.owner_key.in_(keys))
        .group_by(ChecklistVersion.owner_key, ChecklistVersion.code)
        .subquery()
    )
    query = select(ChecklistVersion).join(newest, newest.c.id == ChecklistVersion.id)
    if industry:
        query = query.where(ChecklistVersion.industry.in_([industry, "general"]))
    elif enterprise is not None:
        query = query.where(
            or_(
                ChecklistVersion.industry.in_([*enterprise.industries, "general"]),
                ChecklistVersion.owner_key != "shipped",
            )
        )
    return db.session.scalars(query.order_by(ChecklistVersion.code)).all()


def get_version(code: str, version: str | None, enterprise: Enterprise | None):
    """The latest version of `code`, or the one whose hash starts with `version` (≥ 8 chars)."""
    query = select(ChecklistVersion).where(
        ChecklistVersion.code == code, ChecklistVersion.owner_key.in_(_owner_keys(enterprise))
    )
    if version:
        if len(version) < 8:
            raise NotFound("版本号至少给出前 8 位。")
        query = query.where(
            ChecklistVersion.version_hash.startswith(version.lower(), autoescape=True)
        )
    found = db.session.scalars(query.order_by(ChecklistVersion.id.desc())).first()
    if found is None:
        raise NotFound("未找到该检查表或版本。")
    return found


def version_history(code: str, owner_key: str):
    return db.session.scalars(
        select(ChecklistVersion)
        .where(ChecklistVersion.code == code, ChecklistVersion.owner_key == owner_key)
        .order_by(ChecklistVersion.id.desc())
    ).all()


def get_version_by_hash(version_hash: str, enterprise_id: int | None) -> ChecklistVersion | None:
    """Exact lookup used when an inspection names the version it was filled in with."""
    return db.session.scalar(
        select(ChecklistVersion).where(
            ChecklistVersion.version_hash == version_hash,
            ChecklistVersion.owner_key.in_(
                ["shipped"] + ([f"enterprise:{enterprise_id}"] if enterprise_id else [])
            ),
        )
    )
