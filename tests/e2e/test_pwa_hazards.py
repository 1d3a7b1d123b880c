"""我的隐患 through the UI: the rectifier submits after-photos, the verifier rejects with a reason
and later passes, the head approves a major hazard's governance plan."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import api_login, first_page, fixture_photo, login, screenshot
from tests.inspection_helpers import payload, upload_photo

pytestmark = pytest.mark.e2e


def _transition(client, headers, hazard_id, action, expected_state, **fields):
    body = {"action": action, "expected_state": expected_state, "client_id": str(uuid.uuid4())}
    response = client.post(
        f"/api/v1/hazards/{hazard_id}/transitions", json={**body, **fields}, headers=headers
    )
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()


def _user_id(client, username):
    return client.get("/api/v1/me", headers=api_login(client, username)).get_json()["id"]


def hazards_in_rectification(live) -> dict:
    """Through the API: a general hazard being rectified by rectifier-hc, and a major one whose
    governance plan waits for the head's approval."""
    from anxun.core import clock

    client = live.app.test_client()
    officer = api_login(client, "officer-hc")
    detail = client.get("/api/v1/checklists/hazardous-chemicals", headers=officer).get_json()
    photo = upload_photo(client, officer)
    body = payload(detail, failures={"HC-01A": [photo], "HC-MAJ-02": [photo]})
    response = client.post("/api/v1/inspections", json=body, headers=officer)
    assert response.status_code == 201, response.get_json()
    by_item = {h["item_id"]: h["id"] for h in response.get_json()["hazards"]}
    deadline = (clock.today_local() + timedelta(days=7)).isoformat()
    rectifier = _user_id(client, "rectifier-hc")
    plan = {
        "responsible_user_id": rectifier,
        "measures": "重新开具动火作业票，有效期不超过 8 小时",
        "funds": 0,
        "deadline": deadline,
        "contingency": "发现违规动火立即停止作业",
    }
    general = by_item["HC-01A"]
    _transition(
        client,
        officer,
        general,
        "confirm",
        "reported",
        level="general",
        category="management",
        deadline=deadline,
    )
    _transition(client, officer, general, "plan", "confirmed", **plan)
    major = by_item["HC-MAJ-02"]
    governance = upload_photo(client, officer)
    _transition(
        client,
        officer,
        major,
        "confirm",
        "reported",
        level="major",
        category="management",
        deadline=deadline,
    )
    _transition(
        client, officer, major, "submit_plan", "confirmed", governance_plan_id=governance, **plan
    )
    return {"general": general, "major": major}


def hazard_state(live, hazard_id):
    from anxun.hazards.models import Hazard

    return live.query(lambda s: s.get(Hazard, uuid.UUID(hazard_id)).state)


def act(page, hazard_id, action, *, note=None, reason=None, photo=None):
    """Open the hazard (fresh from the server) and take the action through its form."""
    base = page.url.split("#")[0]
    # Through another screen, so the hazard screen mounts afresh even if it was open.
    page.goto(base + "#/records")
    page.goto(base + f"#/hazard/{hazard_id}")
    form = page.locator(f'form.action-form[data-action="{action}"]')
    form.wait_for()
    if photo:
        form.locator("input[type=file]").set_input_files(str(photo))
        form.locator(".photos img").wait_for()
    if note:
        form.locator("textarea").first.fill(note)
    if reason:
        form.locator(f"#reason-{action}").fill(reason)
    form.locator("button[type=submit]").click()
    page.locator("section.queued-action").wait_for()


# Codes and account names people must never read (issue #13).
RAW_CODES = (
    "reported",
    "rectifying",
    "pending_verification",
    "closed",
    "verify_reject",
    "officer-hc",
    "rectifier-hc",
    "safety_officer",
)


def test_rectify_reject_rectify_pass_and_approve_through_the_ui(live, today, browser, tmp_path):
    photo = fixture_photo(tmp_path / "after.jpg")
    ids = hazards_in_rectification(live)
    general = ids["general"]

    rectifier = first_page(browser("rectifier"))
    login(rectifier, live.url, "rectifier-hc")
    rectifier.goto(live.url + "/#/hazards?tab=todo")
    rectifier.locator(f'section[data-group="mine"] a[data-hazard-id="{general}"]').wait_for()
    screenshot(rectifier, "08-my-hazards")
    # Without an after-photo the form refuses.
    rectifier.goto(live.url + f"/#/hazard/{general}")
    form = rectifier.locator('form.action-form[data-action="submit_rectification"]')
    form.locator("textarea").fill("已重新开票")
    form.locator("button[type=submit]").click()
    expect(form.locator("p.error")).to_have_text("请拍摄至少一张整改后照片。")
    act(rectifier, general, "submit_rectification", note="已重新开具动火作业票", photo=photo)
    screenshot(rectifier, "09-rectification-submitted")
    rectifier.goto(live.url + "/#/records")
    rectifier.locator("article.record[data-state=synced]").wait_for()
    assert hazard_state(live, general) == "pending_verification"

    verifier = first_page(browser("verifier"))
    login(verifier, live.url, "officer-hc")
    verifier.goto(live.url + "/#/hazards?tab=verify")
    verifier.locator(f'section[data-group="verify"] a[data-hazard-id="{general}"]').wait_for()
    act(verifier, general, "verify_reject", reason="照片未显示作业票有效期")
    verifier.locator("text=照片未显示作业票有效期").wait_for(timeout=20000)
    assert hazard_state(live, general) == "rectifying"
    # The rectifier's notice and the hazard view speak in labels and names (issue #13).
    rectifier.goto(live.url + "/#/hazards")
    notices = rectifier.locator("section.notices")
    expect(notices).to_contain_text("验收不通过，请重新整改")
    for raw in RAW_CODES:
        expect(notices).not_to_contain_text(raw)

    act(rectifier, general, "submit_rectification", note="补拍作业票有效期", photo=photo)
    rectifier.locator("text=说明：补拍作业票有效期").wait_for(timeout=20000)
    assert hazard_state(live, general) == "pending_verification"

    act(verifier, general, "verify_pass", note="复查合格")
    verifier.locator("dd", has_text="已销号").wait_for(timeout=20000)
    for raw in RAW_CODES:
        expect(verifier.locator("main#view")).not_to_contain_text(raw)
    screenshot(verifier, "10-hazard-closed")
    assert hazard_state(live, general) == "closed"

    head = first_page(browser("head"))
    login(head, live.url, "head-hc")
    head.goto(live.url + "/#/hazards?tab=todo")
    head.locator(f'section[data-group="approve"] a[data-hazard-id="{ids["major"]}"]').wait_for()
    act(head, ids["major"], "approve_plan", note="同意治理方案")
    head.locator("dd", has_text="整改中").wait_for(timeout=20000)
    assert hazard_state(live, ids["major"]) == "rectifying"
