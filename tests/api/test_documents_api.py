"""HTTP: hazard-loop documents (PDF, Excel) and the statistics numbers, scoped and validated."""

import re
import subprocess
import uuid
from datetime import UTC, date, datetime
from io import BytesIO
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from tests import factories_documents as f

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(out.stdout.split())


@pytest.fixture
def third_quarter(app, db, world, frozen_clock):
    """hc hazards around 2026 Q3, seen on 20 Oct 2026 (Beijing), plus one of dust.

    P general, found 1 Jul 00:30 Beijing (30 Jun 16:30 UTC), rectifying, deadline 31 Aug: overdue.
    Q general, found and closed in July.       R found in August and rejected.
    S major, plan approved, rectifying, deadline 31 Dec.
    T found 1 Oct 00:30 Beijing (30 Sep 16:30 UTC): after the quarter.
    """
    frozen_clock(utc(2026, 10, 20, 2, 0))
    hc, users = world["enterprise"]["hc"], world["users"]
    officer, rectifier = users["officer-hc"], users["rectifier-hc"]
    made = {
        "P": f.make_hazard(
            hc,
            officer,
            reported_at=utc(2026, 6, 30, 16, 30),
            title="P 储罐区围堰破损",
            steps=[
                (utc(2026, 7, 2, 2, 0), "confirm", "confirmed"),
                (utc(2026, 7, 3, 2, 0), "plan", "rectifying"),
            ],
            **f.general_plan(rectifier, date(2026, 8, 31), funds="1200.00"),
        ),
        "Q": f.make_hazard(
            hc,
            officer,
            reported_at=utc(2026, 7, 10, 2, 0),
            title="Q 安全阀未校验",
            steps=[
                (utc(2026, 7, 10, 3, 0), "confirm", "confirmed"),
                (utc(2026, 7, 11, 2, 0), "plan", "rectifying"),
                (utc(2026, 7, 18, 2, 0), "submit_rectification", "pending_verification"),
                (utc(2026, 7, 20, 2, 0), "verify_pass", "closed"),
            ],
            **f.general_plan(rectifier, date(2026, 7, 31), funds="800.00"),
        ),
        "R": f.make_hazard(
            hc,
            officer,
            reported_at=utc(2026, 8, 5, 2, 0),
            title="R 误报",
            steps=[(utc(2026, 8, 6, 2, 0), "reject", "rejected", "", {"reason": "正常"})],
        ),
        "S": f.make_hazard(
            hc,
            officer,
            reported_at=utc(2026, 8, 10, 2, 0),
            title="S 重大危险源未设置独立安全仪表系统",
            proposed_level="major",
            steps=[
                (utc(2026, 8, 11, 2, 0), "confirm", "confirmed"),
                (utc(2026, 8, 12, 2, 0), "submit_plan", "confirmed"),
                (utc(2026, 8, 20, 2, 0), "approve_plan", "rectifying"),
            ],
            **f.general_plan(rectifier, date(2026, 12, 31), funds="100000.00", level="major"),
        ),
        "T": f.make_hazard(hc, officer, reported_at=utc(2026, 9, 30, 16, 30), title="T 十月隐患"),
        "dust": f.make_hazard(
            world["enterprise"]["dust"],
            users["officer-dust"],
            reported_at=utc(2026, 8, 1, 2, 0),
            title="粉尘隐患",
        ),
    }
    db.session.commit()
    return made


def statistics_url(world, period="2026Q3", key="hc"):
    return f"/api/v1/enterprises/{world['enterprise'][key]}/hazard-statistics?period={period}"


