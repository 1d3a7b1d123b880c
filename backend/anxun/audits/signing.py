"""Agency signing keys and PAdES (CMS) signatures on audit reports: generate, sign, verify.

Bytes in, bytes out: storing keys and certificates is the services' job, so this module stays free
of Flask, SQLAlchemy and the clock (`now` is passed in).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

CERTIFICATE_YEARS = 3
SIGNATURE_FIELD = "AgencySignature"


@dataclass(frozen=True)
class KeyPair:
    key_pem: bytes
    certificate_pem: str
    fingerprint: str


@dataclass(frozen=True)
class Verification:
    """The outcome of checking one signed report; `ok` only when every check passed."""

    ok: bool
    message: str
    signer_fingerprint: str | None = None
    signer_name: str | None = None
    signed_at: datetime | None = None


def fingerprint(certificate_pem: str) -> str:
    """SHA-256 over the DER certificate, lower-case hex (64 characters)."""
    certificate = x509.load_pem_x509_certificate(certificate_pem.encode())
    return certificate.fingerprint(hashes.SHA256()).hex()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def generate_key_pair(agency_name: str, agency_uscc: str, now: datetime) -> KeyPair:
    """A 2048-bit RSA key and a self-signed certificate naming the agency (CN, O) and its
    unified social credit code (serialNumber), valid for three years from `now`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency_name),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, agency_uscc),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, agency_uscc),
            x509.NameAttribute(NameOID.COMMON_NAME, agency_name),
        ]
    )
    start = now - timedelta(minutes=5)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * CERTIFICATE_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    certificate_pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return KeyPair(key_pem, certificate_pem, fingerprint(certificate_pem))


def sign_pdf(
    pdf: bytes, key_pem: bytes, certificate_pem: str, *, signer_name: str, reason: str
) -> bytes:
    """Append a PAdES-B-B signature covering the whole file (an incremental update)."""
    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    _, _, der = asn1_pem.unarmor(certificate_pem.encode())
    certificate = asn1_x509.Certificate.load(der)
    signer = signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=load_private_key_from_pemder_data(key_pem, passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs([certificate]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        name=signer_name,
        reason=reason,
        subfilter=None,
        md_algorithm="sha256",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue()


def verify_pdf(data: bytes, trusted_certificate_pems: list[str]) -> Verification:
    """Check the report's one signature: intact, over the entire file, by a known certificate."""
    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    roots = []
    for pem_text in trusted_certificate_pems:
        _, _, der = asn1_pem.unarmor(pem_text.encode())
        roots.append(asn1_x509.Certificate.load(der))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        return Verification(False, f"无法读取 PDF：{exc}")
    if len(signatures) != 1:
        return Verification(False, f"应有 1 个签名，实际 {len(signatures)} 个。")
    embedded = signatures[0]
    signer_cert = embedded.signer_cert
    signer_fp = hashlib.sha256(signer_cert.dump()).hexdigest() if signer_cert else None
    signer_name = signer_cert.subject.native.get("common_name") if signer_cert else None
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = validate_pdf_signature(embedded, context)
    except (SignatureValidationError, PdfReadError, ValueError) as exc:
        return Verification(False, f"签名无法验证：{exc}", signer_fp, signer_name)
    found = {
        "signer_fingerprint": signer_fp,
        "signer_name": signer_name,
        "signed_at": status.signer_reported_dt,
    }
    if not status.intact or not status.valid:
        return Verification(False, "签名与文件内容不符：文件在签名后被改动。", **found)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return Verification(False, "签名未覆盖整个文件：签名后又追加了内容。", **found)
    if not status.trusted:
        return Verification(False, "签名证书不是本平台登记的机构证书。", **found)
    return Verification(True, "签名有效：文件完整，签名证书为登记的机构证书。", **found)
