"""make_* helpers for the risk registry: payloads, rows inserted directly, a registry via the API."""

from __future__ import annotations

import io
import itertools
import secrets
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import Workbook

from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.inspections.models import Place
from anxun.risk.models import ControlMeasure, RiskAssessment, RiskEvent, RiskObject, RiskUnit

_counter = itertools.count(1)


def object_payload(**overrides) -> dict:
    data = {
        "name": f"液氨储罐区{next(_counter)}",
        "hazard_code": "330211-0001",
        "is_major_hazard_source": True,
        "description": "两台 50 m³ 液氨储罐",
        "accountable_main": "王建国",
        "accountable_technical": "李工",
        "accountable_operational": "张班长",
    }
    data.update(overrides)
    return data


def unit_payload(**overrides) -> dict:
    data = {
        "name": f"1号液氨储罐{next(_counter)}",
        "department": "储运车间",
        "responsible_name": "赵主任",
    }
    data.update(overrides)
    return data


def event_payload(**overrides) -> dict:
    data = {
        "name": f"液氨泄漏引发中毒{next(_counter)}",
        "consequence": "人员中毒",
        "accident_types": ["中毒和窒息", "其它爆炸"],
    }
    data.update(overrides)
    return data


def measure_payload(**overrides) -> dict:
    data = {
        "description": f"储罐设置液位高低报警并联锁切断进料{next(_counter)}",
        "classify1": "engineering",
        "classify2": "1-4",
        "classify3": "液位联锁",
        "data_source": "hazard_inspection",
        "check_content": "检查液位报警联锁是否投用",
        "control_level": "workshop",
    }
    data.update(overrides)
    return data


def make_place(enterprise_id: int, name: str | None = None) -> Place:
    n = next(_counter)
    place = Place(
        enterprise_id=enterprise_id,
        name=name or f"风险测试点{n}",
        kind="area",
        qr_token=f"R{n:04d}{secrets.token_hex(3)}".upper(),
    )
    db.session.add(place)
    db.session.flush()
    return place


def make_tree(enterprise_id: int, data_source: str = "hazard_inspection") -> dict:
    """Object → unit → event → measure inserted directly; returns their ids."""
    n = next(_counter)
    obj = RiskObject(enterprise_id=enterprise_id, name=f"直接插入对象{n}")
    db.session.add(obj)
    db.session.flush()
    unit = RiskUnit(enterprise_id=enterprise_id, risk_object_id=obj.id, name=f"直接插入单元{n}")
    db.session.add(unit)
    db.session.flush()
    event = RiskEvent(enterprise_id=enterprise_id, risk_unit_id=unit.id, name=f"泄漏{n}")
    db.session.add(event)
    db.session.flush()
    measure = ControlMeasure(
        enterprise_id=enterprise_id,
        risk_event_id=event.id,
        description=f"定期检查密封{n}",
        classify1="maintenance",
        classify2="2-2",
        data_source=data_source,
    )
    db.session.add(measure)
    db.session.flush()
    return {"object": obj.id, "unit": unit.id, "event": event.id, "measure": measure.id}


def make_assessment(
    enterprise_id: int, event_id: int, assessor_id: int, level: str, **overrides
) -> RiskAssessment:
    """A residual assessment row with the given level (factors need not match it)."""
    values = {
        "enterprise_id": enterprise_id,
        "risk_event_id": event_id,
        "kind": "residual",
        "method": "LEC",
        "factors": {"L": 3, "E": 6, "C": 7},
        "band_table_code": "lec-default",
        "band_table_version": "1",
        "score": Decimal("126"),
        "level": level,
        "control_level": "workshop",
        "assessor_user_id": assessor_id,
        "assessed_on": date(2026, 3, 1),
    }
    values.update(overrides)
    row = RiskAssessment(**values)
    db.session.add(row)
    db.session.flush()
    return row


