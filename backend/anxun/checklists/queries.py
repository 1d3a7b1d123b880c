"""Read queries for checklists: what applies to the caller, latest and exact versions."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import defer

from anxun.checklists.loader import item_index
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


def current_hashes(wanted) -> dict[tuple[str, int], str]:
    """For each (checklist code, enterprise id), the hash of the version `get_version(code, None,
    enterprise)` returns: the newest of the shipped and the enterprise's own versions."""
    wanted = set(wanted)
    if not wanted:
        return {}
    codes = {code for code, _ in wanted}
    keys = {"shipped"} | {f"enterprise:{enterprise_id}" for _, enterprise_id in wanted}
    rows = db.session.execute(
        select(ChecklistVersion.code, ChecklistVersion.owner_key, ChecklistVersion.version_hash)
        .where(ChecklistVersion.code.in_(codes), ChecklistVersion.owner_key.in_(keys))
        .order_by(ChecklistVersion.id)
    ).all()
    found: dict[tuple[str, int], str] = {}
    for code, owner_key, version_hash in rows:  # ascending ids: the newest one wins
        for wanted_code, enterprise_id in wanted:
            if code == wanted_code and owner_key in ("shipped", f"enterprise:{enterprise_id}"):
                found[(code, enterprise_id)] = version_hash
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


# Parsed documents of immutable versions, by version hash (the hash is of the content): a submit
# judges answers against the item index without loading and parsing ~70 KB per request.
_PARSED: dict[str, tuple[dict, dict[str, dict]]] = {}
_PARSED_MAX = 256


def get_version_for_submit(version_hash: str, enterprise_id: int | None) -> ChecklistVersion | None:
    """get_version_by_hash without the document and its source text (tens of KB each): read the
    document with parsed_version()."""
    entity, on, *options = version_for_submit_join(version_hash, enterprise_id)
    return db.session.scalar(select(entity).where(on).options(*options))


def version_for_submit_join(version_hash: str, enterprise_id: int | None) -> tuple:
    """get_version_for_submit as (entity, condition, options), for a caller that reads the version
    in the statement that reads the enterprise (orgs.scoping.get_enterprise's `joined`)."""
    owners = ["shipped"] + ([f"enterprise:{enterprise_id}"] if enterprise_id else [])
    return (
        ChecklistVersion,
        and_(ChecklistVersion.version_hash == version_hash, ChecklistVersion.owner_key.in_(owners)),
        defer(ChecklistVersion.document),
        defer(ChecklistVersion.source_text),
    )


def parsed_version(version: ChecklistVersion) -> tuple[dict, dict[str, dict]]:
    """(document, items by id) of a version, loaded once per process. Shared: never mutate."""
    cached = _PARSED.get(version.version_hash)
    if cached is None:
        document = version.document
        cached = (document, item_index(document))
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[version.version_hash] = cached
    return cached


def all_latest_versions():
    """The newest stored version of every checklist, shipped and enterprise-owned alike."""
    newest = (
        select(func.max(ChecklistVersion.id).label("id"))
        .group_by(ChecklistVersion.owner_key, ChecklistVersion.code)
        .subquery()
    )
    return db.session.scalars(
        select(ChecklistVersion)
        .join(newest, newest.c.id == ChecklistVersion.id)
        .order_by(ChecklistVersion.owner_key, ChecklistVersion.code)
    ).all()


def item_texts(pairs) -> dict[tuple[int, str], str]:
    """The wording of check items by (checklist version id, item id), so that people read the
    item and not only its code such as HC-D-05 (issue #13)."""
    pairs = {(v, i) for v, i in pairs if v is not None and i}
    if not pairs:
        return {}
    versions = db.session.scalars(
        select(ChecklistVersion).where(ChecklistVersion.id.in_({v for v, _ in pairs}))
    )
    texts = {}
    for version in versions:
        index = item_index(version.document)
        for version_id, item_id in pairs:
            if version_id == version.id and item_id in index:
                texts[version_id, item_id] = index[item_id]["text"]
    return texts


def enterprise_item_texts(enterprise: Enterprise, item_ids) -> dict[str, str]:
    """The wording of check items by id in the newest checklists the enterprise uses: what a
    request naming items such as HC-D-05 shows people, and how unknown ids are recognised."""
    wanted = set(item_ids)
    texts: dict[str, str] = {}
    if not wanted:
        return texts
    for version in latest_versions(enterprise, None):
        for item_id, item in item_index(version.document).items():
            if item_id in wanted and item_id not in texts:
                texts[item_id] = item["text"]
    return texts
