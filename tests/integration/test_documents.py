"""Hazard-loop documents as real files: inspection record, notice, ledger (PDF + Excel), statistics."""

import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from anxun.checklists.loader import item_index
from anxun.orgs.models import Enterprise
from anxun.reports import documents
from anxun.reports.statistics import parse_period
from tests import factories_documents as f

HC_NAME = "宁波澄江化工有限公司"


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def compact(text: str) -> str:
    return "".join(text.split())


class Pdf:
    """A rendered PDF on disk with what poppler says about it."""

    def __init__(self, data: bytes, path: Path):
        path.write_bytes(data)
        self.path = str(path)
        self.text = run("pdftotext", self.path, "-")
        self.flat = compact(self.text)

    def pages(self) -> int:
        info = dict(
            line.split(":", 1) for line in run("pdfinfo", self.path).splitlines() if ":" in line
        )
        return int(info["Pages"])

    def page_size(self) -> str:
        info = dict(
            line.split(":", 1) for line in run("pdfinfo", self.path).splitlines() if ":" in line
        )
        return info["Page size"].split("(")[0].strip()

    def embedded_cjk_fonts(self) -> list[str]:
        lines = run("pdffonts", self.path).splitlines()[2:]
        return [line for line in lines if "CJK" in line and line.split()[-5] == "yes"]

    def image_count(self) -> int:
        return len(run("pdfimages", "-list", self.path).splitlines()[2:])


@pytest.fixture
def scene(app, db, world, tmp_path):
    """hc with a place, photos, an inspection with failed items and the hazards it raised."""
    root = tmp_path / "media"
    app.config["ANXUN_MEDIA_DIR"] = str(root)
    hc, users = world["enterprise"]["hc"], world["users"]
    officer = users["officer-hc"]
    version = f.hazchem_version()
    items = item_index(version.document)
    place = f.make_place(hc, "1号罐区")
    photo_a = f.make_media(hc, officer, root)
    photo_b = f.make_media(hc, officer, root, color=(30, 30, 200))
    signature = f.make_media(hc, officer, root, color=(0, 0, 0), png=True)
    answers = [
        {"item_id": "HC-MAJ-01", "result": "pass"},
        {
            "item_id": "HC-MAJ-02",
            "result": "fail",
            "note": "两名电工特种作业操作证过期",
            "media_ids": [photo_a.id, photo_b.id],
        },
        {"item_id": "HC-MAJ-03", "result": "na"},
        # 9 h entered as a pass, but the limit is ≤ 8 h: judged a failure by the value.
        {"item_id": "HC-01A", "result": "fail", "entered": "pass", "value": 9},
    ]
    inspection = f.make_inspection(
        hc,
        officer,
        version,
        answers,
        place_id=place.id,
        latitude=29.961234,
        longitude=121.712345,
        gps_accuracy=12.4,
        qr_scanned=True,
        signature_media_id=signature.id,
        flags=[
            {"code": "too_fast", "message": "用时 60 秒完成 4 项检查，少于合理最短用时 90 秒。"}
        ],
    )
    hazard = f.make_hazard(
        hc,
        officer,
        reported_at=datetime(2026, 11, 25, 2, 31, tzinfo=UTC),
        source="self_inspection",
        inspection_id=inspection.id,
        item_id="HC-MAJ-02",
        checklist_version_id=version.id,
        basis=items["HC-MAJ-02"]["basis"],
        place_id=place.id,
        title="不符合：" + items["HC-MAJ-02"]["text"],
        description="两名电工特种作业操作证过期",
        media_ids=[str(photo_a.id)],
        steps=[
            (datetime(2026, 11, 25, 3, 0, tzinfo=UTC), "confirm", "confirmed"),
            (datetime(2026, 11, 25, 4, 0, tzinfo=UTC), "plan", "rectifying", "本周内完成"),
        ],
        **f.general_plan(users["rectifier-hc"], date(2026, 12, 10)),
    )
    return {
        "root": root,
        "hc": db.session.get(Enterprise, hc),
        "users": users,
        "version": version,
        "items": items,
        "inspection": inspection,
        "hazard": hazard,
        "photos": [photo_a, photo_b],
    }


# ---- 排查记录 ------------------------------------------------------------------------------


