"""A printed inspection record's QR (issue #13): scanned by a regulator, the workspace opens on
that record, highlighted and in view, even when it is far down the enterprise's list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import PASSWORD, screenshot
from tests.e2e.workspace_helpers import DESKTOP

pytestmark = pytest.mark.e2e


def seed_records(live) -> dict:
    """hc: an older inspection with a failed item, then 25 newer ones (more than a page)."""
    from anxun.accounts.models import User
    from anxun.core.public_url import public_base_url
    from anxun.extensions import db
    from anxun.orgs.models import Enterprise
    from anxun.reports.documents import record_url
    from tests import factories_documents as f

    with live.app.app_context():
        hc = db.session.query(Enterprise).filter_by(name="宁波澄江化工有限公司").one()
        officer = db.session.query(User).filter_by(username="officer-hc").one().id
        version = f.hazchem_version()
        wanted = f.make_inspection(
            hc.id,
            officer,
            version,
            [
                {"item_id": "HC-MAJ-01", "result": "pass"},
                {"item_id": "HC-MAJ-02", "result": "fail", "note": "证件过期"},
            ],
            finished_at=datetime(2026, 10, 1, 2, 0, tzinfo=UTC),
        )
        for day in range(25):
            f.make_inspection(
                hc.id,
                officer,
                version,
                [{"item_id": "HC-MAJ-01", "result": "pass"}],
                finished_at=datetime(2026, 10, 2, 2, 0, tzinfo=UTC) + timedelta(days=day),
            )
        db.session.commit()
        # The QR's payload, made by the same function the PDF's QR is drawn from.
        url = record_url(wanted)
        return {"id": str(wanted.id), "path": url.removeprefix(public_base_url())}


def test_a_regulator_scanning_the_record_qr_sees_that_inspection(browser, live):
    seeded = seed_records(live)
    assert seeded["path"].startswith("regulator/#/enterprise/")
    context = browser("qr-regulator", viewport=DESKTOP, is_mobile=False, service_workers="block")
    page = context.pages[0] if context.pages else context.new_page()
    # Scanning opens the URL in a browser that is not logged in yet: log in, land on the record.
    page.goto(f"{live.url}/{seeded['path']}")
    page.get_by_test_id("login-username").fill("regulator")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()

    record = page.get_by_test_id("inspection-focused")
    expect(record).to_be_visible()
    expect(record).to_have_attribute("data-id", seeded["id"])
    expect(record).to_be_in_viewport()
    code = seeded["id"].replace("-", "")[:12].upper()
    expect(record.get_by_test_id("inspection-code")).to_have_text(
        f"{code[:4]}-{code[4:8]}-{code[8:]}"
    )
    expect(record.get_by_test_id("failed-item")).to_contain_text("证件过期")
    expect(record.get_by_test_id("inspection-results")).to_contain_text("不合格 1")
    # The list below still starts with the newest; the scanned record is not on its first page.
    expect(page.get_by_test_id("inspection")).to_have_count(20)
    expect(page.locator(f"[data-testid=inspection][data-id='{seeded['id']}']")).to_have_count(0)
    screenshot(page, "workspace-record-by-code")


def test_a_reader_out_of_scope_gets_not_found_for_the_qr(browser, live):
    seeded = seed_records(live)
    context = browser("qr-con", viewport=DESKTOP, is_mobile=False, service_workers="block")
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"{live.url}/{seeded['path']}")
    page.get_by_test_id("login-username").fill("regulator-con")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("screen-enterprise")).to_contain_text("未找到")
    expect(page.get_by_test_id("inspection-focused")).to_have_count(0)
