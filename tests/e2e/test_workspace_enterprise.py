"""Enterprise drill-down in the regulator workspace: inspection flags and photo thumbnails, hazard
history, the four-colour risk map and the grade explanation, all loaded with the bearer token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.helpers import screenshot
from tests.e2e.workspace_helpers import open_workspace

pytestmark = pytest.mark.e2e

CON = "宁波甬港建设工程有限公司"
FLAG = "定位距检查点约 850 米，超出 200 米。"


def seed_drilldown(live) -> dict:
    """hc gets a flagged inspection with a photo, a hazard raised by it with three history rows
    (three days overdue), and a site plan (the four-colour map's background)."""
    from anxun.accounts.models import User
    from anxun.core import clock
    from anxun.extensions import db
    from anxun.orgs.models import Enterprise
    from anxun.risk.map_services import create_site_plan
    from tests import factories_documents as f
    from tests import factories_riskmap as fm
    from tests.factories_hazards import actor

    with live.app.app_context():
        hc = db.session.query(Enterprise).filter_by(name="宁波澄江化工有限公司").one()
        users = {u.username: u.id for u in db.session.query(User)}
        officer = users["officer-hc"]
        photo = f.make_media(hc.id, officer, live.media_dir)
        inspection = f.make_inspection(
            hc.id,
            officer,
            f.hazchem_version(),
            [
                {"item_id": "HC-MAJ-01", "result": "pass"},
                {
                    "item_id": "HC-MAJ-02",
                    "result": "fail",
                    "note": "证件过期",
                    "media_ids": [photo.id],
                },
            ],
            finished_at=datetime(2026, 11, 20, 2, 0, tzinfo=UTC),
            flags=[{"code": "gps_far", "message": FLAG, "metres": 850.0}],
        )
        hazard = f.make_hazard(
            hc.id,
            officer,
            reported_at=datetime(2026, 11, 20, 2, 1, tzinfo=UTC),
            inspection_id=inspection.id,
            source="self_inspection",
            title="特种作业人员证件过期",
            photo_ids=[str(photo.id)],
            steps=[
                (datetime(2026, 11, 20, 3, 0, tzinfo=UTC), "confirm", "confirmed"),
                (datetime(2026, 11, 21, 3, 0, tzinfo=UTC), "plan", "rectifying", "更换证件"),
            ],
            **f.general_plan(users["rectifier-hc"], clock.today_local() - timedelta(days=3)),
        )
        plan_image = fm.make_media(hc.id, officer)
        create_site_plan(
            actor("officer-hc"), hc.id, {"title": "厂区总平面图", "media_id": plan_image.id}
        )
        db.session.commit()
        return {"enterprise": hc.id, "hazard": str(hazard.id), "photo": str(photo.id)}


def test_regulator_drills_into_an_enterprise(browser, live):
    seeded = seed_drilldown(live)
    page = open_workspace(browser, live, "regulator", f"#/enterprise/{seeded['enterprise']}")
    page.get_by_test_id("screen-enterprise").wait_for()
    assert page.get_by_test_id("enterprise-name").inner_text().startswith("宁波澄江化工有限公司")
    assert page.get_by_test_id("kpi-overdue").locator(".value").inner_text() == "1"
    assert page.get_by_test_id("kpi-flagged").locator(".value").inner_text() == "1"

    # Inspections (the first tab): the flag text and the thumbnail, fetched with the token.
    flag = page.get_by_test_id("inspection-flag")
    flag.wait_for()
    assert flag.inner_text() == FLAG
    thumb = page.locator(f"img[data-testid=inspection-photo][data-media-id='{seeded['photo']}']")
    page.wait_for_function(
        "(img) => img.dataset.state === 'loaded' && img.naturalWidth > 0",
        arg=thumb.element_handle(),
    )
    assert thumb.get_attribute("src").startswith("blob:")
    screenshot(page, "workspace-enterprise-inspections")

    # Hazards: the row opens the full history.
    page.get_by_test_id("tab-hazards").click()
    page.locator(f"tr[data-testid=hazard-row][data-id='{seeded['hazard']}']").click()
    page.get_by_test_id("hazard-history").wait_for()
    actions = page.locator("[data-testid=hazard-transition]").evaluate_all(
        "(rows) => rows.map((row) => row.dataset.action)"
    )
    assert actions == ["report", "confirm", "plan"]
    assert "更换证件" in page.get_by_test_id("hazard-history").inner_text()
    screenshot(page, "workspace-enterprise-hazards")
    assert "已逾期" in page.get_by_test_id("hazard-detail").inner_text()

    # Risk: the four-colour map image loads; the grade explanation and the (empty) register show.
    page.get_by_test_id("tab-risk").click()
    risk_map = page.get_by_test_id("risk-map")
    risk_map.wait_for()
    page.wait_for_function(
        "(img) => img.dataset.state === 'loaded' && img.naturalWidth > 0",
        arg=risk_map.element_handle(),
    )
    assert "评为" in page.get_by_test_id("grade-explanation").inner_text()
    assert "尚未建立风险分级管控清单" in page.get_by_test_id("risk-register").inner_text()
    assert "tab=risk" in page.evaluate("location.hash")
    screenshot(page, "workspace-enterprise-risk")


def test_out_of_jurisdiction_enterprise_shows_a_problem(browser, live):
    from anxun.orgs.models import Enterprise

    seeded = seed_drilldown(live)
    page = open_workspace(browser, live, "regulator-con", f"#/enterprise/{seeded['enterprise']}")
    problem = page.get_by_test_id("problem")
    problem.wait_for()
    assert "未找到该企业" in problem.inner_text()

    # Its own enterprise, with nothing recorded yet: every section says so.
    con = live.query(lambda session: session.query(Enterprise.id).filter_by(name=CON).scalar())
    page.evaluate("(hash) => { location.hash = hash; }", f"#/enterprise/{con}")
    page.get_by_test_id("inspections-empty").wait_for()
    page.get_by_test_id("tab-hazards").click()
    assert "暂无隐患" in page.get_by_test_id("hazard-table").inner_text()
    page.get_by_test_id("tab-risk").click()
    page.get_by_test_id("risk-map-empty").wait_for()
