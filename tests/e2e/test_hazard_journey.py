"""The closed loop across phone and desk (#17), driven from the UI alone: officer-hc fails an item
on the phone, the head confirms it and writes the 五定 plan on the desk, rectifier-hc rectifies on
his phone, the head verifies on the desk, and the ledger shows it closed. A major hazard goes
through the governance plan and the head's approval to 整改中 and, once verified, to 待核销."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    fill_with_one_failure,
    first_page,
    fixture_photo,
    login,
    open_task_at,
    submit_inspection,
)
from tests.e2e.workspace_helpers import open_workspace

pytestmark = pytest.mark.e2e
# Waits that include a round trip to the server (sync, a fresh view) on a busy machine.
SERVER = 20000


def user_id(live, username: str) -> int:
    """Read-only lookup of a demo account's id (the option value of the responsible person)."""
    from sqlalchemy import select

    from anxun.accounts.models import User

    return live.query(lambda s: s.scalar(select(User.id).filter_by(username=username)))


def phone_raises_a_hazard(browser, live, photo) -> str:
    """officer-hc fails HC-01A with a photo on today's task; returns the synced hazard's id."""
    page = first_page(browser("phone-officer"))
    login(page, live.url, "officer-hc")
    open_task_at(page, "罐区 T-101 储罐")
    fill_with_one_failure(page, photo)
    submit_inspection(page)
    record = page.locator("article.record.highlight")
    expect(record).to_have_attribute("data-state", "synced", timeout=SERVER)
    record.locator("a.raised-hazards").click()
    rows = page.locator("section[data-group=inspection] a[data-hazard-id]")
    expect(rows).to_have_count(1, timeout=SERVER)
    return rows.first.get_attribute("data-hazard-id")


def open_on_desk(desk, hazard_id: str):
    row = desk.locator(f'[data-testid="ledger-row"][data-id="{hazard_id}"]')
    expect(row).to_have_attribute("data-state", "reported", timeout=SERVER)
    row.get_by_test_id("ledger-open").click()
    expect(desk.get_by_test_id("hazard-source")).to_have_text("企业自查")
    return row


def confirm_on_desk(desk, level: str, deadline: str) -> None:
    form = desk.get_by_test_id("hz-form-confirm")
    form.get_by_test_id("hz-level").select_option(level)
    form.get_by_test_id("hz-category").select_option("thing")
    form.get_by_test_id("hz-deadline").fill(deadline)
    form.get_by_test_id("hz-submit-confirm").click()


def fill_five_fixes(form, rectifier_id: int, deadline: str) -> None:
    form.get_by_test_id("hz-responsible_user_id").select_option(str(rectifier_id))
    form.get_by_test_id("hz-measures").fill("更换动火作业票，期限改为 8 小时以内")
    form.get_by_test_id("hz-funds").fill("800")
    form.get_by_test_id("hz-deadline").fill(deadline)
    form.get_by_test_id("hz-contingency").fill("整改期间暂停动火作业")


def rectifier_submits_on_the_phone(browser, live, hazard_id: str, photo) -> None:
    page = first_page(browser("phone-rectifier"))
    login(page, live.url, "rectifier-hc")
    page.goto(live.url + "/#/hazards?tab=todo")
    page.locator(f'section[data-group=mine] a[data-hazard-id="{hazard_id}"]').click(timeout=SERVER)
    rectify = page.locator('form.action-form[data-action="submit_rectification"]')
    rectify.wait_for(timeout=SERVER)
    rectify.locator("input[type=file]").set_input_files(str(photo))
    rectify.locator(".photos img").wait_for()
    rectify.locator("#note-submit_rectification").fill("作业票已重开，有效期 8 小时")
    rectify.locator("button[type=submit]").click()
    expect(page.locator("section.queued-action")).to_have_attribute(
        "data-state", "synced", timeout=SERVER
    )
    page.context.close()


