"""Pure rules of remote evidence requests: deadline, lateness, the state table, photo times."""

from datetime import UTC, datetime, timedelta

import pytest

from anxun.evidence.rules import (
    TRANSITIONS,
    Action,
    State,
    due_at,
    effective_state,
    is_late,
    location_flags,
    next_state,
    photo_flags,
    seconds_left,
    shortfall,
)

T0 = datetime(2026, 5, 12, 1, 0, tzinfo=UTC)
DUE = T0 + timedelta(hours=2)


def test_due_is_created_plus_hours():
    assert due_at(T0, 2) == DUE
    assert seconds_left(DUE, T0 + timedelta(minutes=90)) == 1800
    assert seconds_left(DUE, DUE + timedelta(seconds=5)) == -5


@pytest.mark.parametrize(
    ("stored", "now", "expected"),
    [
        ("open", DUE, State.open),  # the deadline minute itself is still in time
        ("open", DUE + timedelta(seconds=1), State.expired),
        ("answered", DUE + timedelta(days=1), State.answered),
        ("cancelled", DUE + timedelta(days=1), State.cancelled),
    ],
)
def test_expiry_is_computed_on_read(stored, now, expected):
    assert effective_state(stored, DUE, now) is expected


def test_lateness_is_judged_by_the_server_receipt():
    assert is_late(DUE, DUE) is False
    assert is_late(DUE, DUE + timedelta(seconds=1)) is True


ALLOWED = {
    (State.open, Action.answer): State.answered,
    (State.open, Action.cancel): State.cancelled,
    (State.expired, Action.answer): State.answered,
    (State.expired, Action.cancel): State.cancelled,
    (State.expired, Action.make_finding): State.open,
    (State.expired, Action.issue_order): State.open,
    (State.answered, Action.make_finding): State.answered,
    (State.answered, Action.issue_order): State.answered,
}


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", list(Action))
def test_the_whole_transition_table(state, action):
    assert next_state(state, action) == ALLOWED.get((state, action))


def test_table_is_exactly_the_allowed_moves():
    assert TRANSITIONS == ALLOWED


def test_photo_times_flag_old_and_pre_request_and_unknown():
    answered = T0 + timedelta(minutes=30)
    photos = [
        {"taken_at": answered - timedelta(minutes=2)},  # fresh
        {"taken_at": answered - timedelta(minutes=11)},  # older than 10 minutes
        {"taken_at": T0 - timedelta(hours=1)},  # before the request
        {"taken_at": None},
    ]
    flags = photo_flags(photos, answered, T0)
    assert [(f["code"], f["photos"]) for f in flags] == [
        ("photo_before_request", [3]),
        ("photo_not_fresh", [2]),
        ("photo_time_unknown", [4]),
    ]
    assert photo_flags(photos[:1], answered, T0) == []


def test_missing_position_is_flagged_only_where_the_place_is_known():
    assert [f["code"] for f in location_flags(False, True)] == ["no_gps"]
    assert location_flags(False, False) == []
    assert location_flags(True, True) == []


@pytest.mark.parametrize(
    ("state", "answer_is_late", "expected"),
    [
        (State.open, None, None),
        (State.expired, None, "missing"),
        (State.answered, False, None),
        (State.answered, True, "late"),
        (State.cancelled, None, None),
    ],
)
def test_only_missing_and_late_answers_count_among_a_patrols_findings(
    state, answer_is_late, expected
):
    assert shortfall(state, answer_is_late) == expected