def test_inspection_record_pdf_shows_answers_photos_hazards_and_signature(scene, tmp_path):
    pdf = Pdf(
        documents.inspection_record_pdf(scene["inspection"], scene["root"]),
        tmp_path / "record.pdf",
    )
    assert pdf.embedded_cjk_fonts()
    assert pdf.pages() >= 1
    flat = pdf.flat
    assert "隐患排查记录" in flat
    assert HC_NAME in flat
    assert "危险化学品企业安全风险隐患排查表" in flat
    assert "版本2026.1" in flat
    # No 64-hex hash or record UUID in the body; a short verification code instead.
    assert scene["version"].version_hash not in flat
    assert "校验码" in flat and "设备" not in flat
    assert compact(scene["items"]["HC-MAJ-02"]["text"]) in flat
    assert flat.count("不合格") >= 3  # two failed rows and the summary header
    assert "两名电工特种作业操作证过期" in flat
    assert "9h" in flat and "限值：≤8h" in flat and "（按测量值判定）" in flat
    assert "检查地点1号罐区" in flat and "检查人陈海波" in flat
    assert "纬度29.961234，经度121.712345（精度±12米）" in flat
    assert "扫码到位是" in flat
    assert "提示" in flat and "少于合理最短用时90秒" in flat
    # finished 02:30 UTC = 10:30 in Beijing; started 40 minutes earlier
    assert "开始时间2026年11月25日09:50" in flat and "完成时间2026年11月25日10:30" in flat
    assert documents.notice_number(scene["hazard"]) in flat
    assert "本次检查共发现隐患1项" in flat
    assert "检查人签字" in flat and "企业负责人签字" in flat
    assert "第1页/共" in flat
    # two photos of the failed item and the signature image
    assert pdf.image_count() == 3


def test_record_context_counts_and_orders_answers(scene):
    context = documents.inspection_record_context(scene["inspection"], scene["root"])
    assert [s["title"] for s in context["sections"]] == [
        section["title"]
        for section in scene["version"].document["sections"]
        if section["id"] in ("major", "special_work")
    ]
    rows = [row for section in context["sections"] for row in section["rows"]]
    assert [(r["id"], r["number"], r["result_label"]) for r in rows] == [
        ("HC-MAJ-01", 1, "合格"),
        ("HC-MAJ-02", 2, "不合格"),
        ("HC-MAJ-03", 3, "不适用"),
        ("HC-01A", rows[3]["number"], "不合格"),
    ]
    assert rows[3]["number"] > 21  # after the 21 major-hazard items
    assert [len(r["photos"]) for r in rows] == [0, 2, 0, 0]
    assert rows[3]["value"] == "9 h" and rows[3]["judged_by_value"] is True
    # pass 1, fail 2, na 1 → 1 / (1 + 2)
    counts = context["counts"]
    assert (counts["pass"], counts["fail"], counts["na"], counts["answered"]) == (1, 2, 1, 4)
    assert counts["pass_rate"] == "33.3%"
    assert counts["total"] == scene["version"].item_count
    assert context["record"]["received_at"] == "2026年11月25日 10:35"


def test_record_without_gps_or_signature_says_so_and_marks_missing_files(scene, db):
    inspection = scene["inspection"]
    inspection.latitude = inspection.longitude = inspection.gps_accuracy = None
    inspection.signature_media_id = None
    db.session.flush()
    # the first photo keeps only its thumbnail, the second lost both files
    (scene["root"] / scene["photos"][0].storage_path).unlink()
    (scene["root"] / scene["photos"][1].storage_path).unlink()
    (scene["root"] / scene["photos"][1].thumb_path).unlink()
    context = documents.inspection_record_context(inspection, scene["root"])
    assert context["record"]["gps"] == "未获取定位"
    assert context["signature"] is None
    failed = context["sections"][0]["rows"][1]
    assert [p["uri"] is not None for p in failed["photos"]] == [True, False]
    assert failed["photos"][0]["uri"] == (scene["root"] / scene["photos"][0].thumb_path).as_uri()


def test_photos_of_another_enterprise_are_never_embedded(scene, world):
    foreign = f.make_media(
        world["enterprise"]["dust"], world["users"]["officer-dust"], scene["root"]
    )
    shown = documents.photos(scene["hc"].id, [foreign.id, scene["photos"][0].id], scene["root"])
    assert [p["id"] for p in shown] == [str(scene["photos"][0].id)]


# ---- 隐患整改通知单 -----------------------------------------------------------------------------


