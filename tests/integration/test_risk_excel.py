"""The risk register's Excel round trip: export, import elsewhere, re-import, row errors."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from anxun.checklists.models import ChecklistVersion
from anxun.core.audit import AuditEntry
from anxun.risk.models import ControlMeasure, RiskAssessment, RiskEvent, RiskObject, RiskUnit
from anxun.risk.registry.excel import COLUMNS
from tests.factories_risk import create_registry, make_assessment, upload, xlsx_bytes

API = "/api/v1"
HEADERS = [header for header, _, _, _ in COLUMNS]
TABLES = (RiskObject, RiskUnit, RiskEvent, ControlMeasure, RiskAssessment, AuditEntry)
NOT_IN_SHEET = {
    "id",
    "enterprise_id",
    "risk_object_id",
    "risk_unit_id",
    "risk_event_id",
    "created_at",
    "updated_at",
    "description",
    "consequence",
    "place_id",
    "check_item_id",
}


def counts(db) -> dict:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in TABLES
    }


def comparable(tree: dict) -> list:
    """The register without ids, dates and the fields the sheet does not carry."""

    def strip(node):
        if isinstance(node, list):
            return [strip(child) for child in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key == "latest_assessment" and value is not None:
                value = {
                    k: value[k]
                    for k in ("kind", "method", "factors", "score", "level", "control_level")
                }
            elif key in NOT_IN_SHEET and not (key == "description" and "classify1" in node):
                continue
            out[key] = strip(value)
        return out

    return strip(tree["objects"])


@pytest.fixture
def registry(client, login_as, db, world):
    """hc's registry built through the API, with LEC and LS assessments inserted directly."""
    hc = world["enterprise"]["hc"]
    ids = create_registry(client, login_as("officer-hc"), hc)
    assessor = world["users"]["officer-hc"]
    make_assessment(hc, ids["leak"], assessor, "yellow")  # LEC 3×6×7 = 126
    make_assessment(
        hc,
        ids["seal"],
        assessor,
        "red",
        method="LS",
        factors={"L": 4, "S": 5},
        score=20,
        band_table_code="ls-default",
        control_level="company",
    )
    db.session.commit()
    return ids


def export(client, headers, enterprise_id) -> bytes:
    response = client.get(f"{API}/enterprises/{enterprise_id}/risk-register.xlsx", headers=headers)
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return response.data


def register(client, headers, enterprise_id) -> dict:
    return client.get(
        f"{API}/enterprises/{enterprise_id}/risk-register", headers=headers
    ).get_json()


def do_import(client, headers, enterprise_id, data: bytes, name="register.xlsx"):
    return client.post(
        f"{API}/enterprises/{enterprise_id}/risk-register/import",
        headers=headers,
        **upload(data, name),
    )


def test_export_has_one_row_per_measure_with_the_chain_flattened(client, login_as, registry, world):
    data = export(client, login_as("auditor"), world["enterprise"]["hc"])
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "宁波澄江化工有限公司 安全风险分级管控清单"
    assert rows[1] == HEADERS
    body = [dict(zip(HEADERS, row, strict=True)) for row in rows[2:]]
    # 5 measures, plus one row for the object without units.
    assert [row["序号"] for row in body] == [1, 2, 3, 4, 5, 6]
    first = body[0]
    assert {k: first[k] for k in HEADERS[1:13]} == {
        "风险分析对象": "液氨储罐区",
        "危险源编码": "330211-HZ-01",
        "是否重大危险源": "是",
        "包保责任人（主要）": "王建国",
        "包保责任人（技术）": "李工",
        "包保责任人（操作）": "张班长",
        "风险分析单元": "1号液氨储罐",
        "责任部门": "储运车间",
        "责任人": "赵主任",
        "安全风险事件": "液氨泄漏引发中毒",
        "事故类型": "中毒和窒息",
        "管控措施": "液位高低报警并联锁切断进料",
    }
    assert {k: first[k] for k in HEADERS[13:]} == {
        "措施分类一": "工程技术",
        "措施分类二": "1-4 安全仪表",
        "措施分类三": "液位联锁",
        "数据来源": "隐患排查",
        "隐患排查内容": "检查液位报警联锁是否投用",
        "管控层级": "车间级",
        "措施类别": "工程技术措施",
        "评价方法": "LEC",
        "L": 3,
        "E": 6,
        "C": 7,
        "S": None,
        "M": None,
        "风险值": 126,
        "风险等级": "一般（黄）",
    }
    assert body[1]["数据来源"] == "自动化监控"
    assert body[1]["管控层级"] is None
    assert body[3]["事故类型"] == "容器爆炸、其它爆炸"
    assert (body[3]["评价方法"], body[4]["评价方法"], body[4]["风险等级"]) == (
        None,
        "LS",
        "重大（红）",
    )
    assert body[5]["风险分析对象"] == "包装车间"
    assert body[5]["是否重大危险源"] == "否"
    assert body[5]["风险分析单元"] is None


