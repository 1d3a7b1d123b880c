"""Queries that gather the facts an enterprise grade is computed from, as of one China day."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from math import floor

from sqlalchemy import and_, func, or_, select

from anxun.commitments.models import SafetyCommitment
from anxun.core.clock import CHINA_TZ
from anxun.extensions import db
from anxun.hazards.models import Hazard
from anxun.inspections import scheduling
from anxun.inspections.models import StopPeriod, TaskOccurrence
from anxun.orgs.models import Enterprise
from anxun.oversight.models import EnforcementRecord
from anxun.risk.grading.enterprise import GradeInputs
from anxun.risk.models import RiskObject
from anxun.risk.registry.queries import unit_levels

OPERATION_DAYS = 30
HAZARD_DAYS = 365
INTERVIEW_DAYS = 365
FINISHED_STATES = ("closed", "rejected")
# Enterprises of this industry announce a daily safety commitment (安全承诺), so it counts in
# their grade (commitments/).
COMMITTING_INDUSTRY = "hazardous_chemicals"


@dataclass(frozen=True)
class GradeFacts:
    """Everything the grade and the operation-effectiveness evaluation read, with its periods."""

    day: date
    open_major_hazards: int
    overdue_hazards: int
    occurrences: dict[str, int]
    online_operation_rate: float | None
    hazards_reported: int
    hazards_rejected: int
    hazards_closed: int
    hazard_closure_rate: float | None
    red_units: int
    orange_units: int
    major_hazard_sources: int
    vetoes: list[dict]
    operation_period: tuple[date, date]
    hazard_period: tuple[date, date]
    # None for an enterprise that need not commit; else {required_days, on_time, late, first_day}
    commitment: dict | None = None
    commitment_rate: float | None = None

    @property
    def must_commit(self) -> bool:
        return self.commitment is not None

    def grade_inputs(self) -> GradeInputs:
        return GradeInputs(
            open_major_hazards=self.open_major_hazards,
            overdue_hazards=self.overdue_hazards,
            online_operation_rate=self.online_operation_rate,
            hazard_closure_rate=self.hazard_closure_rate,
            red_units=self.red_units,
            orange_units=self.orange_units,
            major_hazard_sources=self.major_hazard_sources,
            vetoes=tuple({"kind": v["kind"], "date": v["decided_on"]} for v in self.vetoes),
            commitment_rate=self.commitment_rate,
        )

    def effectiveness_inputs(self) -> dict:
        """Arguments of grading.operation_effectiveness; 包保 and too-few deductions are not yet
        modelled (no duty records exist), so both are 0."""
        done, late, missed = (self.occurrences[s] for s in ("done", "late", "missed"))
        return {
            "planned_tasks": done + late + missed,
            "completed_tasks": done + late,
            "baobao_deduction": 0,
            "hazards_to_rectify": self.hazards_reported - self.hazards_rejected,
            "hazards_accepted": self.hazards_closed,
            "too_few_hazards_deduction": 0,
            "veto": bool(self.vetoes),
        }

    def as_dict(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "open_major_hazards": self.open_major_hazards,
            "overdue_hazards": self.overdue_hazards,
            "online_operation_rate": self.online_operation_rate,
            "occurrences": dict(self.occurrences),
            "operation_period": [d.isoformat() for d in self.operation_period],
            "hazard_closure_rate": self.hazard_closure_rate,
            "hazards_reported": self.hazards_reported,
            "hazards_rejected": self.hazards_rejected,
            "hazards_closed": self.hazards_closed,
            "hazard_period": [d.isoformat() for d in self.hazard_period],
            "red_units": self.red_units,
            "orange_units": self.orange_units,
            "major_hazard_sources": self.major_hazard_sources,
            "vetoes": [
                {**v, "decided_on": v["decided_on"].isoformat(), "ends_on": _iso(v["ends_on"])}
                for v in self.vetoes
            ],
            "commitment": self.commitment,
            "commitment_rate": self.commitment_rate,
        }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=CHINA_TZ)


def _count(*conditions) -> int:
    return db.session.scalar(select(func.count(Hazard.id)).where(*conditions)) or 0


def _share(part: int, whole: int) -> float | None:
    """part / whole rounded half-up to 4 places, like the online operation rate; None for 0/0."""
    if not whole:
        return None
    return float(Fraction(floor(Fraction(part, whole) * 10_000 + Fraction(1, 2)), 10_000))


def operation_period(day: date) -> tuple[date, date]:
    """The China days whose task windows make up the 在线运行率 of `day`: the 30 full days before
    it. The grade, the overview and the enterprise facts all read this one period."""
    return day - timedelta(days=OPERATION_DAYS), day - timedelta(days=1)


def occurrence_states(
    enterprise_ids, start: datetime, end: datetime
) -> dict[int, list[scheduling.OccurrenceState]]:
    """States, as of `end`, of the task windows that ended in (start, end], by enterprise (the
    rule of inspections/planning_queries.operation_rate: a day's window belongs to that day);
    completions after `end` do not count yet, so one day's figures never change later in that
    day. `enterprise_ids` is a list or a select of ids."""
    rows = db.session.scalars(
        select(TaskOccurrence).where(
            TaskOccurrence.enterprise_id.in_(enterprise_ids),
            TaskOccurrence.due_end > start,
            TaskOccurrence.due_end <= end,
        )
    ).all()
    stops = db.session.scalars(
        select(StopPeriod).where(
            StopPeriod.enterprise_id.in_(enterprise_ids),
            StopPeriod.start_at < end,
            # A stop suspends a window only when it covers the whole window, so it ends after
            # the window does, hence not before `start`.
            StopPeriod.end_at >= start,
        )
    ).all()
    states: dict[int, list[scheduling.OccurrenceState]] = {}
    for row in rows:
        applicable = [
            scheduling.StopPeriod(stop.start_at, stop.end_at)
            for stop in stops
            if stop.enterprise_id == row.enterprise_id
            and (stop.place_id is None or stop.place_id == row.place_id)
        ]
        done_at = row.done_at if row.done_at is not None and row.done_at < end else None
        if done_at is not None and done_at < row.due_start:
            done_at = row.due_start  # recorded early (clock skew on a device): done on time
        occurrence = scheduling.Occurrence(row.due_start, row.due_end)
        states.setdefault(row.enterprise_id, []).append(
            scheduling.occurrence_state(occurrence, done_at, end, applicable)
        )
    return states


def operation_rates(enterprise_ids, day: date) -> dict[int, float | None]:
    """在线运行率 of `day` for each enterprise with a window due in its period (see
    operation_period); enterprises without one are absent: there is nothing to measure."""
    first, _ = operation_period(day)
    states = occurrence_states(enterprise_ids, _midnight(first), _midnight(day))
    return {eid: scheduling.online_operation_rate(s) for eid, s in states.items()}


def _vetoes(enterprise_id: int, day: date) -> list[dict]:
    """Enforcement records in effect on `day`: a suspension until it ends (open-ended while no
    end is recorded), an interview for 365 days from its decision."""
    rows = db.session.scalars(
        select(EnforcementRecord)
        .where(
            EnforcementRecord.enterprise_id == enterprise_id,
            EnforcementRecord.decided_on <= day,
            or_(
                and_(
                    EnforcementRecord.kind == "suspension",
                    or_(EnforcementRecord.ends_on.is_(None), EnforcementRecord.ends_on >= day),
                ),
                and_(
                    EnforcementRecord.kind == "interview",
                    EnforcementRecord.decided_on >= day - timedelta(days=INTERVIEW_DAYS),
                ),
            ),
        )
        .order_by(EnforcementRecord.decided_on, EnforcementRecord.id)
    ).all()
    return [
        {
            "id": row.id,
            "kind": row.kind,
            "reference_no": row.reference_no,
            "decided_on": row.decided_on,
            "ends_on": row.ends_on,
        }
        for row in rows
    ]


def commitment_facts(enterprise_id: int, period: tuple[date, date]) -> dict | None:
    """The daily commitments of the period for an enterprise that must commit (None otherwise):
    required days are the period's days after the day the enterprise was registered (it could
    not commit before), on time and late count the commitments signed for those days."""
    enterprise = db.session.get(Enterprise, enterprise_id)
    if COMMITTING_INDUSTRY not in (enterprise.industries or []):
        return None
    registered = enterprise.created_at.astimezone(CHINA_TZ).date()
    first = max(period[0], registered + timedelta(days=1))
    required = max((period[1] - first).days + 1, 0)
    rows = db.session.execute(
        select(SafetyCommitment.is_late, func.count(SafetyCommitment.id))
        .where(
            SafetyCommitment.enterprise_id == enterprise_id,
            SafetyCommitment.commit_date >= first,
            SafetyCommitment.commit_date <= period[1],
        )
        .group_by(SafetyCommitment.is_late)
    ).all()
    counts = {bool(is_late): n for is_late, n in rows}
    return {
        "required_days": required,
        "on_time": counts.get(False, 0),
        "late": counts.get(True, 0),
        "first_day": first.isoformat() if required else None,
        "period": [period[0].isoformat(), period[1].isoformat()],
    }


def gather_grade_facts(enterprise_id: int, day: date) -> GradeFacts:
    """The facts for the grade of `day` (China date): hazard counts as they stand now, task
    windows of the 30 full days before `day`, hazards reported in the 365 days up to `day`."""
    is_open = Hazard.state.not_in(FINISHED_STATES)
    mine = Hazard.enterprise_id == enterprise_id
    operation_start, operation_end = operation_period(day)
    states = occurrence_states([enterprise_id], _midnight(operation_start), _midnight(day)).get(
        enterprise_id, []
    )
    tally = Counter(state.value for state in states)
    hazard_start = day - timedelta(days=HAZARD_DAYS - 1)
    in_period = (
        mine,
        Hazard.reported_at >= _midnight(hazard_start),
        Hazard.reported_at < _midnight(day + timedelta(days=1)),
    )
    reported = _count(*in_period)
    rejected = _count(*in_period, Hazard.state == "rejected")
    closed = _count(*in_period, Hazard.state == "closed")
    levels = unit_levels(enterprise_id)
    effective = [entry["effective"] for entry in levels.values()]
    commitment = commitment_facts(enterprise_id, (operation_start, operation_end))
    return GradeFacts(
        day=day,
        open_major_hazards=_count(mine, is_open, Hazard.level == "major"),
        overdue_hazards=_count(mine, is_open, Hazard.deadline < day),
        occurrences={state.value: tally[state.value] for state in scheduling.OccurrenceState},
        online_operation_rate=scheduling.online_operation_rate(states),
        hazards_reported=reported,
        hazards_rejected=rejected,
        hazards_closed=closed,
        hazard_closure_rate=_share(closed, reported - rejected),
        red_units=effective.count("red"),
        orange_units=effective.count("orange"),
        major_hazard_sources=db.session.scalar(
            select(func.count(RiskObject.id)).where(
                RiskObject.enterprise_id == enterprise_id,
                RiskObject.is_major_hazard_source.is_(True),
                RiskObject.deleted_at.is_(None),
            )
        )
        or 0,
        vetoes=_vetoes(enterprise_id, day),
        operation_period=(operation_start, operation_end),
        hazard_period=(hazard_start, day),
        commitment=commitment,
        commitment_rate=_share(commitment["on_time"], commitment["required_days"])
        if commitment
        else None,
    )
