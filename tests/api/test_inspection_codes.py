"""A printed record's verification code (校验码) opens the record for readers in scope (issue #13)."""

import uuid

import pytest
from sqlalchemy import select

from anxun.inspections.codes import verification_code
from anxun.orgs.models import Engagement
from tests.inspection_helpers import payload

NOT_FOUND_DETAIL = "未找到该校验码对应的检查记录，或您无权查看。"


@pytest.fixture
def checklist(client, login_as):
    return client.get(
        "/api/v1/checklists/seasonal-holiday", headers=login_as("officer-hc")
    ).get_json()


@pytest.fixture
def submit(client, login_as, checklist, world):
    def _submit(record_id: str, key: str = "hc") -> str:
        body = payload(checklist, inspection_id=record_id, enterprise_id=world["enterprise"][key])
        response = client.post("/api/v1/inspections", json=body, headers=login_as(f"officer-{key}"))
        assert response.status_code == 201, response.get_json()
        return record_id

    return _submit


def by_code(client, headers, code, **query):
    return client.get(f"/api/v1/inspections/by-code/{code}", headers=headers, query_string=query)


@pytest.mark.parametrize("role", ["officer-hc", "head-hc", "regulator", "auditor", "admin"])
def test_a_reader_in_scope_opens_the_record_by_its_printed_code(
    client, login_as, submit, world, role
):
    record_id = submit(str(uuid.uuid4()))
    code = verification_code(uuid.UUID(record_id))
    assert len(code) == 14 and code == code.upper()
    response = by_code(client, login_as(role), code)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["id"] == record_id and body["verification_code"] == code
    assert body["enterprise_id"] == world["enterprise"]["hc"]
    assert len(body["answers"]) > 0


def test_the_code_reads_the_same_typed_in_lower_case_without_dashes_or_with_spaces(
    client, login_as, submit
):
    record_id = submit(str(uuid.uuid4()))
    code = verification_code(uuid.UUID(record_id))
    headers = login_as("regulator")
    for typed in (code.lower(), code.replace("-", ""), code.replace("-", " "), record_id):
        response = by_code(client, headers, typed)
        assert response.status_code == 200, (typed, response.get_json())
        assert response.get_json()["id"] == record_id


def test_out_of_scope_and_unknown_codes_get_the_same_404(client, login_as, submit, world):
    record_id = submit(str(uuid.uuid4()))
    code = verification_code(uuid.UUID(record_id))
    unknown = by_code(client, login_as("regulator"), "0000-0000-0001")
    assert unknown.status_code == 404
    for role in ("head-con", "regulator-con", "officer-dust"):
        hidden = by_code(client, login_as(role), code)
        assert hidden.status_code == 404, role
        assert hidden.mimetype == "application/problem+json"
        assert hidden.get_json() == unknown.get_json()
        assert hidden.get_json()["detail"] == NOT_FOUND_DETAIL
    # Narrowed to another enterprise (the QR names the record's own), it is not found either.
    other = by_code(client, login_as("regulator"), code, enterprise_id=world["enterprise"]["dust"])
    assert other.status_code == 404
    own = by_code(client, login_as("regulator"), code, enterprise_id=world["enterprise"]["hc"])
    assert own.status_code == 200 and own.get_json()["id"] == record_id


def test_an_auditor_whose_engagement_lacks_inspections_gets_404(client, login_as, submit, db):
    record_id = submit(str(uuid.uuid4()))
    db.session.scalar(select(Engagement)).scope = ["hazards", "risk"]
    db.session.commit()
    response = by_code(client, login_as("auditor"), verification_code(uuid.UUID(record_id)))
    assert response.status_code == 404
    assert response.get_json()["detail"] == NOT_FOUND_DETAIL


def test_a_code_two_readable_records_share_is_refused_not_guessed(client, login_as, submit):
    first = submit("1a7d082d-93f0-4000-8000-000000000001")
    second = submit("1a7d082d-93f0-4000-8000-000000000002")
    headers = login_as("regulator")
    response = by_code(client, headers, "1A7D-082D-93F0")
    assert response.status_code == 409
    problem = response.get_json()
    assert problem["type"] == "/problems/ambiguous-code"
    assert "多条检查记录" in problem["detail"] and first not in str(problem)
    # The full id is never ambiguous.
    assert by_code(client, headers, second).get_json()["id"] == second


def test_a_shared_code_resolves_for_a_reader_who_sees_only_one_of_the_records(
    client, login_as, submit
):
    hc = submit("5e2b0c41-77aa-4000-8000-000000000001")
    con = submit("5e2b0c41-77aa-4000-8000-000000000002", key="con")
    assert by_code(client, login_as("officer-hc"), "5E2B-0C41-77AA").get_json()["id"] == hc
    assert by_code(client, login_as("officer-con"), "5E2B-0C41-77AA").get_json()["id"] == con
    assert by_code(client, login_as("admin"), "5E2B-0C41-77AA").status_code == 409


def test_a_record_printed_with_the_older_eight_digit_code_still_opens(client, login_as, submit):
    record_id = submit("c0de1234-0000-4000-8000-000000000001")
    response = by_code(client, login_as("regulator"), "C0DE-1234")
    assert response.status_code == 200 and response.get_json()["id"] == record_id


@pytest.mark.parametrize("code", ["ZZZZ-ZZZZ-ZZZZ", "1A7D", "1a7d082g93f0", "1" * 33, "校验码"])
def test_a_malformed_code_is_422_naming_the_field(client, login_as, code):
    response = by_code(client, login_as("regulator"), code)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"] == [
        {"field": "code", "message": "校验码应为 12 位数字或字母 A–F，如 1A7D-082D-93F0。"}
    ]


def test_the_api_needs_a_login(client):
    assert client.get("/api/v1/inspections/by-code/1A7D-082D-93F0").status_code == 401
