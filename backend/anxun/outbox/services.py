"""Every write about delivery configuration: regulator endpoints and manual replays."""

from __future__ import annotations

from anxun.accounts.roles import Role
from anxun.core import audit
from anxun.core.auth import Actor
from anxun.core.errors import NotFound, ValidationFailed, field_error
from anxun.extensions import db
from anxun.orgs import scoping
from anxun.outbox import dispatcher
from anxun.outbox.adapters import ADAPTERS, DeliveryError, get_adapter
from anxun.outbox.models import OutboxDelivery, RegulatorEndpoint


def create_endpoint(actor: Actor, data: dict) -> RegulatorEndpoint:
    """A regulator admin points its events at a platform (adapter + config)."""
    regulator = scoping.regulator_for(actor, {Role.regulator_admin})
    if data["adapter"] not in ADAPTERS:
        raise ValidationFailed("接口类型不受支持。", [field_error("adapter", "接口类型不受支持。")])
    try:
        get_adapter(data["adapter"], data["config"])
    except DeliveryError as exc:
        raise ValidationFailed(
            "接口配置不完整。", [field_error("config", "缺少必填配置（url、secret）。")]
        ) from exc
    endpoint = RegulatorEndpoint(
        regulator_id=regulator.id, adapter=data["adapter"], config=data["config"]
    )
    db.session.add(endpoint)
    db.session.flush()
    audit.record(
        actor,
        "create_endpoint",
        "regulator_endpoint",
        endpoint.id,
        {"adapter": endpoint.adapter, "url": data["config"].get("url")},
    )
    return endpoint


def replay_delivery(actor: Actor, delivery_id: int) -> OutboxDelivery:
    regulator = scoping.regulator_for(actor, {Role.regulator_admin})
    delivery = db.session.get(OutboxDelivery, delivery_id)
    endpoint = db.session.get(RegulatorEndpoint, delivery.endpoint_id) if delivery else None
    if endpoint is None or endpoint.regulator_id != regulator.id:
        raise NotFound("未找到该推送记录。")
    dispatcher.replay(delivery_id)
    audit.record(actor, "replay_delivery", "outbox_delivery", delivery_id, {})
    return delivery
