"""The public pages on a 390 px phone: listings as readable cards, a region picker by name that
filters the list, one date format, the site icon; the spot-check page explains the draw in words
and offers its reproduction details as a download."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import first_page, screenshot

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}
ZH_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def seed_two_districts(live) -> dict:
    """Public listings of hc (镇海区) and cs, whose enterprise then moves to 北仑区."""
    from sqlalchemy import select

    from anxun.core import clock
    from anxun.core.auth import SYSTEM
    from anxun.extensions import db
    from anxun.orgs import services as org_services
    from anxun.orgs.models import Enterprise
    from anxun.oversight.listings import services as listing_services
    from tests.factories_hazards import actor, hazard_in

    with live.app.app_context():
        numbers = {}
        for key, summary in (
            ("hc", "储罐区可燃气体检测报警系统失效，未与紧急切断阀联锁"),
            ("cs", "有限空间作业未执行先通风、再检测、后作业"),
        ):
            hazard = hazard_in("confirmed", level="major", key=key)
            listing = listing_services.list_hazard(
                actor("regulator"),
                hazard,
                {
                    "supervising_office": "宁波市镇海区应急管理局",
                    "deadline": clock.today_local() + timedelta(days=20),
                    "public_summary": summary,
                    "is_public": True,
                },
            )
            numbers[key] = listing.listing_no
        org_services.upsert_regions(SYSTEM, [("330206", "北仑区")])
        cs = db.session.scalar(
            select(Enterprise).where(Enterprise.name == "宁波清源水务运营有限公司")
        )
        cs.region_code = "330206"
        db.session.commit()
        db.session.remove()
    return numbers


def card_layout(page, testid: str) -> dict:
    """How the first row of a listing table is laid out: the header's display, the row's width and
    the narrowest value cell's width and line count."""
    return page.evaluate(
        """(testid) => {
          const table = document.querySelector(`[data-testid="${testid}"]`);
          const row = table.querySelector('tr[data-testid="public-row"]');
          const cells = [...row.querySelectorAll("td")].map((td) => {
            const range = document.createRange();
            range.selectNodeContents(td.lastChild);
            const lineHeight = parseFloat(getComputedStyle(td).lineHeight);
            return { width: range.getBoundingClientRect().width, label: td.dataset.label,
                     height: td.getBoundingClientRect().height, lineHeight };
          });
          const status = cells.find((c) => c.label === "状态");
          return {
            thead: getComputedStyle(table.querySelector("thead")).display,
            rowWidth: row.getBoundingClientRect().width,
            pageWidth: document.documentElement.scrollWidth,
            statusLines: Math.round(status.height / status.lineHeight),
            labels: cells.map((c) => c.label),
          };
        }""",
        testid,
    )