def test_statistics_numbers_match_the_hand_count(client, world, login_as, third_quarter):
    response = client.get(statistics_url(world), headers=login_as("regulator"))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["enterprise_name"] == "宁波澄江化工有限公司"
    assert body["period"] == {
        "code": "2026Q3",
        "label": "2026年第三季度",
        "start": "2026-07-01",
        "end": "2026-09-30",
        "filing_deadline": "2026-10-15",
    }
    assert body["as_of"] == "2026-09-30"
    states = ("reported", "confirmed", "rectifying", "pending_verification", "awaiting_signoff")
    zero = dict.fromkeys((*states, "closed", "rejected", "total"), 0)
    assert body["by_level_state"] == {
        "general": zero | {"rectifying": 1, "closed": 1, "total": 2},  # P; Q
        "major": zero | {"rectifying": 1, "total": 1},  # S
        "unconfirmed": zero | {"rejected": 1, "total": 1},  # R
        "total": zero | {"rectifying": 2, "closed": 1, "rejected": 1, "total": 4},
    }
    assert (body["found"], body["rejected"], body["closed_of_found"]) == (4, 1, 1)
    assert body["closure_rate"] == 0.3333  # 1 closed / (4 found − 1 rejected)
    assert body["closed_in_period"] == 1
    assert body["open_at_end"] == 2  # P S (T was found after the quarter)
    assert body["overdue_at_end"] == 1  # P: deadline 31 Aug
    assert body["carried_over"] == 0
    assert body["funds_total"] == "102000.00"  # 1200 + 800 + 100000
    assert [
        (m["title"], m["state"], m["deadline"], m["is_overdue"]) for m in body["major_hazards"]
    ] == [("S 重大危险源未设置独立安全仪表系统", "rectifying", "2026-12-31", False)]
    assert body["major_hazards"][0]["id"] == str(third_quarter["S"].id)


def test_annual_statistics_include_october(client, world, login_as, third_quarter):
    body = client.get(statistics_url(world, "2026"), headers=login_as("head-hc")).get_json()
    assert body["period"]["label"] == "2026年度"
    assert body["period"]["filing_deadline"] == "2027-01-31"
    assert body["as_of"] == "2026-10-20"
    assert body["found"] == 5  # P Q R S T
    assert body["by_level_state"]["unconfirmed"]["reported"] == 1  # T
    assert body["closure_rate"] == 0.25  # Q / (5 − 1)


def test_statistics_pdf_carries_the_same_numbers(client, world, login_as, third_quarter, tmp_path):
    response = client.get(
        f"/api/v1/enterprises/{world['enterprise']['hc']}/hazard-statistics.pdf?period=2026Q3",
        headers=login_as("officer-hc"),
    )
    assert response.status_code == 200
    assert response.mimetype == PDF
    assert 'filename="hazard-statistics-2026Q3.pdf"' in response.headers["Content-Disposition"]
    text = pdf_text(response.data, tmp_path)
    assert "宁波澄江化工有限公司" in text and "2026年第三季度" in text
    assert "本期发现隐患（项）4" in text and "整改率①33.3%" in text
    assert "整改资金③102000.00元" in text
    assert "S重大危险源未设置独立安全仪表系统" in text
    assert "数据截止日2026年9月30日" in text and "统计期尚未结束" not in text
    # The filing article (第十四条) is unverified: paper names the rule and its number only.
    assert "《安全生产事故隐患排查治理暂行规定》（国家安全生产监督管理总局令第16号）：" in text
    assert "第十四条" not in text and "待核实" not in text and "生成时间" not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?period=2026Q5", "统计期格式应为 2026Q3（季度）或 2026（年度）。"),
        ("?period=Q3-2026", "统计期格式应为 2026Q3（季度）或 2026（年度）。"),
        ("?period=1999", "年份应在 2000 至 2099 之间。"),
        ("?period=2027Q1", "该统计期尚未开始。"),
        ("", "此项为必填项。"),
    ],
)
@pytest.mark.parametrize("suffix", ["hazard-statistics", "hazard-statistics.pdf"])
def test_bad_periods_are_422(client, world, login_as, frozen_clock, query, message, suffix):
    frozen_clock(utc(2026, 10, 20, 2, 0))
    url = f"/api/v1/enterprises/{world['enterprise']['hc']}/{suffix}{query}"
    response = client.get(url, headers=login_as("officer-hc"))
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert response.get_json()["errors"] == [{"field": "period", "message": message}]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/enterprises/{con}/hazard-statistics?period=2026Q3",
        "/api/v1/enterprises/{con}/hazard-statistics.pdf?period=2026Q3",
        "/api/v1/enterprises/{con}/hazard-ledger.pdf",
        "/api/v1/enterprises/{con}/hazard-ledger.xlsx",
        "/api/v1/enterprises/999999/hazard-ledger.xlsx",
    ],
)
def test_out_of_scope_enterprise_is_404(client, world, login_as, url):
    response = client.get(url.format(con=world["enterprise"]["con"]), headers=login_as("regulator"))
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"


