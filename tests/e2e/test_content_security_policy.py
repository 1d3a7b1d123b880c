"""The app under its own Content-Security-Policy: every screen loads with no violation reported."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import first_page, login
from tests.e2e.workspace_helpers import DESKTOP, workspace_login

pytestmark = pytest.mark.e2e


def _watch(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_the_phone_app_runs_under_the_policy(live, today, browser):
    page = first_page(browser("csp-phone", bypass_csp=False))
    violations = _watch(page)
    login(page, live.url, "officer-hc")
    page.locator("section.place-group").first.wait_for()
    for tab in ("hazards", "records", "permits", "incident", "orders", "settings"):
        page.locator(f'nav.tabs a[data-tab="{tab}"]').click()
        page.locator(f'nav.tabs a[data-tab="{tab}"][aria-current="page"]').wait_for()
        page.locator("#view h1").first.wait_for()
    assert violations == []


def test_the_workspace_and_public_pages_run_under_the_policy(live, browser):
    from anxun.orgs.models import Enterprise

    context = browser(
        "csp-desk", viewport=DESKTOP, is_mobile=False, service_workers="block", bypass_csp=False
    )
    page = first_page(context)
    violations = _watch(page)
    workspace_login(page, live.url, "regulator", "#/overview")
    page.get_by_test_id("kpi-enterprises").wait_for()
    hc = live.query(
        lambda s: s.query(Enterprise.id).filter_by(name="宁波澄江化工有限公司").scalar()
    )
    for route, ready in (
        ("#/map", "map-chart"),
        (f"#/enterprise/{hc}?tab=risk", "grade-explanation"),
        ("#/patrols", "screen-patrols"),
        ("#/spot-checks", "screen-spot-checks"),
    ):
        page.evaluate("(hash) => { location.hash = hash; }", route)
        page.get_by_test_id(ready).wait_for()
    for path in ("/public/major-hazards", "/public/spot-checks"):
        page.goto(live.url + path)
        # The script ran (inline or not) once the status line has left "正在加载…".
        page.locator('[data-testid="public-status"]:not(:text("正在加载"))').wait_for()
    page.goto(live.url + "/api/v1/docs")
    # docs.js ran: the operations list replaced "正在加载…" with one <details> per operation.
    expect(page.locator("#ops details").first).to_be_visible()
    assert violations == []
