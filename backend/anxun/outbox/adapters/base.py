"""The adapter interface: validate config, build the HTTP calls for one event, send them."""

from __future__ import annotations

import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass


class DeliveryError(Exception):
    """Delivery failed; the dispatcher retries with backoff."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class NotApplicable(Exception):
    """The adapter has no record for this event type: the delivery is closed as skipped, with the
    reason kept in the delivery row, instead of being retried into the dead-letter queue."""


@dataclass(frozen=True)
class Post:
    """One HTTP POST of a delivery: built while the database is open, sent after it is closed."""

    url: str
    body: bytes
    headers: dict
    label: str = ""  # prefixes error messages when a delivery makes several calls


class Adapter(ABC):
    name = ""
    required_config: tuple[str, ...] = ()

    def __init__(self, config: dict):
        missing = [key for key in self.required_config if not config.get(key)]
        if missing:
            raise DeliveryError(f"adapter {self.name} misses config: {', '.join(missing)}")
        self.config = config

    @abstractmethod
    def prepare(self, envelope: dict) -> list[Post]:
        """The calls that deliver this event, in order; may read the database. Raise DeliveryError
        when it cannot be delivered, NotApplicable when the platform has no record for it."""

    def transmit(self, posts: list[Post]) -> int:
        """Make the calls in order without touching the database; return the last HTTP status.
        Each call waits at most the endpoint's `timeout_seconds` (default 10)."""
        timeout = float(self.config.get("timeout_seconds", 10))
        status = 0
        for post in posts:
            prefix = f"{post.label}: " if post.label else ""
            request = urllib.request.Request(
                post.url, data=post.body, method="POST", headers=post.headers
            )
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                    status = response.status
            except urllib.error.HTTPError as exc:
                raise DeliveryError(f"{prefix}HTTP {exc.code}", status=exc.code) from exc
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                raise DeliveryError(f"{prefix}network: {getattr(exc, 'reason', exc)}") from exc
        return status
