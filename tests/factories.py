"""make_* helpers with valid defaults, and lookups into the demo world."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from anxun.accounts.models import User
from anxun.extensions import db
from anxun.orgs.models import Agency, Engagement, Enterprise, Regulator
from anxun.orgs.rules import uscc_with_check

_counter = itertools.count(1)


def world_ids() -> dict:
    """Ids of the demo world's organisations and users, by short name."""
    enterprises = {e.name: e.id for e in db.session.scalars(select(Enterprise))}
    by_key = {
        "hc": enterprises["宁波澄江化工有限公司"],
        "con": enterprises["宁波甬港建设工程有限公司"],
        "dust": enterprises["宁波恒锐金属制品有限公司"],
        "cs": enterprises["宁波清源水务运营有限公司"],
    }
    regulators = {r.kind: r.id for r in db.session.scalars(select(Regulator))}
    return {
        "enterprise": by_key,
        "regulator": regulators["emergency_management"],
        "housing_regulator": regulators["housing_construction"],
        "agency": db.session.scalar(select(Agency.id)),
        "engagement": db.session.scalar(select(Engagement.id)),
        "users": {u.username: u.id for u in db.session.scalars(select(User))},
    }


def next_uscc(region: str = "330211") -> str:
    """A fresh valid USCC in the given region."""
    n = next(_counter)
    return uscc_with_check(f"91{region}MA{n:07d}")


def enterprise_payload(**overrides) -> dict:
    data = {
        "name": f"测试企业{next(_counter)}有限公司",
        "uscc": next_uscc(),
        "region_code": "330211",
        "industries": ["hazardous_chemicals"],
        "size_class": "small",
        "address": "浙江省宁波市镇海区测试路 1 号",
        "head_name": "测试负责人",
    }
    data.update(overrides)
    return data


def make_officer(regulator_id: int, **overrides) -> User:
    """An active enforcement officer (regulator_inspector) of the bureau with a 执法证号."""
    from anxun.accounts import services as accounts
    from anxun.core.auth import SYSTEM, Grant

    n = next(_counter)
    data = {
        "username": f"officer-{n}",
        "display_name": f"执法员{n}",
        "password": "officer-password-1",
        "enforcement_certificate_no": f"3302119{n:04d}",
    }
    data.update(overrides)
    grant = Grant("regulator_inspector", regulator_id=regulator_id)
    return accounts.create_user(SYSTEM, data, [grant])
