"""Matrix rows: campaigns (专项整治), 举一反三, stage samples and the agency's supervision check."""

import uuid
from datetime import timedelta

from tests.api.authz.common import ALL_OK, ROLES, Row

FORBID = dict.fromkeys(ROLES, "forbid")
# Only the bureau's admin decides; everyone else is refused before any lookup.
ADMIN_ONLY = FORBID | {"regulator-admin": "ok"}
# A running campaign of the EM bureau for hc, supervised by the demo agency.
SEES_RUNNING = {
    "head-hc": "ok",
    "officer-hc": "ok",
    "rectifier-hc": "ok",
    "head-con": "hide",
    "regulator": "ok",
    "regulator-admin": "ok",
    "regulator-con": "hide",
    "auditor": "ok",
    "admin": "ok",
}
BUREAU_FIGURES = SEES_RUNNING | {
    "head-hc": "forbid",
    "officer-hc": "forbid",
    "rectifier-hc": "forbid",
    "auditor": "forbid",
}
# A draft is the bureau's alone.
LAUNCH = {
    **dict.fromkeys(ROLES, "hide"),
    "regulator": "forbid",
    "regulator-admin": "ok",
    "admin": "forbid",
}
SAMPLE = SEES_RUNNING | {
    "head-hc": "forbid",
    "officer-hc": "forbid",
    "rectifier-hc": "forbid",
    "regulator": "forbid",
    "auditor": "forbid",
    "admin": "forbid",
}
CHECK = SAMPLE | {"regulator-admin": "forbid", "auditor": "ok"}
# The bureau and the supervising agency's auditors read the samples and their checks.
SAMPLES_READ = BUREAU_FIGURES | {"auditor": "ok"}


def _stages():
    from anxun.core import clock

    today = clock.today_local()
    days = [today + timedelta(days=n) for n in (0, 5, 6, 10, 11, 20)]
    names = (
        "self_check_start",
        "self_check_end",
        "supervision_start",
        "supervision_end",
        "follow_up_start",
        "follow_up_end",
    )
    return dict(zip(names, days, strict=True))


def _draft(world):
    from anxun.campaigns import services
    from anxun.extensions import db
    from tests.factories_hazards import actor

    campaign = services.create_campaign(
        actor("regulator-admin"),
        {
            "title": "矩阵专项整治",
            "written_items": ["矩阵检查内容"],
            "targets": {"enterprise_ids": [world["enterprise"]["hc"]]},
            "supervisor_kind": "agency",
            "engagement_id": world["engagement"],
            **_stages(),
        },
    )
    db.session.commit()
    return {"campaign": campaign.id}


def _running(world):
    from anxun.campaigns import services
    from anxun.campaigns.models import Campaign
    from anxun.extensions import db
    from tests.factories_hazards import actor

    ctx = _draft(world)
    admin = actor("regulator-admin")
    campaign = db.session.get(Campaign, ctx["campaign"])
    services.launch_campaign(admin, campaign)
    [sample] = services.draw_sample(
        admin, campaign, {"stage": "supervision", "enterprise_ids": [world["enterprise"]["hc"]]}
    )
    db.session.commit()
    return ctx | {"sample": sample.id}


def _running_without_sample(world):
    from anxun.campaigns import services
    from anxun.campaigns.models import Campaign
    from anxun.extensions import db
    from tests.factories_hazards import actor

    ctx = _draft(world)
    services.launch_campaign(actor("regulator-admin"), db.session.get(Campaign, ctx["campaign"]))
    db.session.commit()
    return ctx


def _incident(world):
    from anxun.core import clock
    from anxun.extensions import db
    from anxun.incidents import services
    from tests.factories_hazards import actor

    incident, _ = services.report_incident(
        actor("officer-hc"),
        {
            "id": uuid.uuid4(),
            "enterprise_id": world["enterprise"]["hc"],
            "occurred_at": clock.now() - timedelta(minutes=10),
            "location": "矩阵",
            "category": "fire",
            "title": "矩阵火灾",
            "report": {
                "id": uuid.uuid4(),
                "deaths": 0,
                "injuries": 0,
                "missing": 0,
                "description": "矩阵",
                "measures": "",
            },
        },
    )
    db.session.commit()
    return {"incident": str(incident.id)}


def _dates():
    return {k: v.isoformat() for k, v in _stages().items()}


BASE = "/api/v1/campaigns/<int:campaign_id>"
ROWS = [
    Row("GET", "/api/v1/campaigns", lambda c: "/api/v1/campaigns", ALL_OK, setup=_running),
    Row(
        "POST",
        "/api/v1/campaigns",
        lambda c: "/api/v1/campaigns",
        ADMIN_ONLY,
        json=lambda c: {"title": "矩阵", "written_items": ["矩阵内容"], **_dates()},
    ),
    Row(
        "POST",
        "/api/v1/campaigns/preview",
        lambda c: "/api/v1/campaigns/preview",
        ADMIN_ONLY,
        json=lambda c: {"industries": ["dust_explosion"]},
    ),
    Row(
        "POST",
        "/api/v1/campaigns/from-origin",
        lambda c: "/api/v1/campaigns/from-origin",
        ADMIN_ONLY,
        json=lambda c: {
            "origin_kind": "incident",
            "origin_id": c["incident"],
            "cause_texts": ["矩阵原因"],
            **_dates(),
        },
        setup=_incident,
    ),
    Row("GET", BASE, lambda c: f"/api/v1/campaigns/{c['campaign']}", SEES_RUNNING, setup=_running),
    Row(
        "GET",
        f"{BASE}/items",
        lambda c: f"/api/v1/campaigns/{c['campaign']}/items",
        SEES_RUNNING,
        setup=_running,
    ),
    Row(
        "POST",
        f"{BASE}/launch",
        lambda c: f"/api/v1/campaigns/{c['campaign']}/launch",
        LAUNCH,
        setup=_draft,
    ),
    Row(
        "GET",
        f"{BASE}/overview",
        lambda c: f"/api/v1/campaigns/{c['campaign']}/overview",
        BUREAU_FIGURES,
        setup=_running,
    ),
    Row(
        "GET",
        f"{BASE}/export.xlsx",
        lambda c: f"/api/v1/campaigns/{c['campaign']}/export.xlsx",
        BUREAU_FIGURES,
        setup=_running,
    ),
    Row(
        "GET",
        f"{BASE}/report.pdf",
        lambda c: f"/api/v1/campaigns/{c['campaign']}/report.pdf",
        BUREAU_FIGURES,
        setup=_running,
    ),
    Row(
        "POST",
        f"{BASE}/samples",
        lambda c: f"/api/v1/campaigns/{c['campaign']}/samples",
        SAMPLE,
        json=lambda c: {"stage": "supervision", "seed": "matrix", "count": 1},
        setup=_running_without_sample,
    ),
    Row(
        "GET",
        f"{BASE}/samples",
        lambda c: f"/api/v1/campaigns/{c['campaign']}/samples",
        SAMPLES_READ,
        setup=_running,
    ),
    Row(
        "POST",
        f"{BASE}/samples/<int:sample_id>/check",
        lambda c: f"/api/v1/campaigns/{c['campaign']}/samples/{c['sample']}/check",
        CHECK,
        json=lambda c: {"answers": [{"item_id": "C-01", "result": "fail"}]},
        setup=_running,
    ),
]
