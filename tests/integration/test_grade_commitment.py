"""The daily safety commitment in the enterprise grade, from real rows: on-time commitments of the
30 full days before the grade's day (the operation period), only days after the enterprise was
registered, only for hazardous-chemicals enterprises, with the configured weight (default 10).

The clock is frozen at 2026-03-10 12:00 China time; the period is 2026-02-08 … 2026-03-09.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from anxun.orgs.models import Enterprise
from tests.factories import next_uscc
from tests.factories_grading import cst, make_commitments

NOON = datetime(2026, 3, 10, 4, tzinfo=UTC)
PERIOD_START = date(2026, 2, 8)


def make_firm(db, industries, registered: datetime) -> int:
    enterprise = Enterprise(
        name=f"承诺评级企业{next_uscc()[-4:]}",
        uscc=next_uscc(),
        region_code="330211",
        size_class="small",
        industries=industries,
        created_at=registered,
    )
    db.session.add(enterprise)
    db.session.commit()
    return enterprise.id


def commit_days(db, enterprise_id, signer_id, days, *, late=False):
    make_commitments(enterprise_id, signer_id, days, late=late)
    db.session.commit()


def grade(client, headers, enterprise_id):
    response = client.get(f"/api/v1/enterprises/{enterprise_id}/grade", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def component(body, code):
    return next(c for c in body["components"] if c["code"] == code)


def test_on_time_days_of_the_period_make_the_rate_and_late_or_todays_do_not_count(
    client, db, world, login_as, frozen_clock
):
    frozen_clock(NOON)
    firm = make_firm(db, ["hazardous_chemicals"], cst(date(2026, 1, 1), 10))
    head = world["users"]["head-hc"]
    days = [PERIOD_START + timedelta(days=n) for n in range(30)]
    commit_days(db, firm, head, days[:24])
    commit_days(db, firm, head, days[24:27], late=True)
    commit_days(db, firm, head, [date(2026, 2, 7), date(2026, 3, 10)])  # outside the period
    body = grade(client, login_as("regulator"), firm)
    assert body["inputs"]["commitment"] == {
        "required_days": 30,
        "on_time": 24,
        "late": 3,
        "first_day": "2026-02-08",
        "period": ["2026-02-08", "2026-03-09"],
    }
    assert body["inputs"]["commitment_rate"] == 0.8
    part = component(body, "commitment_rate")
    assert (part["name"], part["weight"], part["points"]) == ("每日安全承诺按时率", 10, 8)
    # No task due (0 of 27), nothing to rectify (18), counts full (45), commitment 8: 71, orange.
    assert (body["score"], body["colour"]["code"]) == (71, "orange")
    assert component(body, "online_operation_rate")["weight"] == 27
    assert body["config_version"] == "anxun-enterprise-grade-1+c10"
    # The bureau's drill-down shows the same grade with the same component.
    summary = client.get(
        f"/api/v1/oversight/enterprises/{firm}", headers=login_as("regulator")
    ).get_json()
    assert summary["grade"]["score"] == 71
    assert component(summary["grade"], "commitment_rate")["points"] == 8


def test_only_days_after_registration_are_required(client, db, world, login_as, frozen_clock):
    frozen_clock(NOON)
    firm = make_firm(db, ["hazardous_chemicals"], cst(date(2026, 3, 1), 15))
    commit_days(db, firm, world["users"]["head-hc"], [date(2026, 3, 2 + n) for n in range(6)])
    body = grade(client, login_as("regulator"), firm)
    commitment = body["inputs"]["commitment"]
    assert (commitment["required_days"], commitment["on_time"]) == (8, 6)  # 3-02 … 3-09
    assert component(body, "commitment_rate")["points"] == 7.5  # 6/8 × 10
    assert body["score"] == 70.5


def test_registered_today_has_nothing_due_and_keeps_full_marks(client, db, login_as, frozen_clock):
    frozen_clock(NOON)
    firm = make_firm(db, ["hazardous_chemicals"], NOON)
    body = grade(client, login_as("regulator"), firm)
    assert body["inputs"]["commitment"]["required_days"] == 0
    assert body["inputs"]["commitment_rate"] is None
    assert component(body, "commitment_rate")["points"] == 10
    assert body["score"] == 73


def test_an_enterprise_that_need_not_commit_has_no_commitment_indicator(
    client, db, login_as, frozen_clock
):
    frozen_clock(NOON)
    firm = make_firm(db, ["dust_explosion"], cst(date(2026, 1, 1), 10))
    body = grade(client, login_as("regulator"), firm)
    assert body["inputs"]["commitment"] is None
    assert "commitment_rate" not in {c["code"] for c in body["components"]}
    assert body["config_version"] == "anxun-enterprise-grade-1"
    assert body["score"] == 70


@pytest.mark.parametrize(("weight", "points", "score"), [(20, 16, 72), (0, None, 70)])
def test_the_weight_is_configured(
    app, client, db, world, login_as, frozen_clock, weight, points, score
):
    app.config["ANXUN_GRADE_COMMITMENT_WEIGHT"] = weight
    frozen_clock(NOON)
    firm = make_firm(db, ["hazardous_chemicals"], cst(date(2026, 1, 1), 10))
    days = [PERIOD_START + timedelta(days=n) for n in range(24)]
    commit_days(db, firm, world["users"]["head-hc"], days)
    body = grade(client, login_as("regulator"), firm)
    codes = {c["code"]: c for c in body["components"]}
    if points is None:
        assert "commitment_rate" not in codes
    else:
        # 0.8 × 20 = 16; the rest (18 + 45 at 90 %) become 16 + 40 at 80 %: 72.
        assert codes["commitment_rate"]["points"] == points
    assert body["score"] == score