# ---- ledger ------------------------------------------------------------------------------


def ledger_rows(response) -> list[tuple]:
    sheet = load_workbook(BytesIO(response.data))["隐患台账"]
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_ledger_defaults_to_this_month_up_to_today(
    client, world, login_as, third_quarter, frozen_clock
):
    frozen_clock(utc(2026, 9, 30, 17, 0))  # 1 Oct 01:00 in Beijing
    response = client.get(
        f"/api/v1/enterprises/{world['enterprise']['hc']}/hazard-ledger.xlsx",
        headers=login_as("head-hc"),
    )
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert (
        'filename="hazard-ledger-2026-10-01-2026-10-01.xlsx"'
        in response.headers["Content-Disposition"]
    )
    assert [row[2] for row in ledger_rows(response)] == ["T 十月隐患"]


def test_ledger_of_a_range_lists_its_hazards_in_order(client, world, login_as, third_quarter):
    response = client.get(
        f"/api/v1/enterprises/{world['enterprise']['hc']}/hazard-ledger.xlsx"
        "?from=2026-07-01&to=2026-09-30",
        headers=login_as("officer-hc"),
    )
    rows = ledger_rows(response)
    assert [(row[0], row[2], row[5], row[6], row[11]) for row in rows] == [
        (1, "P 储罐区围堰破损", "一般", "整改中", "是"),
        (2, "Q 安全阀未校验", "一般", "已销号", "否"),
        (3, "R 误报", "—", "已驳回", "否"),
        (4, "S 重大危险源未设置独立安全仪表系统", "重大", "整改中", "否"),
    ]
    assert rows[1][13].date() == date(2026, 7, 20)


def test_ledger_pdf_names_the_enterprise_and_period(
    client, world, login_as, third_quarter, tmp_path
):
    response = client.get(
        f"/api/v1/enterprises/{world['enterprise']['hc']}/hazard-ledger.pdf"
        "?from=2026-07-01&to=2026-09-30",
        headers=login_as("regulator"),
    )
    assert response.status_code == 200 and response.mimetype == PDF
    text = pdf_text(response.data, tmp_path)
    assert "隐患台账" in text and "宁波澄江化工有限公司" in text
    assert "2026年7月1日至2026年9月30日" in text
    assert "生成时间" not in text and not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert "共4项隐患，其中重大隐患1项，已销号1项，逾期未销号1项" in text
    assert "T十月隐患" not in text and "粉尘隐患" not in text


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?from=2026-13-01", "from", "应为日期（YYYY-MM-DD）。"),
        ("?to=yesterday", "to", "应为日期（YYYY-MM-DD）。"),
        ("?from=2026-09-30&to=2026-07-01", "from", "开始日期不能晚于结束日期。"),
    ],
)
@pytest.mark.parametrize("suffix", ["hazard-ledger.pdf", "hazard-ledger.xlsx"])
def test_bad_ledger_dates_are_422(client, world, login_as, query, field, message, suffix):
    url = f"/api/v1/enterprises/{world['enterprise']['hc']}/{suffix}{query}"
    response = client.get(url, headers=login_as("officer-hc"))
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"field": field, "message": message}]


# ---- record and notice ---------------------------------------------------------------------


