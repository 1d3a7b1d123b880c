"""Every write about organisations: regions, enterprises, regulators, agencies, engagements."""

from __future__ import annotations

from sqlalchemy import select

from anxun.accounts.queries import active_member_ids
from anxun.accounts.roles import REGULATOR_ROLES, Role
from anxun.core import audit, clock, disclosure
from anxun.core.auth import Actor
from anxun.core.errors import Forbidden, ValidationFailed, field_error
from anxun.extensions import db
from anxun.notifications import services as notifications
from anxun.orgs import scoping
from anxun.orgs.models import (
    Agency,
    Engagement,
    EngagementEnterprise,
    Enterprise,
    Region,
    Regulator,
)
from anxun.orgs.rules import (
    INDUSTRY_LABELS,
    REGION_CODE,
    Industry,
    parent_region_code,
    region_level,
    uscc_problem,
)

ENTERPRISE_FIELDS = (
    "name",
    "uscc",
    "region_code",
    "size_class",
    "address",
    "latitude",
    "longitude",
    "head_name",
    "head_phone",
    "safety_head_name",
    "safety_head_phone",
    "has_major_hazard_source",
    "hazchem_registration_code",
    "document_abbreviation",
)
# What enterprise staff may correct themselves; identity fields stay with regulators.
ENTERPRISE_SELF_FIELDS = {
    "address",
    "latitude",
    "longitude",
    "head_name",
    "head_phone",
    "safety_head_name",
    "safety_head_phone",
    "has_major_hazard_source",
    "document_abbreviation",
}


def upsert_regions(actor: Actor, rows: list[tuple[str, str]]) -> int:
    """Insert or rename GB/T 2260 regions; parents are derived from the code."""
    problems = []
    for index, (code, name) in enumerate(rows):
        if not REGION_CODE.match(code or ""):
            problems.append(field_error(f"rows.{index}.code", f"行政区划代码“{code}”应为6位数字。"))
        if not (name or "").strip():
            problems.append(field_error(f"rows.{index}.name", "名称不能为空。"))
    if problems:
        raise ValidationFailed("行政区划数据有误。", problems)
    existing = {r.code: r for r in db.session.scalars(select(Region)).all()}
    changed = 0
    for code, name in rows:
        region = existing.get(code)
        if region is None:
            region = Region(code=code, name=name.strip(), parent_code=parent_region_code(code))
            db.session.add(region)
            existing[code] = region
            changed += 1
        elif region.name != name.strip():
            region.name = name.strip()
            changed += 1
    db.session.flush()
    if changed:
        audit.record(
            actor, "import_regions", "region", "*", {"rows": len(rows), "changed": changed}
        )
    return changed


def _enterprise_problems(data: dict, current: Enterprise | None = None) -> list[dict]:
    errors = []
    # The name is published (公示 of listings and spot checks).
    if "name" in data:
        errors.extend(
            field_error("name", m) for m in disclosure.personal_data_problems(data["name"])
        )
    if "uscc" in data:
        message = uscc_problem(data["uscc"])
        if message:
            errors.append(field_error("uscc", message))
        else:
            taken = db.session.scalar(
                select(Enterprise.id).where(Enterprise.uscc == data["uscc"].upper())
            )
            if taken and (current is None or taken != current.id):
                errors.append(field_error("uscc", "该统一社会信用代码已登记。"))
    if "region_code" in data and db.session.get(Region, data["region_code"]) is None:
        errors.append(field_error("region_code", "行政区划代码不存在。"))
    if "industries" in data:
        unknown = [i for i in data["industries"] if i not in set(Industry)]
        if unknown or not data["industries"]:
            errors.append(field_error("industries", "请选择至少一个有效的行业。"))
    return errors


def _require_regulator_covers(actor: Actor, region_code: str, industries: list[str]) -> None:
    """Regulator admins may only register enterprises inside their own jurisdiction."""
    if actor.is_platform_admin:
        return
    for regulator_id in actor.regulator_ids:
        if Role.regulator_admin in actor.regulator_roles(regulator_id):
            regulator = db.session.get(Regulator, regulator_id)
            if scoping.regulator_covers(regulator, region_code, industries):
                return
    raise Forbidden("只能登记本辖区、本部门监管行业的企业。")


def create_enterprise(actor: Actor, data: dict) -> Enterprise:
    errors = _enterprise_problems(data)
    if errors:
        raise ValidationFailed("企业信息有误。", errors)
    _require_regulator_covers(actor, data["region_code"], data["industries"])
    enterprise = Enterprise(**{k: data[k] for k in ENTERPRISE_FIELDS if k in data})
    enterprise.uscc = enterprise.uscc.upper()
    enterprise.industries = data["industries"]
    db.session.add(enterprise)
    db.session.flush()
    audit.record(actor, "create_enterprise", "enterprise", enterprise.id, _snapshot(enterprise))
    return enterprise