def test_notice_pdf_shows_hazard_basis_plan_photos_and_history(scene, tmp_path):
    hazard = scene["hazard"]
    pdf = Pdf(documents.rectification_notice_pdf(hazard, scene["root"]), tmp_path / "notice.pdf")
    assert pdf.embedded_cjk_fonts()
    assert pdf.pages() >= 1
    flat = pdf.flat
    assert "隐患整改通知单" in flat and HC_NAME in flat
    assert documents.notice_number(hazard) in flat
    assert compact(hazard.title) in flat
    assert "1号罐区" in flat
    assert "更换泄漏法兰垫片并做气密试验" in flat
    assert "5000.00元" in flat
    assert "泄漏时启动罐区现场处置方案" in flat
    assert "整改期限2026年12月10日" in flat
    assert "定责任王志强" in flat and "发现人陈海波" in flat
    # basis: the document's title and number from the checklist; its pending article is left off
    # the paper and nothing says 待核实 (checklists/citations.py).
    assert "安监总管三〔2017〕121号" in flat and "待核实" not in flat
    for label in ("上报", "确认", "制定整改方案", "本周内完成"):
        assert label in flat
    for line in ("整改责任人（签收）", "验收人（签字）", "主要负责人（签字）"):
        assert line in flat
    assert pdf.image_count() == 1


def test_notice_shows_after_photos_of_steps_stored_under_the_old_evidence_key(scene, world):
    """A rectification stored before the API renamed `after_photos` still shows its photos."""
    old, new = scene["photos"]
    moment = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)
    hazard = f.make_hazard(
        scene["hc"].id,
        world["users"]["officer-hc"],
        reported_at=datetime(2026, 11, 20, 2, 0, tzinfo=UTC),
        level="general",
        deadline=date(2026, 11, 30),
        steps=[
            (moment, "fix_on_spot", "closed", "", {"after_photos": [str(old.id)]}),
            (moment, "submit_rectification", "closed", "", {"after_media_ids": [str(new.id)]}),
        ],
    )
    context = documents.rectification_notice_context(hazard, scene["root"])
    assert [p["id"] for p in context["photos_after"]] == [str(old.id), str(new.id)]
    assert all(p["uri"] for p in context["photos_after"])


def test_notice_numbers_run_per_enterprise_and_beijing_year_in_order_received(scene, world):
    # 17:00 UTC on 31 Dec 2026 is 01:00 on 1 Jan 2027 in Beijing: the first of the 2027 series.
    first = f.make_hazard(
        scene["hc"].id,
        world["users"]["officer-hc"],
        reported_at=datetime(2026, 12, 31, 17, 0, tzinfo=UTC),
    )
    # Discovered earlier but received later (synced late): it takes the next number and does not
    # renumber what was already printed.
    late = f.make_hazard(
        scene["hc"].id,
        world["users"]["officer-hc"],
        reported_at=datetime(2026, 12, 31, 16, 30, tzinfo=UTC),
    )
    assert documents.notice_number(first) == "澄化隐改〔2027〕1号"
    assert documents.notice_number(late) == "澄化隐改〔2027〕2号"
    # The 2026 series of the same enterprise is separate and starts at 1.
    assert documents.notice_number(scene["hazard"]).startswith("澄化隐改〔2026〕")
    other = f.make_hazard(
        world["enterprise"]["dust"],
        world["users"]["officer-dust"],
        reported_at=datetime(2027, 1, 2, 2, 0, tzinfo=UTC),
    )
    assert documents.notice_number(other) == "恒锐隐改〔2027〕1号"


def test_notice_without_plan_shows_unconfirmed_level_and_rejection_reason(scene, world):
    hazard = f.make_hazard(
        scene["hc"].id,
        world["users"]["officer-hc"],
        reported_at=datetime(2026, 11, 20, 2, 0, tzinfo=UTC),
        proposed_level="major",
        steps=[
            (
                datetime(2026, 11, 21, 2, 0, tzinfo=UTC),
                "reject",
                "rejected",
                "",
                {"reason": "经核实为正常工艺排放"},
            )
        ],
    )
    context = documents.rectification_notice_context(hazard, scene["root"])
    assert context["plan"] is None
    assert context["hazard"]["level"] == "重大隐患（待确认）"
    assert [(s["action"], s["to_state"], s["note"]) for s in context["history"]] == [
        ("上报", "已上报", ""),
        ("驳回", "已驳回", "原因：经核实为正常工艺排放"),
    ]
    # Paper names the person, never the stored label with its account name (issue #13).
    assert {s["actor"] for s in context["history"]} == {"陈海波"}


# ---- 隐患台账 ------------------------------------------------------------------------------


