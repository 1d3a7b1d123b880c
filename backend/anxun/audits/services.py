"""Agency audit runs: open a run, record findings, sign the audit report with the agency's key."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

from anxun.accounts.roles import Role
from anxun.audits import signing
from anxun.audits.models import AgencyCertificate, AuditRun
from anxun.core import audit, clock, storage
from anxun.core.auth import Actor
from anxun.core.errors import (
    Conflict,
    Forbidden,
    MissingMedia,
    NotFound,
    StaleState,
    ValidationFailed,
    field_error,
)
from anxun.extensions import db
from anxun.hazards import services as hazard_services
from anxun.inspections.media import missing_media
from anxun.orgs import scoping
from anxun.orgs.models import Agency, Engagement, EngagementEnterprise, Enterprise
from anxun.orgs.rules import engagement_active
from anxun.outbox.enqueue import enqueue

OPEN = "open"
SIGNED = "signed"
STATE_LABELS = {OPEN: "进行中", SIGNED: "已签署"}
MSG_NOT_FOUND = "未找到该审核，或您无权查看。"
MSG_AUDITORS_ONLY = "只有受委托机构的审核员可以执行此操作。"
MSG_READ_ONLY = "该审核报告已签署，审核记录不可再修改。"


class TamperedReport(Conflict):
    """The stored signed report no longer matches the hash recorded when it was signed."""

    type = "/problems/tampered-report"


def signing_root() -> Path:
    """ANXUN_SIGNING_DIR, or <INSTANCE_PATH>/signing when unset (keys, and signed reports unless
    ANXUN_STORAGE_URL puts documents in object storage: storage.document_store)."""
    return storage.signing_dir()


def is_auditor_of(actor: Actor, agency_id: int) -> bool:
    return any(g.role == Role.auditor and g.agency_id == agency_id for g in actor.grants)


def _require_auditor(actor: Actor, agency_id: int) -> None:
    if not is_auditor_of(actor, agency_id):
        raise Forbidden(MSG_AUDITORS_ONLY)


def _require_open(run: AuditRun) -> None:
    if run.state != OPEN:
        raise Conflict(MSG_READ_ONLY)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [field_error(field, message)])


def open_audit_run(actor: Actor, data: dict) -> AuditRun:
    """An auditor opens an audit of one enterprise named in an engagement of their agency, while
    the engagement is valid (the time-boxed grant of the foundation issue)."""
    if not any(g.role == Role.auditor for g in actor.grants):
        raise Forbidden(MSG_AUDITORS_ONLY)
    engagement = db.session.get(Engagement, data["engagement_id"])
    if engagement is None or not is_auditor_of(actor, engagement.agency_id):
        raise _invalid("engagement_id", "委托不存在，或不是本机构的委托。")
    if not engagement_active(engagement.valid_from, engagement.valid_to, clock.today_local()):
        raise _invalid("engagement_id", "委托不在有效期内。")
    covered = db.session.get(EngagementEnterprise, (engagement.id, data["enterprise_id"]))
    if covered is None:
        raise _invalid("enterprise_id", "该企业不在本委托范围内。")
    title = data["title"].strip()
    if not title:
        raise _invalid("title", "请填写审核名称。")
    run = AuditRun(
        engagement_id=engagement.id,
        agency_id=engagement.agency_id,
        enterprise_id=data["enterprise_id"],
        title=title,
        scope=(data.get("scope") or "").strip(),
        method=(data.get("method") or "").strip(),
        conclusion="",
        state=OPEN,
        opened_by_user_id=actor.user_id,
        opened_at=clock.now(),
    )
    db.session.add(run)
    db.session.flush()
    audit.record(
        actor,
        "open_audit_run",
        "audit_run",
        run.id,
        {"engagement_id": engagement.id, "enterprise_id": run.enterprise_id, "title": run.title},
    )
    return run


def audit_run_for_inspection(actor: Actor, run_id: int, enterprise_id: int | None) -> AuditRun:
    """The open run an auditor's inspection belongs to (asked by inspections, audits/handlers.py):
    their agency's, on that enterprise, with `inspections` in the engagement scope."""
    from anxun.audits.queries import get_audit_run

    run = get_audit_run(actor, run_id)
    _require_auditor(actor, run.agency_id)
    _require_open(run)
    if enterprise_id is not None and enterprise_id != run.enterprise_id:
        raise _invalid("enterprise_id", "检查企业与审核对象不一致。")
    scoping.require_area(actor, run.enterprise_id, scoping.INSPECTIONS)
    return run


