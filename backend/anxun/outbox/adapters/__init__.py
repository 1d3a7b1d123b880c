"""Adapter registry: each adapter has a name, a config check and a send() that raises on failure."""

from __future__ import annotations

from anxun.outbox.adapters.base import Adapter, DeliveryError, NotApplicable
from anxun.outbox.adapters.hazchem_chain import HazchemChainAdapter
from anxun.outbox.adapters.webhook import WebhookAdapter

ADAPTERS: dict[str, type[Adapter]] = {
    WebhookAdapter.name: WebhookAdapter,
    HazchemChainAdapter.name: HazchemChainAdapter,
}


def get_adapter(name: str, config: dict) -> Adapter:
    try:
        cls = ADAPTERS[name]
    except KeyError as exc:
        raise DeliveryError(f"unknown adapter {name!r}") from exc
    return cls(config)


__all__ = ["ADAPTERS", "Adapter", "DeliveryError", "NotApplicable", "get_adapter"]