@pytest.fixture
def ledger_scene(scene, world):
    hc, users = scene["hc"].id, world["users"]
    officer = users["officer-hc"]
    made = {
        # 23:59 on 31 Oct in Beijing: outside November
        "october": f.make_hazard(
            hc, officer, reported_at=datetime(2026, 10, 31, 15, 59, tzinfo=UTC), title="十月隐患"
        ),
        # 00:30 on 1 Nov in Beijing
        "overdue": f.make_hazard(
            hc,
            officer,
            reported_at=datetime(2026, 10, 31, 16, 30, tzinfo=UTC),
            title='=HYPERLINK("http://example.invalid","逾期隐患")',
            steps=[
                (datetime(2026, 11, 1, 1, 0, tzinfo=UTC), "confirm", "confirmed"),
                (datetime(2026, 11, 1, 2, 0, tzinfo=UTC), "plan", "rectifying"),
            ],
            **f.general_plan(users["rectifier-hc"], date(2026, 11, 10), funds="1200.00"),
        ),
        "closed": f.make_hazard(
            hc,
            officer,
            reported_at=datetime(2026, 11, 3, 2, 0, tzinfo=UTC),
            title="已销号重大隐患",
            proposed_level="major",
            steps=[
                (datetime(2026, 11, 3, 3, 0, tzinfo=UTC), "confirm", "confirmed"),
                (datetime(2026, 11, 4, 3, 0, tzinfo=UTC), "approve_plan", "rectifying"),
                (
                    datetime(2026, 11, 8, 3, 0, tzinfo=UTC),
                    "submit_rectification",
                    "pending_verification",
                ),
                (datetime(2026, 11, 9, 3, 0, tzinfo=UTC), "verify_pass", "awaiting_signoff"),
                (datetime(2026, 11, 12, 20, 0, tzinfo=UTC), "signoff", "closed"),
            ],
            **f.general_plan(
                users["rectifier-hc"],
                date(2026, 11, 30),
                funds="30000.00",
                level="major",
                verified_by_user_id=users["head-hc"],
            ),
        ),
        "reported": f.make_hazard(
            hc, officer, reported_at=datetime(2026, 11, 20, 2, 0, tzinfo=UTC), title="待确认隐患"
        ),
        "rejected": f.make_hazard(
            hc,
            officer,
            reported_at=datetime(2026, 11, 21, 2, 0, tzinfo=UTC),
            title="已驳回隐患",
            steps=[(datetime(2026, 11, 21, 3, 0, tzinfo=UTC), "reject", "rejected")],
        ),
        # another enterprise's hazard in the same month
        "dust": f.make_hazard(
            world["enterprise"]["dust"],
            users["officer-dust"],
            reported_at=datetime(2026, 11, 5, 2, 0, tzinfo=UTC),
            title="粉尘企业隐患",
        ),
    }
    return {**scene, **made}


def test_ledger_rows_cover_the_beijing_days_of_the_range(ledger_scene):
    rows = documents.ledger_rows(
        ledger_scene["hc"].id, date(2026, 11, 1), date(2026, 11, 30), today=date(2026, 11, 25)
    )
    by_title = {row["title"]: row for row in rows}
    assert [row["number"] for row in rows] == [1, 2, 3, 4, 5]
    assert rows[0]["title"].startswith("=HYPERLINK") and rows[0]["reported_on"] == date(2026, 11, 1)
    assert "十月隐患" not in by_title and "粉尘企业隐患" not in by_title
    overdue = rows[0]
    assert (overdue["level"], overdue["state"], overdue["is_overdue"]) == ("一般", "整改中", True)
    assert (overdue["responsible"], overdue["funds"]) == ("王志强", Decimal("1200.00"))
    closed = by_title["已销号重大隐患"]
    # 20:00 UTC on 12 Nov is 04:00 on 13 Nov in Beijing
    assert (closed["level"], closed["state"], closed["closed_on"]) == (
        "重大",
        "已销号",
        date(2026, 11, 13),
    )
    assert (closed["verifier"], closed["is_overdue"]) == ("周立新", False)
    assert (by_title["待确认隐患"]["level"], by_title["已驳回隐患"]["level"]) == ("待确认", "—")
    assert by_title[ledger_scene["hazard"].title]["source"] == "排查"
    assert by_title["待确认隐患"]["source"] == "直接上报"