def test_round_trip_into_another_enterprise_and_idempotent_reimport(
    client, login_as, db, registry, world, frozen_clock
):
    hc, dust = world["enterprise"]["hc"], world["enterprise"]["dust"]
    data = export(client, login_as("officer-hc"), hc)
    officer_dust = login_as("officer-dust")
    frozen_clock(datetime(2026, 3, 31, 17, 0, tzinfo=UTC))  # 2026-04-01 in China

    first = do_import(client, officer_dust, dust, data)
    assert first.status_code == 200, first.get_json()
    assert first.get_json() == {
        "rows": 6,
        "created": {"objects": 2, "units": 2, "events": 3, "measures": 5, "assessments": 2},
        "updated": {"objects": 0, "units": 0, "events": 0, "measures": 0},
    }
    original = register(client, login_as("officer-hc"), hc)
    copied = register(client, officer_dust, dust)
    assert comparable(copied) == comparable(original)
    assessment = db.session.scalars(
        select(RiskAssessment).where(
            RiskAssessment.enterprise_id == dust, RiskAssessment.method == "LS"
        )
    ).one()
    assert (assessment.assessor_user_id, assessment.assessed_on) == (
        world["users"]["officer-dust"],
        date(2026, 4, 1),
    )
    assert (assessment.level, assessment.score, assessment.control_level) == ("red", 20, "company")
    assert assessment.explanation.startswith("R = L×S = 4×5 = 20")

    before = counts(db)
    second = do_import(client, officer_dust, dust, data)
    assert second.status_code == 200
    assert second.get_json()["created"] == dict.fromkeys(
        ("objects", "units", "events", "measures", "assessments"), 0
    )
    assert set(second.get_json()["updated"].values()) == {0}
    after = counts(db)
    # Only the import itself is audited.
    assert after == {**before, "AuditEntry": before["AuditEntry"] + 1}
    assert comparable(register(client, officer_dust, dust)) == comparable(copied)
    # The imported measures feed dust's own control-measure checklist.
    checklist = client.get(f"{API}/checklists/risk-controls", headers=officer_dust).get_json()
    assert checklist["item_count"] == 4


def test_deleted_objects_come_back_from_the_export(client, login_as, db, registry, world):
    hc = world["enterprise"]["hc"]
    officer = login_as("officer-hc")
    data = export(client, officer, hc)
    original = register(client, officer, hc)
    assert (
        client.delete(f"{API}/risk-objects/{registry['tank_farm']}", headers=officer).status_code
        == 204
    )
    response = do_import(client, officer, hc, data)
    assert response.get_json()["created"] == {
        "objects": 1,
        "units": 2,
        "events": 3,
        "measures": 5,
        "assessments": 2,
    }
    restored = register(client, officer, hc)
    assert comparable(restored) == [comparable(original)[1], comparable(original)[0]]
    assert restored["objects"][1]["id"] != registry["tank_farm"]