def test_major_hazards_on_a_phone_are_cards_filtered_by_region_name(live, browser):
    numbers = seed_two_districts(live)
    page = first_page(browser("public-phone", **PHONE))
    page.goto(live.url + "/public/major-hazards")
    expect(page.locator("body")).to_have_attribute("data-loaded", "1")
    rows = page.get_by_test_id("public-listed").get_by_test_id("public-row")
    expect(rows).to_have_count(2)

    layout = card_layout(page, "public-listed")
    assert layout["thead"] == "none"  # no squeezed table: each row is a card
    assert layout["rowWidth"] > 330 and layout["pageWidth"] <= 390  # full width, no sideways scroll
    assert layout["statusLines"] == 1  # "督办中" on one line, not one character per line
    assert layout["labels"][:3] == ["督办编号", "企业名称", "所在地区"]
    hc = page.locator(f'tr[data-listing-no="{numbers["hc"]}"]')
    expect(hc.locator('td[data-label="所在地区"]')).to_have_text("镇海区")
    for label in ("整改期限", "挂牌日期"):
        expect(hc.locator(f'td[data-label="{label}"]')).to_have_text(ZH_DATE)
    screenshot(page, "public-major-hazards-390")

    # The picker offers names (province, city, districts), never a code to type.
    picker = page.get_by_test_id("public-region")
    options = [text.strip() for text in picker.locator("option").all_inner_texts()]
    assert options == ["全部地区", "浙江省（全部）", "宁波市（全部）", "北仑区", "镇海区"]
    picker.select_option(label="　　北仑区")
    expect(page.get_by_test_id("public-status")).to_contain_text("北仑区：督办中 1 项")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-listing-no", numbers["cs"])
    assert "region_code=330206" in page.url
    picker.select_option(label="　宁波市（全部）")
    expect(rows).to_have_count(2)
    # A shared link keeps its filter: the picker shows the district by name.
    page.goto(live.url + "/public/major-hazards?region_code=330211")
    expect(rows).to_have_count(1)
    expect(page.get_by_test_id("public-region").locator("option:checked")).to_have_text(
        re.compile("镇海区")
    )

    icon = page.request.get(live.url + "/favicon.ico")
    assert icon.status == 200 and icon.body()[:4] == b"\x00\x00\x01\x00"
    assert page.locator('link[rel="icon"]').first.get_attribute("href") == "/favicon.ico"


def publish_a_draw(live) -> dict:
    """A published draw of the EM bureau over its covered enterprises and two officers."""
    from anxun.extensions import db
    from anxun.oversight.spot_checks import services
    from tests.factories_hazards import actor, user_id

    with live.app.app_context():
        admin = actor("regulator-admin")
        entry = {"enterprise_id": None, "industry": None, "user_id": None}
        services.add_registry_entries(admin, {**entry, "kind": "object"})
        for username in ("regulator", "regulator-admin"):
            services.add_registry_entries(
                admin, {**entry, "kind": "inspector", "user_id": user_id(username)}
            )
        draw = services.make_draw(
            admin,
            {
                "title": "2026年第四季度危化企业双随机抽查",
                "seed": "zh-2026-q4",
                "enterprise_count": 2,
                "inspectors_per_enterprise": 2,
                "regulator_id": None,
            },
        )
        services.publish_draw(admin, draw.id)
        db.session.commit()
        ids = {"id": draw.id, "pool": len(draw.object_pool)}
        db.session.remove()
    return ids


def test_the_spot_check_page_explains_the_draw_in_words_and_offers_the_download(live, browser):
    draw = publish_a_draw(live)
    page = first_page(browser("public-spot-phone", **PHONE))
    page.goto(live.url + "/public/spot-checks")
    expect(page.locator("body")).to_have_attribute("data-loaded", "1")
    words = page.get_by_test_id("public-explanation")
    expect(words).to_contain_text("宁波市镇海区应急管理局于")
    expect(words).to_contain_text(f"的 {draw['pool']} 家企业中随机抽取 2 家")
    expect(words).to_contain_text("2 名检查人员中为每家企业随机匹配 2 名")
    expect(words).to_contain_text("随机种子是“zh-2026-q4”")
    expect(words).to_contain_text(re.compile(r"于\d{4}年\d{1,2}月\d{1,2}日进行本次抽取"))
    body = page.locator("body").inner_text()
    for code in ("anxun-draw-v1", "import ", "hashlib", "random.Random", "sha256("):
        assert code not in body
    assignments = page.get_by_test_id("public-assignments")
    expect(assignments.locator("thead")).to_be_hidden()  # cards on the phone
    screenshot(page, "public-spot-checks-390")

    with page.expect_download() as waiting:
        page.get_by_test_id("public-reproduction").click()
    download = waiting.value
    assert download.suggested_filename == f"spot-check-{draw['id']}-reproduction.json"
    details = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert details["seed"] == "zh-2026-q4" and details["enterprise_count"] == 2
    assert len(details["object_registry"]) == draw["pool"]
    assert len(details["result"]) == 2 and details["method"]["steps"]
