"""Management commands: demo seed, region import, checklist validation and loading."""

from pathlib import Path

from sqlalchemy import func, select

from anxun.checklists.models import ChecklistVersion
from anxun.orgs.models import Region

SHIPPED = Path(__file__).resolve().parents[2] / "checklists"


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_seed_prints_logins_once_and_then_leaves_data_alone(app, db):
    first = run(app, "anxun", "seed", "--if-empty")
    assert first.exit_code == 0, first.output
    assert "officer-hc" in first.output and "auditor" in first.output
    second = run(app, "anxun", "seed", "--if-empty")
    assert second.exit_code == 0
    assert "跳过演示数据" in second.output


def test_region_import_from_csv_derives_parents_and_is_repeatable(app, db, tmp_path):
    csv_file = tmp_path / "regions.csv"
    csv_file.write_text(
        "code,name\n440000,广东省\n440300,深圳市\n440305,南山区\n", encoding="utf-8-sig"
    )
    result = run(app, "anxun", "regions", "import", str(csv_file))
    assert result.exit_code == 0, result.output
    assert "3 regions read, 3 added or renamed." in result.output
    assert db.session.get(Region, "440305").parent_code == "440300"
    assert db.session.get(Region, "440300").parent_code == "440000"
    again = run(app, "anxun", "regions", "import", str(csv_file))
    assert "0 added or renamed" in again.output


def test_region_import_rejects_bad_codes_and_writes_nothing(app, db, tmp_path):
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("440000,广东省\n44030,深圳市\n", encoding="utf-8")
    result = run(app, "anxun", "regions", "import", str(csv_file))
    assert result.exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(Region)) == 0


def test_builtin_region_table_imports_the_full_code_list(app, db):
    result = run(app, "anxun", "regions", "import", "--builtin")
    assert result.exit_code == 0, result.output
    assert db.session.get(Region, "330211").name == "镇海区"
    assert db.session.scalar(select(func.count()).select_from(Region)) > 3000


def test_validate_reports_file_line_messages_and_exits_nonzero(app, tmp_path):
    bad = tmp_path / "bad.yaml"
    text = (SHIPPED / "seasonal-holiday.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("industry: general", "industry: farming", 1), encoding="utf-8")
    result = run(app, "anxun", "checklists", "validate", str(bad))
    assert result.exit_code == 1
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("industry:"))
    assert f"{bad}:{line}:" in result.output
    ok = run(app, "anxun", "checklists", "validate")
    assert ok.exit_code == 0
    assert "6 checklist file(s) valid." in ok.output


def test_load_stores_versions_once(app, db):
    first = run(app, "anxun", "checklists", "load")
    assert first.exit_code == 0, first.output
    assert first.output.count("new version") == 6
    second = run(app, "anxun", "checklists", "load")
    assert second.output.count("unchanged") == 6
    assert db.session.scalar(select(func.count(ChecklistVersion.id))) == 6


