"""Pure rules of remote evidence requests: deadline, lateness, the state table, photo freshness."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

MIN_HOURS, MAX_HOURS = 1, 72
# A photo taken more than this long before the answer was made was not taken "now": a gallery
# pick, or a photo kept from earlier. The web platform cannot tell a camera shot from a gallery
# pick, so the capture time the browser reports (EXIF/lastModified) is all there is to judge.
FRESH_PHOTO_MINUTES = 10


class State(StrEnum):
    """Stored states; `expired` is never stored, it is an open request past its deadline."""

    open = "open"
    answered = "answered"
    expired = "expired"
    cancelled = "cancelled"


class Action(StrEnum):
    answer = "answer"
    cancel = "cancel"
    make_finding = "make_finding"
    issue_order = "issue_order"


STATE_LABELS = {
    State.open: "待回应",
    State.answered: "已回应",
    State.expired: "逾期未回应",
    State.cancelled: "已撤销",
}

# (effective state, action) → next stored state. An expired request can still be answered: the
# answer is kept and marked late. Findings and orders come from what was seen, or not seen.
TRANSITIONS: dict[tuple[State, Action], State] = {
    (State.open, Action.answer): State.answered,
    (State.open, Action.cancel): State.cancelled,
    (State.expired, Action.answer): State.answered,
    (State.expired, Action.cancel): State.cancelled,
    (State.expired, Action.make_finding): State.open,
    (State.expired, Action.issue_order): State.open,
    (State.answered, Action.make_finding): State.answered,
    (State.answered, Action.issue_order): State.answered,
}


def due_at(created_at: datetime, deadline_hours: int) -> datetime:
    """The moment the answer is due."""
    return created_at + timedelta(hours=deadline_hours)


def effective_state(stored: str, due: datetime, now: datetime) -> State:
    """Lateness is computed on read: an open request past its deadline is expired (no sweep)."""
    state = State(stored)
    if state is State.open and now > due:
        return State.expired
    return state


def next_state(effective: State, action: Action) -> State | None:
    """The stored state after `action`, or None when the action is not possible now."""
    return TRANSITIONS.get((State(effective), Action(action)))


def is_late(due: datetime, received_at: datetime) -> bool:
    """An answer the server received after the deadline is late (the device clock is not
    trusted for this; its own time is shown beside it)."""
    return received_at > due


REQUESTER_LABELS = {"regulator": "监管部门", "agency": "第三方机构", "enterprise": "企业主要负责人"}
SHORTFALL_LABELS = {"missing": "逾期未回应", "late": "逾期回应"}


def shortfall(effective: State, answer_is_late: bool | None) -> str | None:
    """How a request fell short, as it counts among its patrol's findings: `missing` (past the
    deadline, no answer), `late` (answered after it), else None (cancelled ones never count)."""
    if State(effective) is State.expired:
        return "missing"
    if State(effective) is State.answered and answer_is_late:
        return "late"
    return None


def seconds_left(due: datetime, now: datetime) -> int:
    """Whole seconds until the deadline; negative once past it."""
    return int((due - now).total_seconds())


def photo_flags(photos: list[dict], answered_at: datetime, requested_at: datetime) -> list[dict]:
    """Flags on the photos' capture times: taken before the request, or not within
    FRESH_PHOTO_MINUTES of the answer (likely picked from the gallery), or without a time."""
    found = []
    stale, before, unknown = [], [], []
    for n, photo in enumerate(photos, start=1):
        taken = photo.get("taken_at")
        if taken is None:
            unknown.append(n)
        elif taken < requested_at:
            before.append(n)
        elif answered_at - taken > timedelta(minutes=FRESH_PHOTO_MINUTES):
            stale.append(n)
    if before:
        found.append(
            {
                "code": "photo_before_request",
                "message": f"第 {_list(before)} 张照片拍摄于核查要求发出之前。",
                "photos": before,
            }
        )
    if stale:
        found.append(
            {
                "code": "photo_not_fresh",
                "message": f"第 {_list(stale)} 张照片拍摄时间早于回应 {FRESH_PHOTO_MINUTES} "
                "分钟以上，可能取自相册。",
                "photos": stale,
            }
        )
    if unknown:
        found.append(
            {
                "code": "photo_time_unknown",
                "message": f"第 {_list(unknown)} 张照片没有拍摄时间。",
                "photos": unknown,
            }
        )
    return found


def location_flags(has_gps: bool, place_known: bool) -> list[dict]:
    """An answer without a position where the place's coordinates are known."""
    if place_known and not has_gps:
        return [{"code": "no_gps", "message": "回应未附定位，无法核对是否在现场。"}]
    return []


def _list(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers)
