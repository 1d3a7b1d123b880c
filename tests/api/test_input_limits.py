"""Values enter through one gate: ids and integers beyond the database's range, dates beyond what
the database and Python hold, and NUL bytes are 404 or 422 problems on both databases, never 500."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from anxun.core.audit import AuditEntry
from anxun.hazards.models import Hazard
from anxun.incidents.models import Incident

HUGE = 2**31  # one past PostgreSQL's integer
OUT_OF_RANGE = "数值超出允许范围。"
BAD_YEAR = "日期应在 1900 年至 2999 年之间。"
NUL = "不能包含空字符（\\0）。"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    return response.get_json()


def field_errors(response) -> dict:
    return {e["field"]: e["message"] for e in problem(response, 422)["errors"]}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/enterprises/99999999999999999999",
        f"/api/v1/places/{HUGE}",
        f"/api/v1/hazards/{HUGE}",
        f"/api/v1/enterprises/{HUGE}/users",
    ],
)
def test_ids_beyond_the_database_range_in_a_path_are_404(client, login_as, path):
    body = problem(client.get(path, headers=login_as("admin")), 404)
    assert body["type"] == "/problems/http-404"


def test_a_nul_byte_in_a_text_path_segment_is_404(client, login_as):
    problem(client.get("/api/v1/checklists/a%00b", headers=login_as("officer-hc")), 404)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (f"enterprise_id={HUGE}", "enterprise_id"),
        ("enterprise_id=99999999999999999999", "enterprise_id"),
        (f"limit={HUGE}", "limit"),
    ],
)
def test_integers_beyond_the_range_in_a_query_are_422(client, login_as, query, field):
    response = client.get(f"/api/v1/hazards?{query}", headers=login_as("regulator"))
    assert field_errors(response)[field] in (OUT_OF_RANGE, "应大于等于 1 且小于等于 200。")


def test_an_integer_beyond_the_range_in_a_body_is_422_and_writes_nothing(
    db, client, login_as, world
):
    before = db.session.scalar(select(func.count(Hazard.id)))
    response = client.post(
        "/api/v1/hazards",
        json={
            "id": str(uuid.uuid4()),
            "enterprise_id": world["enterprise"]["hc"],
            "place_id": HUGE,
            "title": "消防通道堵塞",
            "description": "仓库东侧通道堆放货物",
            "media_ids": [],
            "proposed_level": "general",
        },
        headers=login_as("officer-hc"),
    )
    assert field_errors(response)["place_id"] == OUT_OF_RANGE
    assert db.session.scalar(select(func.count(Hazard.id))) == before


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_times_beyond_the_years_the_database_holds_are_422(db, client, login_as, world, moment):
    officer = login_as("officer-hc")
    hc = world["enterprise"]["hc"]
    before = db.session.scalar(select(func.count(Incident.id)))
    incident = client.post(
        "/api/v1/incidents",
        json={
            "id": str(uuid.uuid4()),
            "enterprise_id": hc,
            "occurred_at": moment,
            "location": "二号仓库装卸区",
            "category": "object_strike",
            "title": "装卸区物体打击",
            "report": {
                "id": str(uuid.uuid4()),
                "deaths": 0,
                "injuries": 1,
                "missing": 0,
                "description": "装卸作业时一名工人被滑落的桶砸伤左脚。",
            },
        },
        headers=officer,
    )
    assert field_errors(incident)["occurred_at"] == BAD_YEAR
    assert db.session.scalar(select(func.count(Incident.id))) == before
    inspection = client.post("/api/v1/inspections", json={"started_at": moment}, headers=officer)
    assert field_errors(inspection)["started_at"] == BAD_YEAR
    plan = client.post(
        f"/api/v1/enterprises/{hc}/plans", json={"anchor_at": moment}, headers=officer
    )
    assert field_errors(plan)["anchor_at"] == BAD_YEAR


@pytest.mark.parametrize(
    "query",
    ["to=9999-12-31", "from=0001-01-01", "from=2026-01-01&to=9999-12-31"],
)
def test_dates_beyond_the_years_the_database_holds_in_a_query_are_422(
    client, login_as, world, query
):
    hc = world["enterprise"]["hc"]
    officer = login_as("officer-hc")
    for path in (
        "/api/v1/hazards",
        f"/api/v1/enterprises/{hc}/hazard-ledger.xlsx",
        f"/api/v1/enterprises/{hc}/hazard-ledger.pdf",
    ):
        errors = field_errors(client.get(f"{path}?{query}", headers=officer))
        assert set(errors.values()) == {BAD_YEAR}, path


def test_a_nul_byte_in_the_login_name_is_422_without_logging_in(client, world):
    response = client.post(
        "/api/v1/auth/login", json={"username": "a\u0000b", "password": "anything"}
    )
    assert field_errors(response) == {"username": NUL}


def test_nul_bytes_in_text_lists_and_free_json_are_422_and_write_nothing(
    db, client, login_as, world
):
    audit_before = db.session.scalar(select(func.count(AuditEntry.id)))
    response = client.post(
        "/api/v1/hazards",
        json={
            "id": str(uuid.uuid4()),
            "enterprise_id": world["enterprise"]["hc"],
            "title": "消防\u0000通道",
            "description": "仓库东侧通道堆放货物",
            "media_ids": [],
            "proposed_level": "general",
        },
        headers=login_as("officer-hc"),
    )
    assert field_errors(response)["title"] == NUL
    query = client.get("/api/v1/hazards?state=reported%00", headers=login_as("officer-hc"))
    assert "state" in field_errors(query)
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audit_before


@pytest.mark.parametrize(
    ("loss", "message"),
    [
        ("12.345", "金额最多保留两位小数。"),
        ("1000000000000", "金额应在 0 至 999999999999.99 元之间。"),
        ("-1", "金额应在 0 至 999999999999.99 元之间。"),
        ("NaN", "不允许 NaN 或无穷大。"),
    ],
)
def test_money_is_checked_against_its_column(client, login_as, world, loss, message):
    response = client.post(
        "/api/v1/incidents",
        json={"report": {"direct_loss_estimate": loss}},
        headers=login_as("officer-hc"),
    )
    assert field_errors(response)["report.direct_loss_estimate"] == message


@pytest.mark.parametrize(
    ("path", "values"),
    [
        ("/api/v1/notifications", [2**40]),
        ("/api/v1/notifications", ["12"]),
        ("/api/v1/notifications", [True]),
        ("/api/v1/hazards?sort=deadline", ["9999-12-31", 1]),
        ("/api/v1/hazards?sort=deadline", ["2026-01-01", 2**31]),
    ],
)
def test_a_forged_pagination_cursor_is_422(client, login_as, path, values):
    from anxun.core.pagination import encode_cursor

    joiner = "&" if "?" in path else "?"
    response = client.get(
        f"{path}{joiner}cursor={encode_cursor(values)}", headers=login_as("officer-hc")
    )
    assert field_errors(response) == {"cursor": "分页游标无效。"}
