"""挂牌督办 in the regulator workspace: signing off a listed major hazard delists it, and it leaves
the 督办中 table of the public page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import screenshot
from tests.e2e.workspace_helpers import open_workspace

pytestmark = pytest.mark.e2e


def seed_listed_awaiting_signoff(live) -> dict:
    """A major hazard of hc walked to awaiting_signoff and publicly listed by the regulator."""
    from anxun.core import clock
    from anxun.extensions import db
    from anxun.oversight.listings import services as listing_services
    from tests.factories_hazards import actor, hazard_in

    with live.app.app_context():
        hazard = hazard_in("awaiting_signoff", level="major")
        listing = listing_services.list_hazard(
            actor("regulator"),
            hazard,
            {
                "supervising_office": "宁波市镇海区应急管理局",
                "deadline": clock.today_local() + timedelta(days=20),
                "public_summary": "储罐区紧急切断阀未与报警联锁",
                "is_public": True,
            },
        )
        db.session.commit()
        ids = {"hazard": str(hazard.id), "listing_no": listing.listing_no}
        db.session.remove()
    return ids


def test_signing_off_a_listed_major_hazard_removes_it_from_the_public_list(live, browser):
    ids = seed_listed_awaiting_signoff(live)
    public = browser("public", viewport={"width": 1280, "height": 800}, is_mobile=False)
    public_page = public.pages[0] if public.pages else public.new_page()
    public_page.goto(live.url + "/public/major-hazards")
    listed = public_page.get_by_test_id("public-listed")
    listed.locator(f'tr[data-listing-no="{ids["listing_no"]}"]').wait_for()
    assert "周立新" not in public_page.content()

    page = open_workspace(browser, live, "regulator", "#/listings")
    row = page.locator(f'tr[data-hazard-id="{ids["hazard"]}"]')
    row.wait_for()
    expect(row).to_contain_text(ids["listing_no"])
    screenshot(page, "ws-listings-awaiting-signoff")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_test_id("signoff").click()
    row.wait_for(state="detached")
    ledger = page.get_by_test_id("listings-table")
    ledger.locator("td", has_text="已销号").first.wait_for()

    public_page.reload()
    public_page.wait_for_selector("body[data-loaded='1']")
    expect(listed.locator(f'tr[data-listing-no="{ids["listing_no"]}"]')).to_have_count(0)
    delisted = public_page.get_by_test_id("public-delisted")
    expect(delisted.locator(f'tr[data-listing-no="{ids["listing_no"]}"]')).to_contain_text("已销号")
