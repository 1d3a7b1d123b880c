"""Checkpoint signatures: exact signed bytes, and any change to a signed field is caught."""

import pytest

from anxun.core import checkpoint_signing as cs

FIELDS = {
    "sequence": 42,
    "entry_id": 57,
    "head_hash": "ab" * 32,
    "created_at": "2026-11-26T01:10:00+00:00",
    "key_id": "0123456789abcdef",
}


@pytest.fixture(scope="module")
def key():
    return cs.load_private(cs.generate_private_pem())


def test_the_signed_message_is_canonical_json_with_the_format():
    assert cs.message(FIELDS) == (
        b'{"created_at":"2026-11-26T01:10:00+00:00","entry_id":57,'
        b'"format":"anxun-audit-checkpoint/1","head_hash":"' + b"ab" * 32 + b'",'
        b'"key_id":"0123456789abcdef","sequence":42}'
    )


def test_a_signature_verifies_with_the_public_key_alone(key):
    public = cs.load_public(cs.public_pem(key).encode())
    assert cs.is_valid(public, dict(FIELDS), cs.sign(key, FIELDS))
    assert cs.key_id(public) == cs.key_id(key) == cs.fingerprint(key)[:16]


@pytest.mark.parametrize(
    "change",
    [
        {"sequence": 41},
        {"entry_id": 56},
        {"head_hash": "cd" * 32},
        {"created_at": "2026-11-27T01:10:00+00:00"},
        {"key_id": "fedcba9876543210"},
    ],
)
def test_changing_any_signed_field_invalidates_the_signature(key, change):
    assert not cs.is_valid(key.public_key(), FIELDS | change, cs.sign(key, FIELDS))


@pytest.mark.parametrize("signature", ["", "not base64!", "AAAA"])
def test_malformed_signatures_are_invalid_not_errors(key, signature):
    assert not cs.is_valid(key.public_key(), FIELDS, signature)


def test_another_key_does_not_verify(key):
    other = cs.load_private(cs.generate_private_pem())
    assert not cs.is_valid(other.public_key(), FIELDS, cs.sign(key, FIELDS))


def test_a_non_ed25519_key_is_refused():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(ValueError):
        cs.load_private(pem)