def test_rows_merge_into_existing_records_and_update_what_differs(
    client, login_as, db, registry, world
):
    hc = world["enterprise"]["hc"]
    officer = login_as("officer-hc")
    rows = [
        [
            1,
            "液氨储罐区",
            "330211-HZ-02",
            "是",
            "王建国",
            "李工",
            "张班长",
            "1号液氨储罐",
            "储运车间",
            "钱主任",
            "液氨泄漏引发中毒",
            "中毒和窒息",
            "液位高低报警并联锁切断进料",
            "工程技术",
            "工艺控制",
            "",
            "隐患排查",
            "检查液位报警联锁是否投用",
            "班组级",
        ],
        [
            2,
            "液氨储罐区",
            "330211-HZ-02",
            "是",
            "王建国",
            "李工",
            "张班长",
            "1号液氨储罐",
            "储运车间",
            "钱主任",
            "液氨泄漏引发中毒",
            "中毒和窒息",
            "巡检时检查罐根阀",
            "维护保养",
            "2-2",
            "",
            "",
            "",
            "",
        ],
    ]
    data = xlsx_bytes(rows, HEADERS[:19])
    response = do_import(client, officer, hc, data)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["created"] == {
        "objects": 0,
        "units": 0,
        "events": 0,
        "measures": 1,
        "assessments": 0,
    }
    assert response.get_json()["updated"] == {
        "objects": 1,
        "units": 1,
        "events": 0,
        "measures": 1,
    }
    obj = db.session.get(RiskObject, registry["tank_farm"])
    measure = db.session.get(ControlMeasure, registry["interlock"])
    assert obj.hazard_code == "330211-HZ-02"
    assert db.session.get(RiskUnit, registry["tank1"]).responsible_name == "钱主任"
    # "工艺控制" under 工程技术 is 1-1; blank cells clear what the sheet carries.
    assert (measure.classify2, measure.classify3, measure.control_level) == ("1-1", "", "team")
    added = db.session.scalars(
        select(ControlMeasure).where(ControlMeasure.description == "巡检时检查罐根阀")
    ).one()
    assert (added.risk_event_id, added.classify1, added.data_source) == (
        registry["leak"],
        "maintenance",
        "hazard_inspection",
    )
    # Columns the sheet lacks are left alone: the assessment stays.
    assert (
        db.session.scalar(
            select(func.count(RiskAssessment.id)).where(
                RiskAssessment.risk_event_id == registry["leak"]
            )
        )
        == 1
    )


BAD_ROWS = [
    # row 3: fine
    [
        1,
        "甲罐区",
        "HZ-1",
        "是",
        "甲",
        "乙",
        "丙",
        "1号罐",
        "车间",
        "丁",
        "泄漏",
        "火灾",
        "液位联锁",
        "工程技术",
        "1-4",
        "",
        "隐患排查",
        "",
        "",
        "LEC",
        3,
        6,
        7,
        None,
        None,
        126,
    ],
    # row 4: classify2 of another classify1
    [
        2,
        "甲罐区",
        "HZ-1",
        "是",
        "甲",
        "乙",
        "丙",
        "1号罐",
        "车间",
        "丁",
        "泄漏",
        "火灾",
        "静电接地",
        "工程技术",
        "2-1",
        "",
        "",
        "",
        "",
        "",
        None,
        None,
        None,
        None,
        None,
        None,
    ],
    # row 5: a major hazard source without its code and one accountable person
    [
        3,
        "乙罐区",
        "",
        "是",
        "甲",
        "",
        "丙",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        None,
        None,
        None,
        None,
        None,
        None,
    ],
    # row 6: a factor value outside the LEC table
    [
        4,
        "甲罐区",
        "HZ-1",
        "是",
        "甲",
        "乙",
        "丙",
        "2号罐",
        "",
        "",
        "超装",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "LEC",
        4,
        6,
        7,
        None,
        None,
        None,
    ],
    # row 7: an event without its unit
    [
        5,
        "丙区",
        "",
        "否",
        "",
        "",
        "",
        "",
        "",
        "",
        "泄漏",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        None,
        None,
        None,
        None,
        None,
        None,
    ],
    # row 8: the same object as row 3 with another hazard code
    [
        6,
        "甲罐区",
        "HZ-9",
        "是",
        "甲",
        "乙",
        "丙",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        None,
        None,
        None,
        None,
        None,
        None,
    ],
    # row 9: the measure of row 3 again
    [
        7,
        "甲罐区",
        "HZ-1",
        "是",
        "甲",
        "乙",
        "丙",
        "1号罐",
        "车间",
        "丁",
        "泄漏",
        "火灾",
        "液位联锁",
        "工程技术",
        "1-4",
        "",
        "",
        "",
        "",
        "",
        None,
        None,
        None,
        None,
        None,
        None,
    ],
    # row 10: unreadable labels and a factor that is not a number
    [
        8,
        "丁区",
        "",
        "否",
        "",
        "",
        "",
        "A单元",
        "",
        "",
        "坠落",
        "高处坠落",
        "护栏",
        "防护",
        "1-1",
        "",
        "人工",
        "",
        "厂级",
        "LS",
        "x",
        None,
        None,
        2,
        None,
        None,
    ],
    # row 11: a factor missing
    [
        9,
        "丁区",
        "",
        "否",
        "",
        "",
        "",
        "B单元",
        "",
        "",
        "坠落",
        "高处坠落",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "LS",
        None,
        None,
        None,
        2,
        None,
        None,
    ],
    # row 12: a score that is not L×S
    [
        10,
        "丁区",
        "",
        "否",
        "",
        "",
        "",
        "C单元",
        "",
        "",
        "坠落",
        "高处坠落",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "LS",
        2,
        None,
        None,
        2,
        None,
        5,
    ],
]


