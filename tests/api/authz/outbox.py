"""Matrix rows: regulator pull feed, delivery endpoints and deliveries."""

from tests.api.authz.common import ROLES, Row

REGULATORS_ONLY = dict.fromkeys(ROLES, "forbid") | {
    "regulator": "ok",
    "regulator-admin": "ok",
    "regulator-con": "ok",
    "admin": "ok",
}
ADMIN_ONLY = dict.fromkeys(ROLES, "forbid") | {"regulator-admin": "ok"}


def _dead_delivery(world):
    from anxun.extensions import db
    from anxun.orgs.models import Enterprise
    from anxun.outbox.enqueue import enqueue
    from anxun.outbox.models import OutboxDelivery, RegulatorEndpoint

    endpoint = RegulatorEndpoint(
        regulator_id=world["regulator"],
        adapter="webhook",
        config={"url": "http://127.0.0.1:9/x", "secret": "s" * 16},
    )
    db.session.add(endpoint)
    db.session.flush()
    enqueue(
        "hazard_closed", db.session.get(Enterprise, world["enterprise"]["hc"]), "hazard", "x", {}
    )
    delivery = db.session.query(OutboxDelivery).one()
    delivery.state = "dead"
    db.session.commit()
    return {"delivery": delivery.id}


ROWS = [
    Row("GET", "/api/v1/regulator/feed", lambda c: "/api/v1/regulator/feed", REGULATORS_ONLY),
    Row("GET", "/api/v1/regulator/endpoints", lambda c: "/api/v1/regulator/endpoints", ADMIN_ONLY),
    Row(
        "POST",
        "/api/v1/regulator/endpoints",
        lambda c: "/api/v1/regulator/endpoints",
        ADMIN_ONLY,
        json=lambda c: {
            "adapter": "webhook",
            "config": {"url": "http://127.0.0.1:9/hook", "secret": "0123456789abcdef"},
        },
    ),
    Row(
        "GET", "/api/v1/regulator/deliveries", lambda c: "/api/v1/regulator/deliveries", ADMIN_ONLY
    ),
    Row(
        "POST",
        "/api/v1/regulator/deliveries/<int:delivery_id>/replay",
        lambda c: f"/api/v1/regulator/deliveries/{c['delivery']}/replay",
        ADMIN_ONLY,
        setup=_dead_delivery,
    ),
]