def verify_on_desk(desk) -> None:
    desk.reload()
    expect(desk.get_by_test_id("before-img")).to_have_attribute("data-state", "loaded")
    expect(desk.get_by_test_id("after-img")).to_have_attribute("data-state", "loaded")
    desk.get_by_test_id("hz-submit-verify_pass").click()


def test_a_failed_item_on_the_phone_is_closed_through_the_desk(live, today, browser, tmp_path):
    photo = fixture_photo(tmp_path / "site.jpg")
    rectifier_id = user_id(live, "rectifier-hc")
    deadline = (date.today() + timedelta(days=7)).isoformat()
    hazard_id = phone_raises_a_hazard(browser, live, photo)

    desk = open_workspace(browser, live, "head-hc", "#/ledger")
    row = open_on_desk(desk, hazard_id)
    confirm_on_desk(desk, "general", deadline)
    plan = desk.get_by_test_id("hz-form-plan")
    fill_five_fixes(plan, rectifier_id, deadline)
    plan.get_by_test_id("hz-submit-plan").click()
    expect(desk.locator("dl.facts")).to_contain_text("更换动火作业票")
    expect(desk.get_by_test_id("hz-form-plan")).to_have_count(0)

    rectifier_submits_on_the_phone(browser, live, hazard_id, photo)

    verify_on_desk(desk)
    expect(desk.get_by_test_id("hazard-actions")).to_contain_text("该隐患已销号")
    history = desk.get_by_test_id("hazard-transition")
    expect(history).to_have_count(5)
    assert history.evaluate_all("(rows) => rows.map((r) => r.dataset.action)") == [
        "report",
        "confirm",
        "plan",
        "submit_rectification",
        "verify_pass",
    ]
    desk.get_by_test_id("nav-ledger").click()
    expect(row).to_have_attribute("data-state", "closed")


def test_a_major_hazard_reaches_signoff_through_the_heads_approval(live, today, browser, tmp_path):
    photo = fixture_photo(tmp_path / "site.jpg")
    rectifier_id = user_id(live, "rectifier-hc")
    deadline = (date.today() + timedelta(days=30)).isoformat()
    hazard_id = phone_raises_a_hazard(browser, live, photo)

    # The safety officer confirms it as major and submits the governance plan …
    officer = open_workspace(browser, live, "officer-hc", "#/ledger")
    open_on_desk(officer, hazard_id)
    confirm_on_desk(officer, "major", deadline)
    plan = officer.get_by_test_id("hz-form-submit_plan")
    fill_five_fixes(plan, rectifier_id, deadline)
    plan.get_by_test_id("hz-governance_plan_id").set_input_files(str(photo))
    plan.get_by_test_id("hz-submit-submit_plan").click()
    expect(officer.locator("dl.facts")).to_contain_text("更换动火作业票", timeout=SERVER)
    # Submitted, it waits on the head: the officer has no approval form.
    expect(officer.get_by_test_id("hz-form-approve_plan")).to_have_count(0)
    officer.context.close()

    # … which only the head approves: 整改中.
    head = open_workspace(browser, live, "head-hc", "#/ledger")
    row = head.locator(f'[data-testid="ledger-row"][data-id="{hazard_id}"]')
    expect(row).to_have_attribute("data-state", "confirmed", timeout=SERVER)
    row.get_by_test_id("ledger-open").click()
    head.get_by_test_id("hz-submit-approve_plan").click()
    expect(head.get_by_test_id("hz-form-approve_plan")).to_have_count(0, timeout=SERVER)
    head.get_by_test_id("nav-ledger").click()
    expect(row).to_have_attribute("data-state", "rectifying", timeout=SERVER)

    rectifier_submits_on_the_phone(browser, live, hazard_id, photo)

    row.get_by_test_id("ledger-open").click()
    verify_on_desk(head)
    head.get_by_test_id("nav-ledger").click()
    expect(row).to_have_attribute("data-state", "awaiting_signoff", timeout=SERVER)