def test_any_bad_row_rejects_the_file_with_numbered_chinese_errors(client, login_as, db, world):
    hc = world["enterprise"]["hc"]
    officer = login_as("officer-hc")
    before = counts(db)
    versions = db.session.scalar(select(func.count(ChecklistVersion.id)))
    # The sheet leaves out the optional 措施类别 column (a blank kind is taken from classify1).
    columns = [header for header in HEADERS if header != "措施类别"][:26]
    data = xlsx_bytes(BAD_ROWS, columns, title="风险辨识清单")
    response = do_import(client, officer, hc, data)
    assert response.status_code == 422
    body = response.get_json()
    found = [(e["row"], e["field"]) for e in body["errors"]]
    assert found == [
        (4, "rows.4.classify2"),
        (5, "rows.5.hazard_code"),
        (5, "rows.5.accountable_technical"),
        (6, "rows.6.assessment.L"),
        (7, "rows.7.event.name"),
        (8, "rows.8.hazard_code"),
        (9, "rows.9.description"),
        (10, "rows.10.classify1"),
        (10, "rows.10.data_source"),
        (10, "rows.10.control_level"),
        (10, "rows.10.assessment.L"),
        (11, "rows.11.assessment.L"),
        (12, "rows.12.assessment.score"),
    ]
    messages = {(e["row"], e["field"].rsplit(".", 1)[-1]): e["message"] for e in body["errors"]}
    assert messages[(4, "classify2")] == (
        "第 4 行：措施分类二“2-1 动设备”不属于“工程技术”，应为 1-1、1-2、1-3、1-4、1-5 之一。"
    )
    assert messages[(5, "hazard_code")] == "第 5 行：重大危险源须填写危险源编码。"
    assert messages[(6, "L")] == "第 6 行：L 的取值应为 10、6、3、1、0.5、0.2、0.1 之一。"
    assert messages[(7, "name")] == "第 7 行：填写了安全风险事件，但未填写风险分析单元。"
    assert (
        messages[(8, "hazard_code")] == "第 8 行：与第 3 行同一风险分析对象“甲罐区”的内容不一致。"
    )
    assert messages[(9, "description")] == "第 9 行：与第 3 行的管控措施重复。"
    assert messages[(10, "L")] == "第 10 行：因子 L 应为数字，实为“x”。"
    assert messages[(11, "L")] == "第 11 行：请填写 L（事故发生的可能性）的取值。"
    assert messages[(12, "score")] == "第 12 行：风险值 5 与按因子计算的结果 4 不一致。"
    assert body["detail"] == "共 13 处错误，未导入任何数据。"
    assert counts(db) == before
    assert db.session.scalar(select(func.count(ChecklistVersion.id))) == versions


def test_the_accident_type_of_a_row_is_checked(client, login_as, db, world):
    rows = [[1, "丁区", "", "否", "", "", "", "A单元", "", "", "坠落", "高处坠落、摔倒"]]
    response = do_import(
        client,
        login_as("officer-hc"),
        world["enterprise"]["hc"],
        xlsx_bytes(rows, HEADERS[:12] + ["管控措施", "措施分类一", "措施分类二"]),
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {
            "field": "rows.2.accident_types",
            "row": 2,
            "message": "第 2 行：事故类型“摔倒”不属于 GB 6441-1986 规定的 20 类事故。",
        }
    ]


