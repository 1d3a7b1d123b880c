"""Checklist versions through the API: listing what applies, versions, uploads, PDF and Excel."""

import io
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from anxun.checklists.models import ChecklistVersion
from anxun.checklists.services import load_directory
from anxun.core.auth import SYSTEM
from anxun.core.uow import unit_of_work

SHIPPED = Path(__file__).resolve().parents[2] / "checklists"
OWN = """\
code: cj-hot-work
title: 澄江化工动火作业专项检查表
industry: hazardous_chemicals
version: "1"
applies_to: [special]
basis:
  - {code: GB30871, title: 危险化学品企业特殊作业安全规范, number: GB 30871-2022, status: in_force}
  - {code: QB-01, title: 本公司动火作业管理制度, status: in_force}
sections:
  - id: hot
    title: 动火作业
    items:
      - id: CJ-01
        text: 动火作业票经审批且在有效期内
        method: records
        category: management
        basis: [{doc: GB30871, clause: "5.2"}, {doc: QB-01, clause: 第三条}]
      - id: CJ-02
        text: 动火点周围可燃物已清理
        method: look
        category: environment
        basis: [{doc: QB-01, clause: 第五条}]
"""


@pytest.fixture
def shipped(world):
    """The world fixture already loaded the shipped checklists, as `make run` does."""


def yaml_post(client, headers, text, **query):
    return client.post(
        "/api/v1/checklists",
        data=text.encode(),
        content_type="application/yaml",
        headers=headers,
        query_string=query,
    )


def test_officer_sees_the_checklists_of_its_industry_and_general_ones(client, login_as, shipped):
    hc = client.get("/api/v1/checklists", headers=login_as("officer-hc")).get_json()
    assert [c["code"] for c in hc] == ["hazardous-chemicals", "seasonal-holiday"]
    assert hc[0]["major_count"] == 21
    assert hc[0]["item_count"] >= 45
    con = client.get("/api/v1/checklists", headers=login_as("officer-con")).get_json()
    assert [c["code"] for c in con] == ["construction", "construction-jgj59", "seasonal-holiday"]
    dust = client.get("/api/v1/checklists?industry=dust_explosion", headers=login_as("regulator"))
    assert [c["code"] for c in dust.get_json()] == ["dust-explosion", "seasonal-holiday"]


def test_reloading_unchanged_files_is_a_no_op(app, db, shipped):
    before = db.session.scalar(select(func.count(ChecklistVersion.id)))
    with unit_of_work():
        results = load_directory(SYSTEM, SHIPPED)
    assert [created for _, created in results] == [False] * 6
    assert db.session.scalar(select(func.count(ChecklistVersion.id))) == before == 6


def test_detail_returns_the_document_and_its_versions(client, login_as, shipped):
    body = client.get(
        "/api/v1/checklists/dust-explosion", headers=login_as("officer-dust")
    ).get_json()
    assert body["title"]
    assert len(body["version_hash"]) == 64
    items = [i for s in body["document"]["sections"] for i in s["items"]]
    assert len(items) == body["item_count"] >= 30
    majors = [i for i in items if i["major"]]
    assert all(i["basis"] for i in majors)
    assert [v["version_hash"] for v in body["versions"]] == [body["version_hash"]]


def test_detail_gives_field_users_only_verified_articles_and_lists_what_is_pending(
    client, login_as, shipped
):
    body = client.get(
        "/api/v1/checklists/hazardous-chemicals", headers=login_as("officer-hc")
    ).get_json()
    items = {i["id"]: i for s in body["document"]["sections"] for i in s["items"]}
    assert set(body["citations"]) == set(items)
    # The data keeps the pending marks; what people read holds back unverified articles.
    assert items["HC-MAJ-01"]["basis"][1] == {
        "doc": "AQ3067",
        "clause": "5.1.1",
        "verify": "pending",
    }
    assert body["citations"]["HC-MAJ-01"] == [
        {
            "text": "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》"
            "（安监总管三〔2017〕121号）",
            "is_clause_pending": True,
        },
        {
            "text": "《化工和危险化学品生产经营企业重大生产安全事故隐患判定准则》（AQ 3067—2026）",
            "is_clause_pending": True,
        },
    ]
    verified = [c for cs in body["citations"].values() for c in cs if not c["is_clause_pending"]]
    assert any(
        c["text"].startswith("《危险化学品企业特殊作业安全规范》（GB 30871—2022）")
        for c in verified
    )
    pending = {group["doc"]: group for group in body["pending_verification"]}
    assert pending["HC121"]["is_document_pending"] is True
    assert pending["HC121"]["field"] == "basis[0].verify"
    aq = pending["AQ3067"]["entries"][0]
    assert (aq["item_id"], aq["clause"], aq["reason"]) == (
        "HC-MAJ-01",
        "5.1.1",
        {"code": "clause", "label": "条款待核实"},
    )
    assert "GB30871" not in pending