def update_enterprise(actor: Actor, enterprise: Enterprise, data: dict) -> Enterprise:
    """Regulator admins edit everything in their jurisdiction; the head edits contact fields."""
    is_head = Role.head in actor.roles_in_enterprise(enterprise.id)
    is_admin = actor.is_platform_admin or any(
        Role.regulator_admin in actor.regulator_roles(r) for r in actor.regulator_ids
    )
    if not is_admin and not (is_head and set(data) <= ENTERPRISE_SELF_FIELDS):
        raise Forbidden("您无权修改这些企业信息。")
    changes_industries = "industries" in data and set(data["industries"]) != set(
        enterprise.industries
    )
    if changes_industries and not actor.is_platform_admin:
        # The industries decide which bureau supervises the enterprise (scoping.regulator_covers).
        raise Forbidden("企业行业决定其监管部门，只有平台管理员可以变更。")
    errors = _enterprise_problems(data, enterprise)
    if errors:
        raise ValidationFailed("企业信息有误。", errors)
    if is_admin and not actor.is_platform_admin:
        _require_regulator_covers(
            actor,
            data.get("region_code", enterprise.region_code),
            data.get("industries", enterprise.industries),
        )
    before = _snapshot(enterprise)
    supervisors_before = supervising_regulators(enterprise.region_code, enterprise.industries)
    for key in ENTERPRISE_FIELDS:
        if key in data:
            setattr(enterprise, key, data[key].upper() if key == "uscc" else data[key])
    if "industries" in data:
        enterprise.industries = data["industries"]
    db.session.flush()
    after = _snapshot(enterprise)
    diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    supervisors_after = supervising_regulators(enterprise.region_code, enterprise.industries)
    if supervisors_before != supervisors_after or changes_industries:
        diff["supervising_regulator_ids"] = [
            [r.id for r in supervisors_before],
            [r.id for r in supervisors_after],
        ]
    audit.record(actor, "update_enterprise", "enterprise", enterprise.id, diff)
    if changes_industries:
        _notify_supervision_change(enterprise, before["industries"], supervisors_before)
    return enterprise


def supervising_regulators(region_code: str, industries: list[str]) -> list[Regulator]:
    """The regulators covering an enterprise with this region and these industries, by id."""
    regulators = db.session.scalars(select(Regulator).order_by(Regulator.id)).all()
    return [r for r in regulators if scoping.regulator_covers(r, region_code, industries)]


def _industry_text(industries: list[str]) -> str:
    return "、".join(INDUSTRY_LABELS.get(Industry(i), i) for i in industries) or "无"


def _notify_supervision_change(
    enterprise: Enterprise, old_industries: list[str], old_supervisors: list[Regulator]
) -> None:
    """Tell the members of the bureaus that supervised the enterprise and of those that now do."""
    new_supervisors = supervising_regulators(enterprise.region_code, enterprise.industries)
    names = {
        "old": "、".join(r.name for r in old_supervisors) or "无",
        "new": "、".join(r.name for r in new_supervisors) or "无",
    }
    regulator_ids = sorted({r.id for r in old_supervisors} | {r.id for r in new_supervisors})
    members = [
        user_id
        for regulator_id in regulator_ids
        for user_id in active_member_ids(REGULATOR_ROLES, regulator_id=regulator_id)
    ]
    notifications.notify(
        members,
        enterprise.id,
        "supervision_changed",
        None,
        f"{enterprise.name}行业变更，监管部门调整",
        f"行业由“{_industry_text(old_industries)}”变更为“{_industry_text(enterprise.industries)}”；"
        f"监管部门由“{names['old']}”变为“{names['new']}”。",
        f"supervision_changed:{enterprise.id}:{clock.now().isoformat()}",
    )


def _snapshot(enterprise: Enterprise) -> dict:
    snap = {k: getattr(enterprise, k) for k in ENTERPRISE_FIELDS}
    snap["industries"] = enterprise.industries
    return snap


def create_regulator(actor: Actor, data: dict) -> Regulator:
    if not actor.is_platform_admin:
        raise Forbidden("只有平台管理员可以登记监管部门。")
    errors = [field_error("name", m) for m in disclosure.personal_data_problems(data["name"])]
    if db.session.get(Region, data["region_code"]) is None:
        errors.append(field_error("region_code", "行政区划代码不存在。"))
    if errors:
        raise ValidationFailed("监管部门信息有误。", errors)
    regulator = Regulator(
        name=data["name"],
        kind=data["kind"],
        level=region_level(data["region_code"]).value,
        region_code=data["region_code"],
        industries=sorted(set(data["industries"])),
    )
    db.session.add(regulator)
    db.session.flush()
    audit.record(actor, "create_regulator", "regulator", regulator.id, data)
    return regulator


def create_agency(actor: Actor, data: dict) -> Agency:
    if not actor.is_platform_admin:
        raise Forbidden("只有平台管理员可以登记第三方机构。")
    message = uscc_problem(data["uscc"])
    if message:
        raise ValidationFailed("机构信息有误。", [field_error("uscc", message)])
    agency = Agency(
        name=data["name"],
        uscc=data["uscc"].upper(),
        qualification=data.get("qualification", ""),
        qualification_certificate_no=data.get("qualification_certificate_no", ""),
    )
    db.session.add(agency)
    db.session.flush()
    audit.record(actor, "create_agency", "agency", agency.id, data)
    return agency