def test_the_kind_of_a_measure_is_read_from_its_column_or_taken_from_classify1(
    client, login_as, db, world
):
    header = HEADERS[:12] + ["管控措施", "措施分类一", "措施分类二", "措施类别"]
    rows = [
        [1, "丁区", "", "否", "", "", "", "A单元", "", "", "中毒", "中毒和窒息", "年度复训",
         "操作行为", "3-1", "培训教育"],
        [2, "丁区", "", "否", "", "", "", "A单元", "", "", "中毒", "中毒和窒息", "佩戴防毒面具",
         "操作行为", "3-4", "ppe"],
        [3, "丁区", "", "否", "", "", "", "A单元", "", "", "中毒", "中毒和窒息", "联锁切断",
         "工程技术", "1-4", ""],
    ]  # fmt: skip
    headers = login_as("officer-hc")
    hc = world["enterprise"]["hc"]
    response = do_import(client, headers, hc, xlsx_bytes(rows, header))
    assert response.status_code == 200, response.get_json()
    kinds = dict(db.session.execute(select(ControlMeasure.description, ControlMeasure.kind)).all())
    assert kinds == {"年度复训": "training", "佩戴防毒面具": "ppe", "联锁切断": "engineering"}

    rows[0][-1] = "劳保"
    response = do_import(client, headers, hc, xlsx_bytes(rows, header))
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["message"] == (
        "第 2 行：措施类别“劳保”无法识别，应为工程技术措施、管理措施、培训教育措施、个体防护措施、"
        "应急处置措施之一。"
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("register.csv", b"a,b\n", "只支持 .xlsx 格式的风险分级管控清单。"),
        ("register.xlsx", b"not a workbook", "无法读取 Excel 文件。"),
        (
            "register.xlsx",
            xlsx_bytes([], ["序号", "名称"]),
            "未找到表头行（应包含“风险分析对象”等列）。",
        ),
        ("register.xlsx", xlsx_bytes([], HEADERS[:12]), "缺少列：管控措施、措施分类一、措施分类二"),
        ("register.xlsx", xlsx_bytes([], [*HEADERS, "备注"]), "无法识别的列：备注"),
        ("register.xlsx", xlsx_bytes([], HEADERS), "文件中没有数据行。"),
    ],
)
def test_unreadable_files_are_explained(client, login_as, db, world, name, data, message):
    before = counts(db)
    response = do_import(client, login_as("officer-hc"), world["enterprise"]["hc"], data, name)
    assert response.status_code == 422
    assert response.get_json()["detail"] == message
    assert counts(db) == before


def test_only_the_head_and_safety_officer_import(client, login_as, db, registry, world):
    hc = world["enterprise"]["hc"]
    data = export(client, login_as("officer-hc"), hc)
    for username, status in (
        ("rectifier-hc", 403),
        ("auditor", 403),
        ("regulator", 403),
        ("head-con", 404),
    ):
        assert do_import(client, login_as(username), hc, data).status_code == status


def test_imported_assessments_are_graded_with_the_enterprises_own_band_table(
    client, login_as, db, registry, world
):
    from sqlalchemy import select

    from anxun.risk.models import RiskAssessment
    from tests.api.test_risk_grading_api import post_table, strict_bands

    dust = world["enterprise"]["dust"]
    officer = login_as("officer-dust")
    assert post_table(client, officer, f"enterprise:{dust}", strict_bands()).status_code == 201
    data = export(client, login_as("officer-hc"), world["enterprise"]["hc"])
    assert do_import(client, officer, dust, data).status_code in (200, 201)
    imported = db.session.scalars(
        select(RiskAssessment).where(
            RiskAssessment.enterprise_id == dust, RiskAssessment.method == "LEC"
        )
    ).all()
    assert imported
    assert {(a.band_table_code, a.band_table_version) for a in imported} == {
        (f"enterprise-{dust}-lec", "1")
    }
