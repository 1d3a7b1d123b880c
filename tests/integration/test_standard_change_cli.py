"""`flask anxun checklists diff` and `load` on a standard change: item-by-item report, JSON,
stored versions by hash, and what loading the new version lists to re-judge."""

import json
import shutil
from datetime import timedelta

from sqlalchemy import select

from anxun.checklists.loader import item_index
from anxun.checklists.models import ChecklistVersion
from anxun.core import clock
from anxun.hazards import services as hazard_services
from tests.checklist_variants import SHIPPED, changed_hazchem
from tests.factories_hazards import actor, enterprise_of, make_media


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_diff_of_two_files_reports_each_change(app, db, tmp_path):
    variant = changed_hazchem()
    new = tmp_path / "new.yaml"
    new.write_text(variant.text, encoding="utf-8")
    result = run(app, "anxun", "checklists", "diff", str(SHIPPED), str(new))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("hazardous-chemicals: ") and lines[0].endswith("→ 2026.9-test")
    assert any(line.startswith(f"  修改 {variant.promoted} [需重新判定]") for line in lines)
    assert "      重大隐患判定: 否 → 是" in lines
    assert any(line.startswith(f"  删除 {variant.removed} [需重新判定]") for line in lines)
    assert lines[-1] == "  合计：新增 0, 删除 1, 修改 1"
    as_json = json.loads(
        run(app, "anxun", "checklists", "diff", str(SHIPPED), str(new), "--json").output
    )
    assert as_json["counts"] == {"added": 0, "removed": 1, "changed": 1}


def test_load_lists_what_to_rejudge_and_diff_reads_stored_versions(app, db, world, tmp_path):
    variant = changed_hazchem()
    old = db.session.scalar(
        select(ChecklistVersion).where(ChecklistVersion.code == "hazardous-chemicals")
    )
    hc = enterprise_of("hc")
    hazard = hazard_services.report_hazard(
        actor("officer-hc"),
        hc,
        {"title": "", "media_ids": [make_media(hc.id)]},
        source="self_inspection",
        item=item_index(old.document)[variant.promoted],
        checklist_version_id=old.id,
    )
    hazard_services.apply_transition(
        actor("officer-hc"),
        hazard,
        "confirm",
        {"level": "general", "category": "thing", "deadline": clock.today_local() + timedelta(7)},
        expected_state="reported",
    )
    db.session.commit()
    folder = tmp_path / "checklists"
    folder.mkdir()
    for path in SHIPPED.parent.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    (folder / "hazardous-chemicals.yaml").write_text(variant.text, encoding="utf-8")
    result = run(app, "anxun", "checklists", "load", str(folder))
    assert result.exit_code == 0, result.output
    assert "2026.9-test" in result.output
    assert "需重新判定 宁波澄江化工有限公司: 隐患重新定级 1 项" in result.output
    new = db.session.scalars(
        select(ChecklistVersion)
        .where(ChecklistVersion.code == "hazardous-chemicals")
        .order_by(ChecklistVersion.id.desc())
    ).first()
    stored = run(
        app, "anxun", "checklists", "diff", old.version_hash[:10], new.version_hash[:10], "--json"
    )
    assert stored.exit_code == 0, stored.output
    assert json.loads(stored.output)["counts"]["removed"] == 1
    unknown = run(app, "anxun", "checklists", "diff", "ffffffffff", new.version_hash[:10])
    assert unknown.exit_code != 0
    assert "no stored version" in unknown.output
