"""Generic webhook: JSON body, HMAC-SHA256 signature header, idempotency key per event."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request

from anxun.outbox.adapters.base import Adapter, DeliveryError

SIGNATURE_HEADER = "X-Anxun-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookAdapter(Adapter):
    name = "webhook"
    required_config = ("url", "secret")

    def send(self, envelope: dict) -> int:
        body = json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()
        request = urllib.request.Request(
            self.config["url"],
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                SIGNATURE_HEADER: sign(self.config["secret"], body),
                IDEMPOTENCY_HEADER: envelope["id"],
                "X-Anxun-Event-Type": envelope["type"],
            },
        )
        timeout = float(self.config.get("timeout_seconds", 10))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"HTTP {exc.code}", status=exc.code) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"network: {getattr(exc, 'reason', exc)}") from exc
