"""Signed audit reports: the CLI verifies them against the agency certificates in the database,
and refuses a file changed by one byte, extended after signing, or not signed at all."""

from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import select

from anxun.audits import services
from anxun.audits.models import AuditRun
from anxun.extensions import db
from tests.factories_hazards import actor, make_media


@pytest.fixture
def signed(app, world, tmp_path):
    """A signed run of hc with one finding (with a photo whose file is missing)."""
    app.config["ANXUN_SIGNING_DIR"] = str(tmp_path / "signing")
    app.config["ANXUN_MEDIA_DIR"] = str(tmp_path / "media")
    with app.test_request_context():
        auditor = actor("auditor")
        run = services.open_audit_run(
            auditor,
            {
                "engagement_id": world["engagement"],
                "enterprise_id": world["enterprise"]["hc"],
                "title": "年度审核",
                "scope": "全厂",
                "method": "现场检查",
            },
        )
        services.record_finding(
            auditor,
            run,
            {
                "title": "静电接地线断开",
                "description": "装卸区接地夹损坏。",
                "basis": "《危险化学品企业安全风险隐患排查治理导则》",
                "proposed_level": "major",
                "media_ids": [make_media(world["enterprise"]["hc"])],
            },
        )
        services.sign_audit_run(
            auditor, run, {"conclusion": "存在重大隐患1项。", "expected_state": "open"}
        )
        db.session.commit()
        path = tmp_path / "signing" / run.report_path
        return {"run": run.id, "path": path}


def _verify(app, *args):
    return app.test_cli_runner().invoke(args=["anxun", "audits", "verify", *map(str, args)])


def test_the_signed_report_verifies(app, signed):
    result = _verify(app, signed["path"], "--run", signed["run"])
    assert result.exit_code == 0, result.output
    assert "验证通过" in result.output
    with app.app_context():
        run = db.session.get(AuditRun, signed["run"])
        assert run.state == "signed"
        assert services.signing.sha256(signed["path"].read_bytes()) == run.report_sha256


@pytest.mark.parametrize("where", [0.25, 0.5, 0.9])
def test_one_changed_byte_fails_verification(app, signed, tmp_path, where):
    data = bytearray(signed["path"].read_bytes())
    data[int(len(data) * where)] ^= 0x01
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(bytes(data))
    result = _verify(app, changed)
    assert result.exit_code == 1, result.output
    assert "验证失败" in result.output
    assert _verify(app, changed, "--run", signed["run"]).exit_code == 1


def test_appended_content_and_unsigned_files_fail(app, signed, tmp_path):
    extended = tmp_path / "extended.pdf"
    extended.write_bytes(signed["path"].read_bytes() + b"\n%%appended\n")
    result = _verify(app, extended)
    assert result.exit_code == 1
    assert "未覆盖整个文件" in result.output

    from anxun.reports.render import render_pdf

    plain = tmp_path / "plain.pdf"
    plain.write_bytes(render_pdf("base.html", {}, title="未签名"))
    assert _verify(app, plain).exit_code == 1


def test_an_unknown_certificate_is_not_trusted(app, signed):
    from anxun.audits.models import AgencyCertificate

    with app.app_context():
        db.session.execute(AgencyCertificate.__table__.delete())
        db.session.commit()
    result = _verify(app, signed["path"])
    assert result.exit_code == 1
    assert "不是本平台登记的机构证书" in result.output


def test_the_report_embeds_a_cjk_font_and_the_signature(app, signed):
    fonts = subprocess.run(
        ["pdffonts", str(signed["path"])], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert [line for line in fonts if "CJK" in line and line.split()[-5] == "yes"], fonts
    data = signed["path"].read_bytes()
    assert b"/ByteRange" in data
    assert b"/adbe.pkcs7.detached" in data or b"/ETSI.CAdES.detached" in data
    with app.app_context():
        assert db.session.scalar(select(AuditRun.signer_fingerprint))
