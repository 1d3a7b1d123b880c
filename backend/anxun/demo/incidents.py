"""Demo data: one incident of the chemical plant with an on-time quick report and a follow-up."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from anxun.accounts.models import User
from anxun.accounts.services import actor_for
from anxun.core import clock
from anxun.extensions import db
from anxun.incidents import services
from anxun.orgs.models import Enterprise


def seed_incidents(enterprise: Enterprise) -> None:
    """A minor injury 40 minutes ago: the quick report now (on time), then a follow-up."""
    officer = actor_for(db.session.scalar(select(User).where(User.username == "officer-hc")))
    incident, _ = services.report_incident(
        officer,
        {
            "id": uuid.uuid4(),
            "enterprise_id": enterprise.id,
            "occurred_at": clock.now() - timedelta(minutes=40),
            "location": "二号甲类仓库装卸区",
            "category": "object_strike",
            "title": "装卸作业物料桶滑落砸伤",
            "report": {
                "id": uuid.uuid4(),
                "deaths": 0,
                "injuries": 1,
                "missing": 0,
                "direct_loss_estimate": Decimal("8000.00"),
                "description": "叉车装卸时一只 200 L 物料桶滑落，砸伤一名装卸工左脚。",
                "measures": "伤者已送医；装卸区已隔离；暂停该叉车作业。",
            },
        },
    )
    services.add_follow_up(
        officer,
        incident,
        {
            "id": uuid.uuid4(),
            "deaths": 0,
            "injuries": 1,
            "missing": 0,
            "direct_loss_estimate": Decimal("12000.00"),
            "description": "伤者左足骨折，住院治疗，无生命危险。",
            "measures": "全厂开展装卸作业专项检查，叉车司机重新培训。",
        },
    )