def create_engagement(actor: Actor, data: dict) -> Engagement:
    """A regulator (for enterprises it supervises) or an enterprise head (for itself) engages an agency."""
    if db.session.get(Agency, data["agency_id"]) is None:
        raise ValidationFailed("委托信息有误。", [field_error("agency_id", "第三方机构不存在。")])
    if data["valid_from"] > data["valid_to"]:
        raise ValidationFailed(
            "委托信息有误。", [field_error("valid_to", "结束日期不能早于开始日期。")]
        )
    enterprise_ids = sorted(set(data["enterprise_ids"]))
    for enterprise_id in enterprise_ids:
        scoping.get_enterprise(actor, enterprise_id)
    engagement = Engagement(
        agency_id=data["agency_id"],
        title=data["title"],
        scope=sorted(set(data["scope"])),
        valid_from=data["valid_from"],
        valid_to=data["valid_to"],
    )
    if data["commissioned_by"] == "regulator":
        regulator = scoping.regulator_for(actor, {Role.regulator_admin})
        engagement.commissioned_by, engagement.regulator_id = "regulator", regulator.id
    else:
        if len(enterprise_ids) != 1 or Role.head not in actor.roles_in_enterprise(
            enterprise_ids[0]
        ):
            raise Forbidden("企业只能由主要负责人为本企业委托第三方机构。")
        engagement.commissioned_by = "enterprise"
        engagement.client_enterprise_id = enterprise_ids[0]
    engagement.enterprise_rows = [EngagementEnterprise(enterprise_id=e) for e in enterprise_ids]
    db.session.add(engagement)
    db.session.flush()
    audit.record(
        actor,
        "create_engagement",
        "engagement",
        engagement.id,
        {**data, "enterprise_ids": enterprise_ids},
    )
    return engagement


def import_enterprises(actor: Actor, raw_rows: list[dict]) -> dict:
    """Onboard many enterprises with their head and safety-officer accounts, all or nothing.

    Every row is checked first; one bad row rejects the whole file with a row-by-row report.
    Generated initial passwords are returned once, in the result.
    """
    from anxun.accounts import services as accounts
    from anxun.accounts.models import User
    from anxun.core.auth import Grant
    from anxun.orgs.importer import convert_row

    if not actor.is_platform_admin and not any(
        Role.regulator_admin in actor.regulator_roles(r) for r in actor.regulator_ids
    ):
        raise Forbidden("只有监管部门管理员或平台管理员可以批量导入企业。")
    if not raw_rows:
        raise ValidationFailed("文件中没有数据行。")
    errors: list[dict] = []
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_rows):
        line = index + 2  # header is line 1
        data, problems = convert_row(raw)
        problems += [(e["field"], e["message"]) for e in _enterprise_problems(data)]
        for key in ("uscc", "head_username", "officer_username"):
            value = data.get(key)
            if not value:
                continue
            marker = (
                f"{'uscc' if key == 'uscc' else 'user'}:{value.upper() if key == 'uscc' else value}"
            )
            if marker in seen:
                problems.append((key, f"与第 {seen[marker]} 行重复。"))
            seen.setdefault(marker, line)
            if key != "uscc" and db.session.scalar(select(User.id).where(User.username == value)):
                problems.append((key, f"账号“{value}”已存在。"))
        if not problems and not actor.is_platform_admin:
            try:
                _require_regulator_covers(actor, data["region_code"], data["industries"])
            except Forbidden:
                problems.append(("region_code", "不在本部门辖区或监管行业内。"))
        errors.extend(
            {"field": f"rows.{line}.{field}", "row": line, "message": f"第 {line} 行：{message}"}
            for field, message in problems
        )
        rows.append(data)
    if errors:
        raise ValidationFailed(f"共 {len(errors)} 处错误，未导入任何数据。", errors)

    created, credentials = [], []
    for data in rows:
        enterprise = create_enterprise(actor, data)
        accounts_to_make = [(data["head_username"], data["head_name"], Role.head)]
        if data.get("officer_username"):
            name = (
                data.get("officer_name") or data.get("safety_head_name") or data["officer_username"]
            )
            accounts_to_make.append((data["officer_username"], name, Role.safety_officer))
        for username, display_name, role in accounts_to_make:
            password = data.get("initial_password") or accounts.generate_password()
            # The regulator admin knows this password: the owner must replace it at first login.
            accounts.create_user(
                actor,
                {
                    "username": username,
                    "display_name": display_name,
                    "password": password,
                    "must_change_password": True,
                },
                [Grant(role.value, enterprise_id=enterprise.id)],
            )
            if not data.get("initial_password"):
                credentials.append({"username": username, "initial_password": password})
        created.append(enterprise)
    return {"enterprises": created, "credentials": credentials}
