"""Generic webhook: JSON body, HMAC-SHA256 signature header, idempotency key per event."""

from __future__ import annotations

import hashlib
import hmac
import json

from anxun.outbox.adapters.base import Adapter, Post

SIGNATURE_HEADER = "X-Anxun-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookAdapter(Adapter):
    name = "webhook"
    required_config = ("url", "secret")

    def prepare(self, envelope: dict) -> list[Post]:
        body = json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: sign(self.config["secret"], body),
            IDEMPOTENCY_HEADER: envelope["id"],
            "X-Anxun-Event-Type": envelope["type"],
        }
        return [Post(self.config["url"], body, headers)]
