"""The risk calculator, band-table configuration and risk assessments through the API."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from anxun.core.audit import AuditEntry
from anxun.risk.models import BandTableConfig, RiskAssessment
from tests.conftest import DEMO_PASSWORD
from tests.factories_grading import band, lenient_lec_bands, make_province_admin, make_risk_event
from tests.factories_grading import strict_lec_bands as strict_bands
from tests.unit.test_risk_grading import LEC_CASES, LS_CASES, MES_CASES

EVALUATE = "/api/v1/risk/evaluate"
BANDS = "/api/v1/risk/band-tables"
LEC_L = "L 的取值应为 10、6、3、1、0.5、0.2、0.1 之一。"


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def officer(login_as):
    return login_as("officer-hc")


def evaluate(client, headers, **body):
    return client.post(EVALUATE, json=body, headers=headers)


# --- the calculator ------------------------------------------------------------------------------


def test_evaluate_lec_returns_the_explained_grade_without_saving(client, officer, db):
    audits = count(db, AuditEntry)
    response = evaluate(client, officer, method="LEC", L=6, E=6, C=15)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "method": "LEC",
        "factors": {"L": 6, "E": 6, "C": 15},
        "score": 540,
        "level": {"code": "red", "label": "重大", "colour": "红"},
        "band": {
            "label": "极其危险",
            "lower": 320,
            "lower_inclusive": False,
            "upper": None,
            "upper_inclusive": False,
            "description": "D > 320：极其危险，重大风险（一级）",
        },
        "control_level": {"code": "company", "label": "公司级", "verify": "pending"},
        "explanation": "D = L×E×C = 6×6×15 = 540 > 320，属重大风险（红色）",
        "band_table": {
            "code": "lec-default",
            "version": "1",
            "verify": None,
            "owner_key": "default",
        },
    }
    assert count(db, AuditEntry) == audits
    assert count(db, RiskAssessment) == 0


@pytest.mark.parametrize(
    ("method", "symbols", "cases"),
    [("LEC", "LEC", LEC_CASES), ("LS", "LS", LS_CASES), ("MES", "MES", MES_CASES)],
)
def test_every_default_band_edge_grades_through_the_api(client, officer, method, symbols, cases):
    # The reachable products on both sides of each edge, as in tests/unit/test_risk_grading.py.
    for case in cases:
        factors = dict(zip(symbols, case[: len(symbols)], strict=True))
        score, level, band_label = case[len(symbols) :]
        body = evaluate(client, officer, method=method, **factors).get_json()
        assert (body["score"], body["level"]["code"], body["band"]["label"]) == (
            score,
            level,
            band_label,
        ), factors


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"method": "LEC", "L": 5, "E": 6, "C": 15}, [{"field": "L", "message": LEC_L}]),
        ({"method": "LEC", "L": "6", "E": 6, "C": 15}, [{"field": "L", "message": LEC_L}]),
        (
            {"method": "LS", "L": 4, "S": 6},
            [{"field": "S", "message": "S 的取值应为 5、4、3、2、1 之一。"}],
        ),
        (
            {"method": "MES", "M": 2, "E": 6, "S": 8},
            [{"field": "M", "message": "M 的取值应为 5、3、1 之一。"}],
        ),
        (
            {"method": "LEC", "L": 6, "C": 15, "S": 2},
            [
                {"field": "E", "message": "请填写 E（暴露于危险环境的频繁程度）的取值。"},
                {"field": "S", "message": "S 不是 LEC 法的评价因子。"},
            ],
        ),
        (
            {"method": "ABC", "L": 6},
            [{"field": "method", "message": "评价方法应为 LEC、LS、MES 之一。"}],
        ),
        ({"L": 6, "E": 6, "C": 15}, [{"field": "method", "message": "此项为必填项。"}]),
    ],
)
def test_factors_outside_the_tables_are_422_with_chinese_messages(client, officer, body, errors):
    response = client.post(EVALUATE, json=body, headers=officer)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["type"] == "/problems/validation"
    assert problem["errors"] == errors


def test_ls_and_mes_calculations(client, officer):
    ls = evaluate(client, officer, method="LS", L=4, S=5).get_json()
    assert (ls["score"], ls["level"]["code"], ls["control_level"]["code"]) == (20, "red", "company")
    assert ls["explanation"] == "R = L×S = 4×5 = 20，20 ≤ 20 ≤ 25，属重大风险（红色）"
    mes = evaluate(client, officer, method="MES", M=3, E=6, S=4).get_json()
    assert (mes["score"], mes["level"]["code"], mes["control_level"]["code"]) == (
        72,
        "yellow",
        "workshop",
    )


def test_methods_describe_factor_tables_and_default_bands(client, officer):
    response = client.get("/api/v1/risk/methods", headers=officer)
    assert response.status_code == 200
    methods = {m["code"]: m for m in response.get_json()}
    assert list(methods) == ["LEC", "LS", "MES"]
    lec = methods["LEC"]
    assert lec["formula"] == "D = L×E×C"
    assert [f["symbol"] for f in lec["factors"]] == ["L", "E", "C"]
    assert [v["value"] for v in lec["factors"][0]["values"]] == [10, 6, 3, 1, 0.5, 0.2, 0.1]
    assert lec["bands"]["code"] == "lec-default"
    assert [b["level"] for b in methods["LS"]["bands"]["bands"]] == [
        "red",
        "orange",
        "yellow",
        "blue",
        "blue",
    ]


# --- band tables -----------------------------------------------------------------------------------


def post_table(client, headers, owner, bands, **extra):
    body = {"method": "LEC", "bands": bands, "source": "测试", **extra}
    return client.post(f"{BANDS}?owner={owner}", json=body, headers=headers)


def test_an_enterprise_table_changes_the_level_of_the_same_factors(client, world, login_as, db):
    hc = world["enterprise"]["hc"]
    head = login_as("head-hc")
    before = evaluate(client, head, method="LEC", L=6, E=2, C=15, enterprise_id=hc).get_json()
    assert (before["score"], before["level"]["code"]) == (180, "orange")

    created = post_table(client, head, f"enterprise:{hc}", strict_bands())
    assert created.status_code == 201, created.get_json()
    table = created.get_json()
    assert (table["code"], table["version"], table["owner_key"]) == (
        f"enterprise-{hc}-lec",
        1,
        f"enterprise:{hc}",
    )
    assert table["created_by_user_id"] == world["users"]["head-hc"]

    after = evaluate(client, head, method="LEC", L=6, E=2, C=15, enterprise_id=hc).get_json()
    assert after["level"]["code"] == "red"
    assert after["band_table"] == {
        "code": f"enterprise-{hc}-lec",
        "version": "1",
        "verify": None,
        "owner_key": f"enterprise:{hc}",
    }
    assert after["explanation"] == "D = L×E×C = 6×2×15 = 180 > 150，属重大风险（红色）"
    # Without the enterprise, and for another enterprise, the default still applies.
    plain = evaluate(client, head, method="LEC", L=6, E=2, C=15).get_json()
    assert plain["level"]["code"] == "orange"
    dust = world["enterprise"]["dust"]
    other = evaluate(
        client, login_as("regulator"), method="LEC", L=6, E=2, C=15, enterprise_id=dust
    ).get_json()
    assert other["level"]["code"] == "orange"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "configure_band_table"))
    assert entry.entity_id == str(table["id"])


def test_a_new_version_keeps_the_old_one(client, world, login_as):
    hc = world["enterprise"]["hc"]
    officer = login_as("officer-hc")
    assert post_table(client, officer, f"enterprise:{hc}", strict_bands()).status_code == 201
    control_map = {"red": "company", "orange": "workshop", "yellow": "team", "blue": "post"}
    second = post_table(
        client, officer, f"enterprise:{hc}", strict_bands(), control_map=control_map
    )
    assert second.get_json()["version"] == 2
    listed = client.get(f"{BANDS}?owner=enterprise:{hc}", headers=officer).get_json()
    assert [(t["method"], t["version"]) for t in listed] == [("LEC", 2), ("LEC", 1)]
    # The newest version and its control-level mapping apply.
    result = evaluate(client, officer, method="LEC", L=10, E=1, C=15, enterprise_id=hc).get_json()
    assert result["level"]["code"] == "orange"
    assert result["control_level"]["code"] == "workshop"
    assert result["band_table"]["version"] == "2"
    assert client.get(f"{BANDS}?owner=enterprise:{hc}&method=LS", headers=officer).get_json() == []


def test_a_province_table_applies_to_enterprises_in_that_province(client, world, login_as, db):
    make_province_admin("province-admin", DEMO_PASSWORD)
    db.session.commit()
    province = login_as("province-admin")
    response = post_table(client, province, "region:33", lenient_lec_bands())
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["code"] == "region-33-lec"
    dust = world["enterprise"]["dust"]
    regulator = login_as("regulator")
    # D = 3×3×40 = 360: red by default, orange by the province's table.
    result = evaluate(client, regulator, method="LEC", L=3, E=3, C=40, enterprise_id=dust)
    body = result.get_json()
    assert body["level"]["code"] == "orange"
    assert body["band_table"]["owner_key"] == "region:33"
    # An enterprise's own table wins over its province's.
    hc = world["enterprise"]["hc"]
    post_table(client, login_as("head-hc"), f"enterprise:{hc}", strict_bands())
    own = evaluate(client, regulator, method="LEC", L=3, E=3, C=40, enterprise_id=hc).get_json()
    assert (own["level"]["code"], own["band_table"]["owner_key"]) == ("red", f"enterprise:{hc}")
    # Province tables are readable by every signed-in user.
    listed = client.get(f"{BANDS}?owner=region:33", headers=login_as("head-con")).get_json()
    assert [t["code"] for t in listed] == ["region-33-lec"]


def test_only_the_provinces_own_admin_configures_its_table(client, world, login_as, db):
    make_province_admin("province-admin", DEMO_PASSWORD)
    db.session.commit()
    other = post_table(client, login_as("province-admin"), "region:44", lenient_lec_bands())
    assert other.status_code == 403
    county = post_table(client, login_as("regulator-admin"), "region:33", lenient_lec_bands())
    assert county.status_code == 403
    assert county.get_json()["detail"] == (
        "只有本省（自治区、直辖市）监管部门管理员可以配置省级风险分级表。"
    )
    missing = post_table(client, login_as("admin"), "region:99", lenient_lec_bands())
    assert missing.status_code == 422
    assert missing.get_json()["errors"] == [
        {"field": "owner", "message": "行政区划 990000 不存在。"}
    ]
    assert count(db, BandTableConfig) == 0


OVERLAP = [
    band("red", "重大", 300, True, None, False),
    band("orange", "较大", 160, False, 320, True),
    band("yellow", "一般", 70, False, 160, True),
    band("blue", "低", None, False, 70, True),
]
GAP = [
    band("red", "重大", 320, False, None, False),
    band("orange", "较大", 160, False, 320, True),
    band("yellow", "一般", 70, False, 140, True),
    band("blue", "低", None, False, 70, True),
]
INVERTED = [
    band("red", "重大", 320, False, None, False),
    band("yellow", "一般", 160, False, 320, True),
    band("orange", "较大", 70, False, 160, True),
    band("blue", "低", None, False, 70, True),
]


BANDS_WRONG = "风险分级表 {code} 有误："
CONTROLS_WRONG = "管控层级配置 {code} 有误："


@pytest.mark.parametrize(
    ("bands", "extra", "errors"),
    [
        (OVERLAP, {}, [("bands", BANDS_WRONG + "第 1 个区间与第 2 个区间重叠。")]),
        (GAP, {}, [("bands", BANDS_WRONG + "以下可能出现的 D 值不在任何区间内：150。")]),
        (
            INVERTED,
            {},
            [("bands", BANDS_WRONG + "第 2 个区间分值更高，风险等级却低于第 3 个区间。")],
        ),
        (
            strict_bands(),
            {"control_map": {"red": "company", "orange": "boss", "yellow": "team"}},
            [
                (
                    "control_map",
                    CONTROLS_WRONG
                    + "较大风险的管控层级 boss 未知，应为 company、workshop、team、post 之一；"
                    "缺少低风险（blue）的管控层级。",
                )
            ],
        ),
        (
            [{**strict_bands()[0], "level": "purple"}, *strict_bands()[1:]],
            {},
            [("bands.0.level", "取值应为以下之一：red, orange, yellow, blue。")],
        ),
        (
            [{**strict_bands()[0], "lower": "150"}, *strict_bands()[1:]],
            {},
            [("bands.0.lower", "应为数字。")],
        ),
        ([], {}, [("bands", "长度应在 1 到 20 之间。")]),
    ],
)
def test_bad_band_tables_are_422_and_store_nothing(
    client, world, login_as, db, bands, extra, errors
):
    hc = world["enterprise"]["hc"]
    audits = count(db, AuditEntry)
    response = post_table(client, login_as("head-hc"), f"enterprise:{hc}", bands, **extra)
    assert response.status_code == 422
    code = f"enterprise-{hc}-lec"
    assert response.get_json()["errors"] == [
        {"field": field, "message": message.format(code=code)} for field, message in errors
    ]
    assert count(db, BandTableConfig) == 0
    assert count(db, AuditEntry) == audits


@pytest.mark.parametrize("owner", ["province:33", "region:330000", "enterprise:", "enterprise:x"])
def test_a_malformed_owner_is_422(client, officer, owner):
    response = client.get(f"{BANDS}?owner={owner}", headers=officer)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "owner"


# --- assessments -----------------------------------------------------------------------------------


@pytest.fixture
def hc_event(world, db):
    event = make_risk_event(world["enterprise"]["hc"])
    db.session.commit()
    return event.id


def assess(client, headers, event_id, **body):
    return client.post(f"/api/v1/risk-events/{event_id}/assessments", json=body, headers=headers)


def test_assessments_record_the_band_table_version_they_used(
    client, world, login_as, db, hc_event, frozen_clock
):
    # 17:30 UTC on 9 March is 01:30 on 10 March in China.
    frozen_clock(datetime(2026, 3, 9, 17, 30, tzinfo=UTC))
    hc = world["enterprise"]["hc"]
    officer = login_as("officer-hc")
    first = assess(client, officer, hc_event, method="LEC", L=6, E=2, C=15, kind="inherent")
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert body["kind"] == {"code": "inherent", "label": "固有风险"}
    assert (body["method"], body["factors"], body["score"]) == (
        "LEC",
        {"L": 6, "E": 2, "C": 15},
        180,
    )
    assert body["level"] == {"code": "orange", "label": "较大"}
    assert body["control_level"] == {"code": "company", "label": "公司级"}
    assert (body["band_table_code"], body["band_table_version"]) == ("lec-default", "1")
    assert body["explanation"] == "D = L×E×C = 6×2×15 = 180，160 < 180 ≤ 320，属较大风险（橙色）"
    assert body["assessor_user_id"] == world["users"]["officer-hc"]
    assert body["assessed_on"] == "2026-03-10"

    post_table(client, login_as("head-hc"), f"enterprise:{hc}", strict_bands())
    post_table(client, login_as("head-hc"), f"enterprise:{hc}", strict_bands())
    second = assess(client, login_as("head-hc"), hc_event, method="LEC", L=6, E=2, C=15)
    assert second.status_code == 201
    assert second.get_json()["kind"]["code"] == "residual"
    assert second.get_json()["level"]["code"] == "red"
    assert (second.get_json()["band_table_code"], second.get_json()["band_table_version"]) == (
        f"enterprise-{hc}-lec",
        "2",
    )
    row = db.session.get(RiskAssessment, second.get_json()["id"])
    assert (row.band_table_code, row.band_table_version, float(row.score)) == (
        f"enterprise-{hc}-lec",
        "2",
        180.0,
    )
    history = client.get(f"/api/v1/risk-events/{hc_event}/assessments", headers=officer)
    assert [a["id"] for a in history.get_json()] == [
        second.get_json()["id"],
        body["id"],
    ]


def test_a_bad_assessment_writes_nothing(client, login_as, db, hc_event):
    audits = count(db, AuditEntry)
    response = assess(client, login_as("officer-hc"), hc_event, method="LEC", L=5, E=6, C=15)
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"field": "L", "message": LEC_L}]
    bad_kind = assess(client, login_as("officer-hc"), hc_event, method="LS", L=1, S=1, kind="x")
    assert bad_kind.status_code == 422
    assert bad_kind.get_json()["errors"][0]["field"] == "kind"
    assert count(db, RiskAssessment) == 0
    assert count(db, AuditEntry) == audits


def test_who_may_assess(client, login_as, db, hc_event):
    body = {"method": "LS", "L": 2, "S": 2}
    assert assess(client, login_as("rectifier-hc"), hc_event, **body).status_code == 403
    assert assess(client, login_as("regulator"), hc_event, **body).status_code == 403
    assert assess(client, login_as("head-con"), hc_event, **body).status_code == 404
    assert assess(client, login_as("head-hc"), 999999, **body).status_code == 404
    assert count(db, RiskAssessment) == 0
    listed = client.get(f"/api/v1/risk-events/{hc_event}/assessments", headers=login_as("auditor"))
    assert (listed.status_code, listed.get_json()) == (200, [])


def test_a_deleted_event_or_parent_hides_its_assessments(client, world, login_as, db):
    from anxun.risk.models import RiskObject, RiskUnit

    event = make_risk_event(world["enterprise"]["hc"])
    unit = db.session.get(RiskUnit, event.risk_unit_id)
    db.session.get(RiskObject, unit.risk_object_id).deleted_at = datetime(2026, 1, 1, tzinfo=UTC)
    db.session.commit()
    officer = login_as("officer-hc")
    assert (
        client.get(f"/api/v1/risk-events/{event.id}/assessments", headers=officer).status_code
        == 404
    )
    assert assess(client, officer, event.id, method="LS", L=2, S=2).status_code == 404


def test_a_version_taken_by_a_concurrent_writer_is_409(client, world, login_as, db, monkeypatch):
    from anxun.risk.grading import services as grading_services

    hc = world["enterprise"]["hc"]
    head = login_as("head-hc")
    assert post_table(client, head, f"enterprise:{hc}", strict_bands()).status_code == 201
    audits = count(db, AuditEntry)
    real = grading_services.latest_band_config
    missed = []

    def racing(owner_key, method):
        # The first lookup misses version 1, as a request racing the one above would.
        if not missed:
            missed.append(True)
            return None
        return real(owner_key, method)

    monkeypatch.setattr(grading_services, "latest_band_config", racing)
    response = post_table(client, head, f"enterprise:{hc}", lenient_lec_bands())
    assert response.status_code == 409
    assert response.get_json()["detail"] == "该风险分级表刚被他人更新，请刷新后重试。"
    assert count(db, BandTableConfig) == 1
    assert count(db, AuditEntry) == audits