def record_finding(actor: Actor, run: AuditRun, data: dict):
    """A finding not tied to a check item: a hazard with source agency that the enterprise
    confirms as usual, linked to the run through hazard.audit_run_id."""
    _require_auditor(actor, run.agency_id)
    _require_open(run)
    enterprise = scoping.require_area(actor, run.enterprise_id, scoping.HAZARDS)
    missing = missing_media(enterprise.id, data.get("media_ids") or [])
    if missing:
        raise MissingMedia(missing)
    basis = (data.get("basis") or "").strip()
    hazard = hazard_services.report_hazard(
        actor,
        enterprise,
        {
            "title": data["title"].strip(),
            "description": data.get("description") or "",
            "place_id": data.get("place_id"),
            "media_ids": [str(p) for p in data.get("media_ids") or []],
            "proposed_level": data["proposed_level"],
        },
        source="agency",
        item={"basis": [{"doc": basis, "clause": ""}]} if basis else None,
    )
    hazard.audit_run_id = run.id
    db.session.flush()
    audit.record(actor, "record_audit_finding", "audit_run", run.id, {"hazard_id": str(hazard.id)})
    return hazard


# --- keys and signatures -------------------------------------------------------------------


def _write_private(path: Path, data: bytes) -> None:
    """Owner-only (0600) from the first byte: the key never exists with wider permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.chmod(path, 0o600)


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(path.suffix + ".part")
    temp.write_bytes(data)
    os.replace(temp, path)


def agency_certificate(actor: Actor, agency: Agency, root: Path) -> AgencyCertificate:
    """The agency's active signing certificate; generated on first use (a demo-grade self-signed
    certificate: CN/O = agency name, serialNumber/OU = USCC, valid three years)."""
    current = db.session.scalar(
        select(AgencyCertificate)
        .where(AgencyCertificate.agency_id == agency.id, AgencyCertificate.is_active.is_(True))
        .order_by(AgencyCertificate.id.desc())
    )
    if current is not None and (root / current.key_path).is_file():
        return current
    if current is not None:
        current.is_active = False  # its key is gone: never sign with it again
    pair = signing.generate_key_pair(agency.name, agency.uscc, clock.now())
    relative = f"agency-{agency.id}/key-{pair.fingerprint[:16]}.pem"
    _write_private(root / relative, pair.key_pem)
    _write_file(
        root / f"agency-{agency.id}/cert-{pair.fingerprint[:16]}.pem", pair.certificate_pem.encode()
    )
    certificate = AgencyCertificate(
        agency_id=agency.id,
        certificate_pem=pair.certificate_pem,
        fingerprint_sha256=pair.fingerprint,
        key_path=relative,
        is_active=True,
        created_at=clock.now(),
    )
    db.session.add(certificate)
    db.session.flush()
    audit.record(
        actor,
        "create_agency_certificate",
        "agency",
        agency.id,
        {"fingerprint": pair.fingerprint},
    )
    return certificate


def sign_audit_run(actor: Actor, run: AuditRun, data: dict) -> AuditRun:
    """Render the audit report, sign it (PAdES, agency key), store it with its SHA-256; the run
    becomes read-only."""
    from anxun.audits import report

    _require_auditor(actor, run.agency_id)
    if data["expected_state"] != run.state:
        raise StaleState("审核状态已变化，请刷新后重试。", current_state=run.state)
    _require_open(run)
    conclusion = data["conclusion"].strip()
    if not conclusion:
        raise _invalid("conclusion", "请填写审核结论。")
    root = signing_root()
    agency = db.session.get(Agency, run.agency_id)
    certificate = agency_certificate(actor, agency, root)
    run.conclusion = conclusion
    run.signed_by_user_id = actor.user_id
    run.signed_at = clock.now()
    pdf = report.audit_report_pdf(run, signer_name=actor.display_name)
    signed = signing.sign_pdf(
        pdf,
        (root / certificate.key_path).read_bytes(),
        certificate.certificate_pem,
        signer_name=f"{agency.name} {actor.display_name}",
        reason=f"审核报告：{run.title}",
    )
    digest = signing.sha256(signed)
    relative = f"agency-{agency.id}/reports/audit-run-{run.id}-{digest[:12]}.pdf"
    storage.document_store().put_once(relative, signed)
    run.report_path = relative
    run.report_sha256 = digest
    run.signer_fingerprint = certificate.fingerprint_sha256
    run.state = SIGNED
    db.session.flush()
    audit.record(
        actor,
        "sign_audit_run",
        "audit_run",
        run.id,
        {"sha256": digest, "signer_fingerprint": certificate.fingerprint_sha256},
    )
    enterprise = db.session.get(Enterprise, run.enterprise_id)
    enqueue(
        "audit_report_signed",
        enterprise,
        "audit_run",
        run.id,
        {
            "audit_run_id": run.id,
            "agency": agency.name,
            "engagement_id": run.engagement_id,
            "title": run.title,
            "conclusion": run.conclusion,
            "sha256": digest,
            "signer_fingerprint": certificate.fingerprint_sha256,
            "signed_at": run.signed_at.isoformat(),
        },
    )
    return run


def signed_report(run: AuditRun) -> bytes:
    """The stored signed file, after checking it still has the hash recorded at signing."""
    if run.state != SIGNED:
        raise NotFound("该审核尚未签署报告。")
    try:
        data = storage.document_store().read(run.report_path)
    except (FileNotFoundError, KeyError) as exc:
        raise TamperedReport("签署的审核报告文件缺失。") from exc
    if signing.sha256(data) != run.report_sha256:
        raise TamperedReport("审核报告文件与签署时记录的哈希不一致，可能已被篡改。")
    return data


def trusted_certificates() -> list[str]:
    """Every agency certificate the platform ever issued: the trust roots of verification."""
    return list(db.session.scalars(select(AgencyCertificate.certificate_pem)))


def verify_report_bytes(data: bytes, run: AuditRun | None = None) -> dict:
    """Signature check against the registered agency certificates and, with a run, the hash and
    signer recorded at signing."""
    result = signing.verify_pdf(data, trusted_certificates())
    ok, message = result.ok, result.message
    sha_matches = None
    if run is not None:
        sha_matches = signing.sha256(data) == run.report_sha256
        if ok and not sha_matches:
            ok, message = False, "文件哈希与签署时记录的不一致。"
        elif ok and result.signer_fingerprint != run.signer_fingerprint:
            ok, message = False, "签名证书与签署时记录的机构证书不一致。"
    return {
        "ok": ok,
        "message": message,
        "sha256_matches": sha_matches,
        "signer_fingerprint": result.signer_fingerprint,
        "signer_name": result.signer_name,
    }


def verify_stored_report(run: AuditRun) -> dict:
    if run.state != SIGNED:
        raise NotFound("该审核尚未签署报告。")
    try:
        data = storage.document_store().read(run.report_path)
    except (FileNotFoundError, KeyError):
        return {"ok": False, "message": "签署的审核报告文件缺失。", "sha256_matches": False}
    return verify_report_bytes(data, run)