def make_hazard(enterprise_id: int, unit_id: int | None, reporter_id: int, state: str) -> Hazard:
    """A hazard row linked to a risk unit, in `state` with the columns that state requires."""
    values = {
        "id": uuid.uuid4(),
        "enterprise_id": enterprise_id,
        "source": "self_inspection",
        "title": f"液位联锁未投用{next(_counter)}",
        "proposed_level": "general",
        "state": state,
        "reported_by_user_id": reporter_id,
        "reported_at": datetime(2026, 3, 2, 1, tzinfo=UTC),
        "risk_unit_id": unit_id,
    }
    if state not in ("reported", "rejected"):
        values.update(level="general", deadline=date(2026, 12, 31))
    if state in ("rectifying", "pending_verification"):
        values.update(
            responsible_user_id=reporter_id,
            measures="恢复联锁",
            funds=Decimal("0"),
            contingency="加强巡检",
        )
    hazard = Hazard(**values)
    db.session.add(hazard)
    db.session.flush()
    return hazard


def create_registry(client, headers: dict, enterprise_id: int) -> dict:
    """A small registry built through the API: a major hazard source with two units, events and
    measures of each classification, and a plain object without units. Returns the ids."""
    base = "/api/v1"

    def post(url, payload):
        response = client.post(base + url, json=payload, headers=headers)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    ids: dict = {}
    ids["tank_farm"] = post(
        f"/enterprises/{enterprise_id}/risk-objects",
        object_payload(name="液氨储罐区", hazard_code="330211-HZ-01"),
    )
    ids["workshop"] = post(
        f"/enterprises/{enterprise_id}/risk-objects",
        object_payload(
            name="包装车间",
            hazard_code="",
            is_major_hazard_source=False,
            accountable_main="",
            accountable_technical="",
            accountable_operational="",
        ),
    )
    ids["tank1"] = post(f"/risk-objects/{ids['tank_farm']}/units", unit_payload(name="1号液氨储罐"))
    ids["pump"] = post(
        f"/risk-objects/{ids['tank_farm']}/units",
        unit_payload(name="液氨输送泵", department="设备部", responsible_name="钱工"),
    )
    ids["leak"] = post(
        f"/risk-units/{ids['tank1']}/events",
        event_payload(name="液氨泄漏引发中毒", accident_types=["中毒和窒息"]),
    )
    ids["overfill"] = post(
        f"/risk-units/{ids['tank1']}/events",
        event_payload(name="储罐超装", accident_types=["容器爆炸", "其他爆炸"]),
    )
    ids["seal"] = post(
        f"/risk-units/{ids['pump']}/events",
        event_payload(name="机封失效泄漏", accident_types=[]),
    )
    ids["interlock"] = post(
        f"/risk-events/{ids['leak']}/measures",
        measure_payload(description="液位高低报警并联锁切断进料"),
    )
    ids["detector"] = post(
        f"/risk-events/{ids['leak']}/measures",
        measure_payload(
            description="设置氨气泄漏检测报警仪",
            classify2="1-3",
            classify3="",
            data_source="automatic_monitoring",
            check_content="",
            control_level=None,
        ),
    )
    ids["shift"] = post(
        f"/risk-events/{ids['leak']}/measures",
        measure_payload(
            description="严格执行交接班制度",
            classify1="operation",
            classify2="3-3",
            classify3="",
            check_content="",
            control_level="team",
        ),
    )
    ids["ppe"] = post(
        f"/risk-events/{ids['overfill']}/measures",
        measure_payload(
            description="配备正压式空气呼吸器",
            classify1="emergency",
            classify2="4-2",
            classify3="个体防护",
            check_content="检查空气呼吸器压力不低于 25 MPa",
            control_level="post",
        ),
    )
    ids["lube"] = post(
        f"/risk-events/{ids['seal']}/measures",
        measure_payload(
            description="按期更换机械密封",
            classify1="maintenance",
            classify2="2-1",
            classify3="",
            check_content="查看机封更换记录",
            control_level="team",
        ),
    )
    return ids


def xlsx_bytes(rows: list[list], headers: list[str], title: str | None = None) -> bytes:
    """A workbook with an optional title row, a header row and data rows."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "register.xlsx") -> dict:
    """Keyword arguments of a multipart upload of `data` as field `file`."""
    return {"data": {"file": (io.BytesIO(data), name)}, "content_type": "multipart/form-data"}
