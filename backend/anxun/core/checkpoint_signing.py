"""Ed25519 keys and signatures for audit-chain checkpoints: generate, load, sign, verify.

Bytes in, bytes out: where the key file lives is the caller's business, so this module stays free
of Flask, SQLAlchemy and the clock. The signed message is the canonical JSON of the checkpoint's
fields, so any witness can check a checkpoint with the public key alone.
"""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FORMAT = "anxun-audit-checkpoint/1"
ALGORITHM = "Ed25519"


def generate_private_pem() -> bytes:
    """A new Ed25519 private key as unencrypted PKCS#8 PEM."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def load_private(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the checkpoint key must be an Ed25519 key")
    return key


def load_public(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the checkpoint public key must be an Ed25519 key")
    return key


def public_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def fingerprint(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """SHA-256 over the raw 32-byte public key, lower-case hex (64 characters)."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def key_id(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The first 16 hex characters of the fingerprint: names the key inside a checkpoint."""
    return fingerprint(key)[:16]


def message(fields: dict) -> bytes:
    """The exact bytes signed: canonical JSON (sorted keys, no spaces, UTF-8) with the format."""
    body = {"format": FORMAT, **fields}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sign(key: Ed25519PrivateKey, fields: dict) -> str:
    """The base64 Ed25519 signature over `message(fields)`."""
    return base64.b64encode(key.sign(message(fields))).decode()


def is_valid(public: Ed25519PublicKey, fields: dict, signature: str) -> bool:
    try:
        public.verify(base64.b64decode(signature, validate=True), message(fields))
    except (InvalidSignature, ValueError):
        return False
    return True