@pytest.fixture
def record(app, db, world, tmp_path):
    app.config["ANXUN_MEDIA_DIR"] = str(tmp_path / "media")
    hc, officer = world["enterprise"]["hc"], world["users"]["officer-hc"]
    photo = f.make_media(hc, officer, tmp_path / "media")
    inspection = f.make_inspection(
        hc,
        officer,
        f.hazchem_version(),
        [
            {"item_id": "HC-MAJ-01", "result": "pass"},
            {"item_id": "HC-MAJ-02", "result": "fail", "note": "证件过期", "media_ids": [photo.id]},
        ],
    )
    hazard = f.make_hazard(
        hc,
        officer,
        reported_at=utc(2026, 11, 25, 2, 31),
        inspection_id=inspection.id,
        title="特种作业人员证件过期",
        media_ids=[str(photo.id)],
        steps=[
            (utc(2026, 11, 25, 3, 0), "confirm", "confirmed"),
            (utc(2026, 11, 25, 4, 0), "plan", "rectifying"),
        ],
        **f.general_plan(world["users"]["rectifier-hc"], date(2026, 12, 10)),
    )
    db.session.commit()
    return {"inspection": inspection, "hazard": hazard}


def test_record_pdf_is_served_with_its_photo(client, world, login_as, record, tmp_path):
    response = client.get(
        f"/api/v1/inspections/{record['inspection'].id}/record.pdf", headers=login_as("regulator")
    )
    assert response.status_code == 200 and response.mimetype == PDF
    assert (
        f"inspection-{record['inspection'].id.hex[:8]}.pdf"
        in response.headers["Content-Disposition"]
    )
    text = pdf_text(response.data, tmp_path)
    assert "隐患排查记录" in text and "不合格" in text and "证件过期" in text
    assert "特种作业人员证件过期" in text
    # No device UUID or 64-hex hash in the body: a short verification code instead.
    inspection = record["inspection"]
    code = inspection.id.hex[:12].upper()
    assert f"校验码{code[:4]}-{code[4:8]}-{code[8:]}" in text
    assert str(inspection.id) not in text and inspection.id.hex not in text
    assert not re.search(r"[0-9a-f]{32,}", text)
    assert "设备" not in text and "生成时间" not in text and "北京时间" not in text
    path = tmp_path / "record.pdf"
    path.write_bytes(response.data)
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True)
    assert len(images.stdout.splitlines()[2:]) == 1


def test_notice_pdf_is_served(client, world, login_as, record, tmp_path):
    hazard = record["hazard"]
    response = client.get(f"/api/v1/hazards/{hazard.id}/notice.pdf", headers=login_as("auditor"))
    assert response.status_code == 200 and response.mimetype == PDF
    # The enterprise's own series: 澄化 (configured abbreviation), 隐改, the year, a sequence.
    number = "澄化隐改〔2026〕1号"
    disposition = response.headers["Content-Disposition"]
    assert f'filename="notice-{hazard.id.hex[:8]}.pdf"' in disposition
    assert "filename*=UTF-8''" + quote(f"隐患整改通知单-{number}.pdf") in disposition
    text = pdf_text(response.data, tmp_path)
    assert number in text and "更换泄漏法兰垫片并做气密试验" in text and "5000.00元" in text
    for part in ("定措施", "定责任", "定资金", "定时限", "定预案", "整改责任人（签收）", "日期："):
        assert part in text, part
    assert "ZG-" not in text and "北京时间" not in text and "待核实" not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)


@pytest.mark.parametrize("kind", ["inspection", "hazard"])
def test_record_and_notice_are_hidden_outside_scope_and_unknown_ids_are_404(
    client, world, login_as, record, kind
):
    path = {
        "inspection": "/api/v1/inspections/{}/record.pdf",
        "hazard": "/api/v1/hazards/{}/notice.pdf",
    }[kind]
    hidden = client.get(path.format(record[kind].id), headers=login_as("head-con"))
    unknown = client.get(path.format(uuid.uuid4()), headers=login_as("head-con"))
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.get_json() == unknown.get_json()  # existence is not leaked