def test_enterprise_upload_creates_a_private_version_and_new_content_a_new_one(
    client, login_as, shipped
):
    officer = login_as("officer-hc")
    created = yaml_post(client, officer, OWN)
    assert created.status_code == 201, created.get_json()
    first = created.get_json()
    assert first["created"] is True
    assert first["owner_enterprise_id"] is not None
    again = yaml_post(client, officer, "# same content, new comment\n" + OWN)
    assert again.status_code == 200
    assert again.get_json()["version_hash"] == first["version_hash"]
    changed = yaml_post(client, officer, OWN.replace("已清理", "已清理并设置围挡"))
    assert changed.status_code == 201
    second = changed.get_json()["version_hash"]
    assert second != first["version_hash"]

    latest = client.get("/api/v1/checklists/cj-hot-work", headers=officer).get_json()
    assert latest["version_hash"] == second
    assert [v["version_hash"] for v in latest["versions"]] == [second, first["version_hash"]]
    old = client.get(
        f"/api/v1/checklists/cj-hot-work?version={first['version_hash'][:10]}", headers=officer
    ).get_json()
    texts = [i["text"] for s in old["document"]["sections"] for i in s["items"]]
    assert "动火点周围可燃物已清理" in texts  # the old version renders as it was

    listed = client.get("/api/v1/checklists", headers=officer).get_json()
    assert "cj-hot-work" in [c["code"] for c in listed]
    other = client.get("/api/v1/checklists/cj-hot-work", headers=login_as("officer-dust"))
    assert other.status_code == 404
    hc = client.get("/api/v1/me", headers=officer).get_json()["memberships"][0]["enterprise_id"]
    regulator = client.get(
        f"/api/v1/checklists/cj-hot-work?enterprise_id={hc}", headers=login_as("regulator")
    )
    assert regulator.status_code == 200


def test_invalid_upload_gets_line_numbered_messages_and_stores_nothing(
    client, login_as, db, shipped
):
    bad = OWN.replace(
        "        category: environment\n", "        category: environment\n        major: true\n"
    )
    bad = bad.replace("basis: [{doc: QB-01, clause: 第五条}]", "basis: []")
    bad = bad.replace("method: records", "method: sniff")
    response = yaml_post(client, login_as("officer-hc"), bad)
    assert response.status_code == 422
    messages = [e["message"] for e in response.get_json()["errors"]]
    assert messages == [
        'upload.yaml:15: "method" 的值 "sniff" 无效，可选值：look、ask、measure、records',
        "upload.yaml:22: 重大事故隐患项（major: true）必须注明依据（basis）",
    ]
    assert [e["line"] for e in response.get_json()["errors"]] == [15, 22]
    assert db.session.scalar(select(func.count(ChecklistVersion.id))) == 6


def test_upload_may_not_reuse_a_shipped_code(client, login_as, shipped):
    response = yaml_post(
        client, login_as("officer-hc"), OWN.replace("cj-hot-work", "hazardous-chemicals")
    )
    assert response.status_code == 409
    assert "已被平台检查表使用" in response.get_json()["detail"]


def test_only_head_or_safety_officer_may_upload(client, login_as, shipped):
    assert yaml_post(client, login_as("rectifier-hc"), OWN).status_code == 403
    assert (
        yaml_post(client, login_as("regulator"), OWN).status_code == 422
    )  # no enterprise of its own


def test_blank_form_pdf_has_embedded_chinese_fonts_and_text(client, login_as, shipped, tmp_path):
    response = client.get(
        "/api/v1/checklists/confined-space/form.pdf", headers=login_as("officer-cs")
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(response.data)
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert any("CJK" in line and " yes " in line for line in fonts.splitlines()[2:])
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "重大隐患判定项" in text
    assert "有限空间" in text


def test_excel_export_lists_every_item(client, login_as, shipped):
    response = client.get(
        "/api/v1/checklists/hazardous-chemicals/export.xlsx", headers=login_as("officer-hc")
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    sheet = book["检查表"]
    detail = client.get(
        "/api/v1/checklists/hazardous-chemicals", headers=login_as("officer-hc")
    ).get_json()
    assert sheet.max_row - 1 == detail["item_count"]


def test_unknown_checklist_or_version_is_404(client, login_as, shipped):
    headers = login_as("officer-hc")
    assert client.get("/api/v1/checklists/nope", headers=headers).status_code == 404
    missing = client.get(
        "/api/v1/checklists/hazardous-chemicals?version=deadbeefdeadbeef", headers=headers
    )
    assert missing.status_code == 404


def test_a_private_version_is_submitted_by_its_enterprise_only(client, login_as, shipped):
    """The submit reads the enterprise and the named version in one statement (issue #18): the
    owner's version is found, another enterprise naming the same hash gets 422."""
    from tests.inspection_helpers import payload

    officer = login_as("officer-hc")
    assert yaml_post(client, officer, OWN).status_code == 201
    detail = client.get("/api/v1/checklists/cj-hot-work", headers=officer).get_json()
    own = client.post("/api/v1/inspections", json=payload(detail), headers=officer)
    assert own.status_code == 201, own.get_json()
    other = client.post(
        "/api/v1/inspections", json=payload(detail), headers=login_as("officer-dust")
    )
    assert other.status_code == 422
    assert [e["field"] for e in other.get_json()["errors"]] == ["checklist_version"]
    unknown = client.post(
        "/api/v1/inspections",
        json={**payload(detail), "checklist_version": "0" * 64},
        headers=officer,
    )
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.get_json()["errors"]] == ["checklist_version"]
