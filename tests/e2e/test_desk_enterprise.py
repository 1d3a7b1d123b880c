"""The enterprise's desk at /desk/: the old /regulator/ address, the ledger, the hazard loop."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import PASSWORD, api_login, first_page
from tests.e2e.workspace_helpers import DESKTOP, open_workspace
from tests.inspection_helpers import jpeg_bytes, payload, upload_photo

pytestmark = pytest.mark.e2e


def test_an_enterprise_account_opening_the_old_address_lands_on_its_desk(live, browser):
    client = live.app.test_client()
    rectifier_id = client.get("/api/v1/me", headers=api_login(client, "rectifier-hc")).json["id"]
    context = browser("desk-head", viewport=DESKTOP, is_mobile=False, service_workers="block")
    page = first_page(context)
    page.goto(live.url + "/regulator/")
    expect(page).to_have_url(live.url + "/desk/")
    page.get_by_test_id("login-username").fill("head-hc")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()

    expect(page.get_by_test_id("screen-ledger")).to_be_visible()
    expect(page.locator("#brand")).to_have_text("安巡 · 企业工作台")
    expect(page.get_by_test_id("nav-ledger")).to_have_class("active")
    expect(page.get_by_test_id("nav-overview")).to_have_count(0)
    expect(page.get_by_text("无权")).to_have_count(0)
    expect(page.get_by_test_id("ledger-count-total")).to_be_visible()

    # The head's other screens answer from the API without a problem.
    page.get_by_test_id("nav-documents").click()
    expect(page.get_by_test_id("docs-ledger-pdf")).to_be_visible()
    expect(page.get_by_test_id("docs-orders-table")).to_be_visible()
    expect(page.get_by_test_id("docs-inspections-table")).to_be_visible()
    expect(page.get_by_test_id("docs-audits-table")).to_be_visible()
    page.get_by_test_id("nav-grade").click()
    expect(page.get_by_test_id("grade-components")).to_be_visible()
    expect(page.get_by_test_id("effectiveness-line")).to_have_count(3)
    expect(page.get_by_test_id("effectiveness-explanation")).to_contain_text("E = (")
    page.get_by_test_id("nav-people").click()
    rectifier = page.locator('[data-testid="people-row"][data-username="rectifier-hc"]')
    rectifier.get_by_test_id(f"u{rectifier_id}-role-inspector").check()
    rectifier.get_by_test_id("people-save-roles").click()
    expect(page.get_by_test_id("toast")).to_have_text("角色已保存")
    page.once("dialog", lambda dialog: dialog.accept())
    rectifier.get_by_test_id("people-reset").click()
    expect(page.get_by_test_id("people-initial-password")).not_to_be_empty()
    expect(rectifier).to_contain_text("待改密码")
    assert page.locator('[data-testid="problem"]').count() == 0
    me = client.get("/api/v1/me", headers=api_login(client, "head-hc")).json
    staff = client.get(
        f"/api/v1/enterprises/{me['memberships'][0]['enterprise_id']}/users",
        headers=api_login(client, "head-hc"),
    ).json
    roles = next(u for u in staff if u["id"] == rectifier_id)["memberships"]
    assert sorted(m["role"]["code"] for m in roles) == ["inspector", "rectifier"]


def raise_hazard_from_a_failed_item(client) -> str:
    """Setup: officer-hc records an inspection with one failed item (the phone's part, by API)."""
    officer = api_login(client, "officer-hc")
    detail = client.get("/api/v1/checklists/hazardous-chemicals", headers=officer).get_json()
    photo = upload_photo(client, officer, jpeg_bytes((200, 30, 30), (640, 480)))
    body = payload(detail, failures={"HC-01A": [photo]})
    response = client.post("/api/v1/inspections", json=body, headers=officer)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["hazards"][0]["id"]


def phone_submits_the_rectification(client, hazard_id: str) -> None:
    """The rectifier's submission — the phone's part of the loop (tested in the phone's own
    browser tests), done here through the same API call the phone makes."""
    rectifier = api_login(client, "rectifier-hc")
    after = upload_photo(client, rectifier, jpeg_bytes((30, 160, 60), (640, 480)))
    response = client.post(
        f"/api/v1/hazards/{hazard_id}/transitions",
        json={
            "action": "submit_rectification",
            "expected_state": "rectifying",
            "after_media_ids": [after],
            "note": "已更换防护罩",
        },
        headers=rectifier,
    )
    assert response.status_code == 200, response.get_json()


def test_a_failed_item_is_driven_to_closure_on_the_desk(live, browser):
    client = live.app.test_client()
    hazard_id = raise_hazard_from_a_failed_item(client)
    rectifier_id = client.get("/api/v1/me", headers=api_login(client, "rectifier-hc")).json["id"]
    deadline = (date.today() + timedelta(days=14)).isoformat()
    page = open_workspace(browser, live, "head-hc")

    row = page.locator(f'[data-testid="ledger-row"][data-id="{hazard_id}"]')
    expect(row).to_have_attribute("data-state", "reported")
    row.get_by_test_id("ledger-open").click()
    expect(page.get_by_test_id("hazard-source")).to_have_text("企业自查")
    form = page.get_by_test_id("hz-form-confirm")
    form.get_by_test_id("hz-level").select_option("general")
    form.get_by_test_id("hz-category").select_option("thing")
    form.get_by_test_id("hz-deadline").fill(deadline)
    form.get_by_test_id("hz-submit-confirm").click()

    form = page.get_by_test_id("hz-form-plan")
    form.get_by_test_id("hz-responsible_user_id").select_option(str(rectifier_id))
    form.get_by_test_id("hz-measures").fill("更换破损防护罩，加装联锁")
    form.get_by_test_id("hz-funds").fill("1500")
    form.get_by_test_id("hz-deadline").fill(deadline)
    form.get_by_test_id("hz-contingency").fill("整改期间设置警戒区")
    form.get_by_test_id("hz-submit-plan").click()
    expect(page.get_by_test_id("hz-form-submit_rectification")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("更换破损防护罩，加装联锁")

    phone_submits_the_rectification(client, hazard_id)

    page.reload()
    expect(page.get_by_test_id("before-img")).to_have_attribute("data-state", "loaded")
    expect(page.get_by_test_id("after-img")).to_have_attribute("data-state", "loaded")
    widths = page.locator(".full-photo").evaluate_all("(imgs) => imgs.map((i) => i.naturalWidth)")
    assert widths == [640, 640]  # the full photos, not thumbnails
    page.get_by_test_id("hz-submit-verify_pass").click()

    expect(page.get_by_test_id("hazard-actions")).to_contain_text("该隐患已销号")
    history = page.get_by_test_id("hazard-transition")
    expect(history).to_have_count(5)
    assert history.evaluate_all("(rows) => rows.map((r) => r.dataset.action)") == [
        "report",
        "confirm",
        "plan",
        "submit_rectification",
        "verify_pass",
    ]
    expect(history.nth(2)).to_contain_text("措施：更换破损防护罩，加装联锁")
    page.get_by_test_id("nav-ledger").click()
    expect(row).to_have_attribute("data-state", "closed")


def test_the_ledger_filters_and_exports_a_pdf(live, browser):
    client = live.app.test_client()
    officer = api_login(client, "officer-hc")
    for title in ("消防通道堵塞", "配电柜门未关闭"):
        photo = upload_photo(client, officer)
        body = {"id": str(uuid.uuid4()), "title": title, "media_ids": [photo]}
        assert client.post("/api/v1/hazards", json=body, headers=officer).status_code == 201
    page = open_workspace(browser, live, "officer-hc", "#/ledger")
    rows = page.get_by_test_id("ledger-row")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("ledger-count-reported")).to_contain_text("2")

    page.get_by_test_id("ledger-filter-q").fill("配电柜")
    page.get_by_test_id("ledger-filter-source").select_option("direct")
    page.get_by_test_id("ledger-apply").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("配电柜门未关闭")
    expect(page.get_by_test_id("ledger-count-total")).to_contain_text("1")
    assert "q=" in page.url and "source=direct" in page.url

    with page.expect_download() as caught:
        page.get_by_test_id("ledger-export-pdf").click()
    download = caught.value
    assert download.suggested_filename == "隐患台账.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
