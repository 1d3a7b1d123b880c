"""Password change in both front-ends: forced after an admin reset, voluntary from settings."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import PASSWORD, api_login, first_page, login, screenshot
from tests.e2e.workspace_helpers import DESKTOP, workspace_login

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "my-own-secret-7"


def reset_password(live, admin: str, username: str) -> str:
    """The head (or platform admin) resets a password through the API; returns the generated one."""
    from anxun.accounts.models import User

    client = live.app.test_client()
    user_id = live.query(lambda s: s.query(User.id).filter(User.username == username).scalar())
    response = client.post(
        f"/api/v1/users/{user_id}/password-reset", headers=api_login(client, admin)
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()["initial_password"]


def api_login_answer(live, username: str, password: str):
    return live.app.test_client().post(
        "/api/v1/auth/login", json={"username": username, "password": password}
    )


def test_the_phone_asks_for_a_new_password_at_first_login_after_a_reset(live, browser):
    generated = reset_password(live, "head-hc", "rectifier-hc")
    page = first_page(browser("rectifier"))
    page.goto(live.url + "/")
    page.fill("#username", "rectifier-hc")
    page.fill("#password", generated)
    page.click("form.login button[type=submit]")

    expect(page.get_by_role("heading", name="请先修改密码")).to_be_visible()
    expect(page.locator("nav.tabs")).to_be_hidden()
    page.fill("#current-password", "not-the-right-one")
    page.fill("#new-password", NEW_PASSWORD)
    page.fill("#new-password-again", NEW_PASSWORD)
    page.click("form.login button[type=submit]")
    expect(page.locator("#current-password-error")).to_have_text("当前密码不正确。")
    screenshot(page, "pwa-forced-password-change")

    page.fill("#current-password", generated)
    page.click("form.login button[type=submit]")
    expect(page.locator("nav.tabs")).to_be_visible()
    expect(page.locator('nav.tabs a[data-tab="tasks"]')).to_have_attribute("aria-current", "page")

    answer = api_login_answer(live, "rectifier-hc", NEW_PASSWORD)
    assert answer.status_code == 200
    assert answer.get_json()["must_change_password"] is False


def test_the_phone_changes_the_password_from_settings(live, browser):
    page = first_page(browser("officer"))
    login(page, live.url, "officer-hc")
    page.locator('nav.tabs a[data-tab="settings"]').click()
    page.get_by_test_id("open-password").click()
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    page.fill("#current-password", PASSWORD)
    page.fill("#new-password", NEW_PASSWORD)
    page.fill("#new-password-again", NEW_PASSWORD + "x")
    page.click("form.login button[type=submit]")
    expect(page.locator("#new-password-again-error")).to_have_text("两次输入的新密码不一致。")
    page.fill("#new-password-again", NEW_PASSWORD)
    page.click("form.login button[type=submit]")
    expect(page.get_by_test_id("open-password")).to_be_visible()  # back on 设置
    assert api_login_answer(live, "officer-hc", PASSWORD).status_code == 401
    assert api_login_answer(live, "officer-hc", NEW_PASSWORD).status_code == 200


def test_the_desk_asks_for_a_new_password_at_first_login_after_a_reset(live, browser):
    generated = reset_password(live, "admin", "regulator")
    context = browser("desk-forced", viewport=DESKTOP, is_mobile=False, service_workers="block")
    page = first_page(context)
    page.goto(live.url + "/desk/")
    page.get_by_test_id("login-username").fill("regulator")
    page.get_by_test_id("login-password").fill(generated)
    page.get_by_test_id("login-submit").click()

    expect(page.get_by_test_id("password-form")).to_be_visible()
    expect(page.locator("#top")).to_be_hidden()
    page.get_by_test_id("pw-current").fill(generated)
    page.get_by_test_id("pw-new").fill("short")
    page.get_by_test_id("pw-again").fill("short")
    page.get_by_test_id("pw-submit").click()
    expect(page.get_by_test_id("pw-new-error")).to_have_text("新密码至少 8 位。")
    page.get_by_test_id("pw-new").fill(NEW_PASSWORD)
    page.get_by_test_id("pw-again").fill(NEW_PASSWORD)
    page.get_by_test_id("pw-submit").click()

    expect(page.locator("#top")).to_be_visible()
    expect(page.locator('section.screen[data-screen="overview"]')).to_be_visible()
    assert (
        api_login_answer(live, "regulator", NEW_PASSWORD).get_json()["must_change_password"]
        is False
    )


def test_the_desk_changes_the_password_from_the_header_link(live, browser):
    context = browser("desk-voluntary", viewport=DESKTOP, is_mobile=False, service_workers="block")
    page = first_page(context)
    workspace_login(page, live.url, "regulator")
    page.get_by_test_id("change-password").click()
    page.get_by_test_id("pw-current").fill(PASSWORD)
    page.get_by_test_id("pw-new").fill(NEW_PASSWORD)
    page.get_by_test_id("pw-again").fill(NEW_PASSWORD)
    page.get_by_test_id("pw-submit").click()
    expect(page.get_by_test_id("toast")).to_have_text("密码已修改。")
    expect(page.locator('section.screen[data-screen="overview"]')).to_be_visible()
    assert api_login_answer(live, "regulator", PASSWORD).status_code == 401
    assert api_login_answer(live, "regulator", NEW_PASSWORD).status_code == 200
