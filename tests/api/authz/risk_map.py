"""Matrix rows: site plans, the four-colour risk map, risk notification cards, the register PDF."""

from tests.api.authz.common import HC_READ, HC_STAFF_WRITE, Row

PLANS = "/api/v1/enterprises/<int:enterprise_id>/site-plans"
PLAN = "/api/v1/site-plans/<int:site_plan_id>"
# Head and safety officer of hc (and platform admins) draw hc's risk map.
HC_MAP_EDITORS = HC_STAFF_WRITE | {"rectifier-hc": "forbid"}


def _hc(ctx):
    return ctx["enterprise"]["hc"]


def _hc_media(world):
    from anxun.extensions import db
    from tests.factories_riskmap import make_media

    media = make_media(world["enterprise"]["hc"], world["users"]["officer-hc"])
    db.session.commit()
    return {"media": str(media.id)}


def _hc_plan(world):
    from anxun.extensions import db
    from anxun.risk.models import MapShape, SitePlan
    from tests.factories_riskmap import make_media, make_unit

    hc, officer = world["enterprise"]["hc"], world["users"]["officer-hc"]
    media = make_media(hc, officer)
    plan = SitePlan(enterprise_id=hc, title="矩阵平面图", media_id=media.id, width=400, height=300)
    db.session.add(plan)
    db.session.flush()
    unit = make_unit(hc, officer, "orange", name="矩阵单元")
    db.session.add(
        MapShape(
            site_plan_id=plan.id,
            target_type="risk_unit",
            target_id=unit.id,
            shape="point",
            points=[[50, 50]],
        )
    )
    db.session.commit()
    return {"plan": plan.id, "unit": unit.id}


def _hc_place(world):
    from anxun.extensions import db
    from tests.factories_riskmap import make_place, make_unit

    hc = world["enterprise"]["hc"]
    place = make_place(hc)
    make_unit(hc, world["users"]["officer-hc"], "yellow", place_id=place.id)
    db.session.commit()
    return {"place": place.id}


ROWS = [
    Row("GET", PLANS, lambda c: f"/api/v1/enterprises/{_hc(c)}/site-plans", HC_READ),
    Row(
        "POST",
        PLANS,
        lambda c: f"/api/v1/enterprises/{_hc(c)}/site-plans",
        HC_MAP_EDITORS,
        json=lambda c: {"title": "矩阵平面图", "media_id": c["media"]},
        setup=_hc_media,
    ),
    Row("GET", PLAN, lambda c: f"/api/v1/site-plans/{c['plan']}", HC_READ, setup=_hc_plan),
    Row(
        "PUT",
        PLAN + "/shapes",
        lambda c: f"/api/v1/site-plans/{c['plan']}/shapes",
        HC_MAP_EDITORS,
        json=lambda c: {
            "shapes": [
                {
                    "target_type": "risk_unit",
                    "target_id": c["unit"],
                    "shape": "polygon",
                    "points": [[10, 10], [90, 10], [90, 60]],
                }
            ]
        },
        setup=_hc_plan,
    ),
    Row(
        "GET",
        PLAN + "/map.png",
        lambda c: f"/api/v1/site-plans/{c['plan']}/map.png",
        HC_READ,
        setup=_hc_plan,
    ),
    Row(
        "GET",
        PLAN + "/map.pdf",
        lambda c: f"/api/v1/site-plans/{c['plan']}/map.pdf",
        HC_READ,
        setup=_hc_plan,
    ),
    Row(
        "GET",
        "/api/v1/places/<int:place_id>/risk-card.pdf",
        lambda c: f"/api/v1/places/{c['place']}/risk-card.pdf",
        HC_READ,
        setup=_hc_place,
    ),
    Row(
        "GET",
        "/api/v1/enterprises/<int:enterprise_id>/risk-register.pdf",
        lambda c: f"/api/v1/enterprises/{_hc(c)}/risk-register.pdf",
        HC_READ,
    ),
]
