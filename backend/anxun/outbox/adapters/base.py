"""The adapter interface: validate config, deliver one event or raise DeliveryError."""

from __future__ import annotations

from abc import ABC, abstractmethod


class DeliveryError(Exception):
    """Delivery failed; the dispatcher retries with backoff."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class NotApplicable(Exception):
    """The adapter has no record for this event type: the delivery is closed as skipped, with the
    reason kept in the delivery row, instead of being retried into the dead-letter queue."""


class Adapter(ABC):
    name = ""
    required_config: tuple[str, ...] = ()

    def __init__(self, config: dict):
        missing = [key for key in self.required_config if not config.get(key)]
        if missing:
            raise DeliveryError(f"adapter {self.name} misses config: {', '.join(missing)}")
        self.config = config

    @abstractmethod
    def send(self, envelope: dict) -> int:
        """Deliver; return the HTTP status (or 0). Raise DeliveryError on any failure, or
        NotApplicable when the receiving platform has no record for this event type."""