def test_ledger_workbook_has_one_row_per_hazard(ledger_scene):
    data = documents.hazard_ledger_xlsx(ledger_scene["hc"], date(2026, 11, 1), date(2026, 11, 30))
    workbook = load_workbook(BytesIO(data))
    assert workbook.sheetnames == ["隐患台账", "说明"]
    sheet = workbook["隐患台账"]
    assert [cell.value for cell in sheet[1]] == [
        "序号",
        "发现日期",
        "隐患名称/描述",
        "地点",
        "来源",
        "等级",
        "状态",
        "整改责任人",
        "整改措施",
        "资金（元）",
        "整改期限",
        "是否逾期",
        "验收人",
        "销号日期",
    ]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 5
    first = rows[0]
    assert first[0] == 1 and first[1].date() == date(2026, 11, 1)
    assert sheet["C2"].data_type == "s"  # a formula-like title stays text
    assert (first[5], first[6], first[7], first[9], first[11]) == (
        "一般",
        "整改中",
        "王志强",
        1200,
        "是",
    )
    assert first[10].date() == date(2026, 11, 10)
    assert sheet["J2"].number_format == "#,##0.00"
    closed = next(row for row in rows if row[2] == "已销号重大隐患")
    assert (closed[12], closed[13].date()) == ("周立新", date(2026, 11, 13))
    cover = dict(workbook["说明"].iter_rows(values_only=True))
    assert cover["企业名称"] == HC_NAME
    assert cover["统计期间"] == "2026年11月1日至2026年11月30日"
    assert (cover["隐患数"], cover["其中重大隐患"], cover["已销号"]) == (5, 1, 1)
    assert cover["整改资金合计（元）"] == 36200  # 1200 + 30000 + 5000
    assert sheet.oddHeader.left.text == HC_NAME


def test_ledger_pdf_is_landscape_and_lists_every_hazard(ledger_scene, tmp_path, frozen_clock):
    frozen_clock(datetime(2026, 11, 25, 4, 0, tzinfo=UTC))
    pdf = Pdf(
        documents.hazard_ledger_pdf(ledger_scene["hc"], date(2026, 11, 1), date(2026, 11, 30)),
        tmp_path / "ledger.pdf",
    )
    assert pdf.embedded_cjk_fonts()
    assert pdf.page_size().split() == ["841.89", "x", "595.276", "pts"]
    flat = pdf.flat
    assert "隐患台账" in flat and HC_NAME in flat and "2026年11月1日至2026年11月30日" in flat
    assert "共5项隐患，其中重大隐患1项，已销号1项，逾期未销号1项；整改资金合计36200.00元" in flat
    for text in ("已销号重大隐患", "待确认隐患", "更换泄漏法兰垫片并做气密试验", "直接上报"):
        assert text in flat
    assert "十月隐患" not in flat and "粉尘企业隐患" not in flat


# ---- 统计表 ------------------------------------------------------------------------------


def test_statistics_pdf_shows_the_table_rate_funds_and_filing_deadline(
    ledger_scene, tmp_path, frozen_clock
):
    frozen_clock(datetime(2026, 11, 25, 4, 0, tzinfo=UTC))
    pdf = Pdf(
        documents.hazard_statistics_pdf(ledger_scene["hc"], parse_period("2026Q4")),
        tmp_path / "statistics.pdf",
    )
    assert pdf.embedded_cjk_fonts()
    assert pdf.pages() == 1
    flat = pdf.flat
    assert "隐患排查治理情况统计表" in flat and HC_NAME in flat
    assert "2026年第四季度" in flat and "2026年10月1日至2026年12月31日" in flat
    assert "数据截止日2026年11月25日（统计期尚未结束）" in flat
    # Q4 up to 25 Nov: six hc hazards found (31 Oct included); one rejected, one closed.
    # reported 2 (十月隐患, 待确认隐患), rectifying 2, closed 1 (the major), rejected 1
    assert "一般隐患00200002" in flat
    assert "重大隐患00000101" in flat
    assert "待确认20000013" in flat
    assert "合计20200116" in flat
    assert "本期发现隐患（项）6" in flat
    assert "整改率①20.0%" in flat  # 1 closed / (6 − 1)
    assert "整改资金③36200.00元" in flat
    # major hazards are listed one by one: title, found, state, deadline
    assert "已销号重大隐患" in flat and "2026年11月3日已销号2026年11月30日" in flat
    # The filing article is unverified: the rule's name and number only, no 待核实 on paper.
    assert "2027年1月15日" in flat and "第十四条" not in flat and "待核实" not in flat
    assert "主要负责人（签字）" in flat