def test_demo_seed_gives_every_officer_tasks_today_and_hc_a_risk_register(app, db):
    from anxun.audits.models import AuditRun
    from anxun.demo.orgs import ENTERPRISES
    from anxun.incidents.models import Incident
    from anxun.inspections.models import InspectionPlan, Place
    from anxun.orgs.models import Enterprise
    from anxun.oversight.models import (
        Patrol,
        RectificationOrder,
        SpotCheckDraw,
        SupervisedListing,
    )
    from anxun.risk.models import ControlMeasure, RiskAssessment

    result = run(app, "anxun", "seed", "--if-empty")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Place.id))) == 8
    demo_names = [spec["name"] for spec in ENTERPRISES.values()]
    plans = select(func.count(InspectionPlan.id)).join(
        Enterprise, Enterprise.id == InspectionPlan.enterprise_id
    )
    # A daily plan each, and dust's task of the running demo campaign (专项整治).
    assert db.session.scalar(plans.where(Enterprise.name.in_(demo_names))) == 5
    assert db.session.scalar(plans.where(InspectionPlan.inspection_type == "special")) >= 4
    # The jurisdiction around them, for the regulator's overview and map.
    assert db.session.scalar(select(func.count(Enterprise.id))) == 24
    # Oversight demo: patrols with orders, a listing, a published draw, an incident, audit runs.
    assert db.session.scalar(select(func.count(Patrol.id))) >= 1
    assert {o.state for o in db.session.scalars(select(RectificationOrder))} >= {
        "acknowledged",
        "issued",
    }
    assert db.session.scalar(select(func.count(SupervisedListing.id))) == 1
    assert db.session.scalar(select(SpotCheckDraw.published_at)) is not None
    assert db.session.scalar(select(func.count(Incident.id))) == 1
    assert {r.state for r in db.session.scalars(select(AuditRun))} == {"open", "signed"}
    # One measure of each of the five kinds a register lists (two of them engineering).
    kinds = db.session.scalars(select(ControlMeasure.kind)).all()
    assert sorted(kinds) == sorted(
        ["engineering", "engineering", "management", "training", "ppe", "emergency"]
    )
    assessment = db.session.scalar(select(RiskAssessment))
    assert (float(assessment.score), assessment.level) == (270.0, "orange")  # 3×6×15, STYLE.md §4
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/login", json={"username": "officer-hc", "password": "demo-pass-123"}
    ).get_json()["access_token"]
    tasks = client.get(
        "/api/v1/tasks?assignee=me&due=today", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert {t["place"]["name"] for t in tasks["items"]} == {"液氨罐区", "合成车间"}
    # The daily tour holds only what a field check can see: no management items such as
    # HC-MAJ-16 (包保责任制) or HC-MAJ-19 (new-process scale-up), which are monthly work.
    assert {t["profile"] for t in tasks["items"]} == {"daily_field"}
    assert set(db.session.scalars(select(InspectionPlan.profile)).all()) >= {"daily_field"}
    detail = client.get(
        "/api/v1/checklists/hazardous-chemicals", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    items = {i["id"]: i for s in detail["document"]["sections"] for i in s["items"]}
    daily = next(p for p in detail["document"]["profiles"] if p["code"] == "daily_field")
    assert {"HC-MAJ-16", "HC-MAJ-19", "HC-MAJ-01"}.isdisjoint(daily["items"])
    assert "HC-D-05" in daily["items"]  # 跑冒滴漏: seen on the tour
    assert all(items[i]["category"] != "management" for i in daily["items"])
    checklists = client.get(
        "/api/v1/checklists", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert "risk-controls" in {c["code"] for c in checklists}


def test_pending_lists_each_loaded_checklist_grouped_by_document(app, db):
    assert run(app, "anxun", "checklists", "load").exit_code == 0
    result = run(app, "anxun", "checklists", "pending")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    heading = next(n for n, line in enumerate(lines) if line.startswith("confined-space 2026.1 "))
    assert "(平台): 14 项待核实" in lines[heading]
    gbz = "  《工作场所有害因素职业接触限值 第1部分：化学有害因素》（GBZ 2.1-2019） [GBZ2.1]"
    start = lines.index(f"{gbz}  [文件待核实 basis[3].verify]")
    assert lines[start + 1] == (
        "    CS-25 表1 硫化氢 MAC: 条款待核实 (sections[2].items[3].basis[0].verify)"
    )
    assert "    CS-25: 检查项内容待核实 (sections[2].items[3].verify)" in lines
    assert result.output.endswith("fact(s) awaiting verification.\n")
    assert "6 checklist(s)" in lines[-1]


def test_pending_reads_named_files_and_needs_something_to_read(app, db, tmp_path):
    assert run(app, "anxun", "checklists", "pending").exit_code == 1
    checked = tmp_path / "checked.yaml"
    text = (SHIPPED / "confined-space.yaml").read_text(encoding="utf-8")
    checked.write_text(text.replace("verify: pending", "").replace(", }", "}"), encoding="utf-8")
    result = run(app, "anxun", "checklists", "pending", str(checked))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{checked} (confined-space 2026.1): 0 项待核实",
        "1 checklist(s), 0 fact(s) awaiting verification.",
    ]
