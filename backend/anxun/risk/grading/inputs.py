"""Queries that gather the facts enterprise grades are computed from, as of one China day: a few
grouped queries for a whole batch of enterprises, so one enterprise's grade page and the daily
snapshot of every enterprise read the same facts the same way."""

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
from anxun.orgs.models import Enterprise, EnterpriseIndustry
from anxun.oversight.models import EnforcementRecord
from anxun.risk.grading.enterprise import GradeInputs
from anxun.risk.models import RiskObject
from anxun.risk.registry.queries import unit_levels_by_enterprise

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
    rows = db.session.execute(
        select(
            TaskOccurrence.enterprise_id,
            TaskOccurrence.place_id,
            TaskOccurrence.due_start,
            TaskOccurrence.due_end,
            TaskOccurrence.done_at,
        ).where(
            TaskOccurrence.enterprise_id.in_(enterprise_ids),
            TaskOccurrence.due_end > start,
            TaskOccurrence.due_end <= end,
        )
    ).all()
    stops: dict[int, list[tuple[int | None, scheduling.StopPeriod]]] = {}
    for enterprise_id, place_id, start_at, end_at in db.session.execute(
        select(
            StopPeriod.enterprise_id, StopPeriod.place_id, StopPeriod.start_at, StopPeriod.end_at
        )
        .where(
            StopPeriod.enterprise_id.in_(enterprise_ids),
            StopPeriod.start_at < end,
            # A stop suspends a window only when it covers the whole window, so it ends after
            # the window does, hence not before `start`.
            StopPeriod.end_at >= start,
        )
        .order_by(StopPeriod.id)
    ):
        stops.setdefault(enterprise_id, []).append(
            (place_id, scheduling.StopPeriod(start_at, end_at))
        )
    states: dict[int, list[scheduling.OccurrenceState]] = {}
    for row in rows:
        applicable = [
            stop
            for place_id, stop in stops.get(row.enterprise_id, ())
            if place_id is None or place_id == row.place_id
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


def _vetoes(enterprise_ids: list[int], day: date) -> dict[int, list[dict]]:
    """Enforcement records in effect on `day`, by enterprise: a suspension until it ends
    (open-ended while no end is recorded), an interview for 365 days from its decision."""
    rows = db.session.scalars(
        select(EnforcementRecord)
        .where(
            EnforcementRecord.enterprise_id.in_(enterprise_ids),
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
    vetoes: dict[int, list[dict]] = {}
    for row in rows:
        vetoes.setdefault(row.enterprise_id, []).append(
            {
                "id": row.id,
                "kind": row.kind,
                "reference_no": row.reference_no,
                "decided_on": row.decided_on,
                "ends_on": row.ends_on,
            }
        )
    return vetoes


def commitment_facts(
    registered_at: datetime, period: tuple[date, date], commitments: list[tuple[date, bool]]
) -> dict:
    """The daily commitments of the period for an enterprise that must commit: required days are
    the period's days after the day the enterprise was registered (it could not commit before),
    on time and late count the commitments (commit date, is late) signed for those days."""
    registered = registered_at.astimezone(CHINA_TZ).date()
    first = max(period[0], registered + timedelta(days=1))
    required = max((period[1] - first).days + 1, 0)
    counts = Counter(bool(is_late) for day, is_late in commitments if first <= day <= period[1])
    return {
        "required_days": required,
        "on_time": counts[False],
        "late": counts[True],
        "first_day": first.isoformat() if required else None,
        "period": [period[0].isoformat(), period[1].isoformat()],
    }


def _commitments(enterprise_ids: list[int], period: tuple[date, date]) -> dict[int, list]:
    """(commit date, is late) of each commitment signed for a day of the period, by enterprise."""
    commitments: dict[int, list[tuple[date, bool]]] = {}
    for enterprise_id, day, is_late in db.session.execute(
        select(
            SafetyCommitment.enterprise_id, SafetyCommitment.commit_date, SafetyCommitment.is_late
        ).where(
            SafetyCommitment.enterprise_id.in_(enterprise_ids),
            SafetyCommitment.commit_date >= period[0],
            SafetyCommitment.commit_date <= period[1],
        )
    ):
        commitments.setdefault(enterprise_id, []).append((day, is_late))
    return commitments


def _hazard_counts(enterprise_ids: list[int], day: date, hazard_start: date) -> dict[int, tuple]:
    """(open major, overdue, reported, rejected, closed) by enterprise, in one grouped scan:
    open and overdue as the hazards stand now, the last three over the hazard period."""
    is_open = Hazard.state.not_in(FINISHED_STATES)
    in_period = and_(
        Hazard.reported_at >= _midnight(hazard_start),
        Hazard.reported_at < _midnight(day + timedelta(days=1)),
    )
    rows = db.session.execute(
        select(
            Hazard.enterprise_id,
            func.count(Hazard.id).filter(is_open, Hazard.level == "major"),
            func.count(Hazard.id).filter(is_open, Hazard.deadline < day),
            func.count(Hazard.id).filter(in_period),
            func.count(Hazard.id).filter(in_period, Hazard.state == "rejected"),
            func.count(Hazard.id).filter(in_period, Hazard.state == "closed"),
        )
        .where(Hazard.enterprise_id.in_(enterprise_ids), or_(is_open, in_period))
        .group_by(Hazard.enterprise_id)
    ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def _major_hazard_sources(enterprise_ids: list[int]) -> dict[int, int]:
    return dict(
        db.session.execute(
            select(RiskObject.enterprise_id, func.count(RiskObject.id))
            .where(
                RiskObject.enterprise_id.in_(enterprise_ids),
                RiskObject.is_major_hazard_source.is_(True),
                RiskObject.deleted_at.is_(None),
            )
            .group_by(RiskObject.enterprise_id)
        ).all()
    )


def gather_grade_facts(enterprise_id: int, day: date) -> GradeFacts:
    """The facts for one enterprise's grade of `day` (see gather_grade_facts_of)."""
    return gather_grade_facts_of([enterprise_id], day)[enterprise_id]


def gather_grade_facts_of(enterprise_ids: list[int], day: date) -> dict[int, GradeFacts]:
    """The facts for the grade of `day` (China date) of each enterprise of the list that exists:
    hazard counts as they stand now, task windows of the 30 full days before `day`, hazards
    reported in the 365 days up to `day`. A fixed number of grouped queries however many
    enterprises are asked for."""
    period = operation_period(day)
    hazard_start = day - timedelta(days=HAZARD_DAYS - 1)
    enterprises = db.session.execute(
        select(Enterprise.id, Enterprise.created_at).where(Enterprise.id.in_(enterprise_ids))
    ).all()
    committing = set(
        db.session.scalars(
            select(EnterpriseIndustry.enterprise_id).where(
                EnterpriseIndustry.enterprise_id.in_(enterprise_ids),
                EnterpriseIndustry.industry == COMMITTING_INDUSTRY,
            )
        )
    )
    states = occurrence_states(enterprise_ids, _midnight(period[0]), _midnight(day))
    hazards = _hazard_counts(enterprise_ids, day, hazard_start)
    levels = unit_levels_by_enterprise(enterprise_ids)
    sources = _major_hazard_sources(enterprise_ids)
    vetoes = _vetoes(enterprise_ids, day)
    commitments = _commitments(sorted(committing), period) if committing else {}
    facts = {}
    for enterprise in enterprises:
        tally = Counter(state.value for state in states.get(enterprise.id, []))
        open_major, overdue, reported, rejected, closed = hazards.get(enterprise.id, (0,) * 5)
        effective = [entry["effective"] for entry in levels.get(enterprise.id, {}).values()]
        commitment = None
        if enterprise.id in committing:
            commitment = commitment_facts(
                enterprise.created_at, period, commitments.get(enterprise.id, [])
            )
        facts[enterprise.id] = GradeFacts(
            day=day,
            open_major_hazards=open_major,
            overdue_hazards=overdue,
            occurrences={state.value: tally[state.value] for state in scheduling.OccurrenceState},
            online_operation_rate=scheduling.online_operation_rate(states.get(enterprise.id, [])),
            hazards_reported=reported,
            hazards_rejected=rejected,
            hazards_closed=closed,
            hazard_closure_rate=_share(closed, reported - rejected),
            red_units=effective.count("red"),
            orange_units=effective.count("orange"),
            major_hazard_sources=sources.get(enterprise.id, 0),
            vetoes=vetoes.get(enterprise.id, []),
            operation_period=period,
            hazard_period=(hazard_start, day),
            commitment=commitment,
            commitment_rate=_share(commitment["on_time"], commitment["required_days"])
            if commitment
            else None,
        )
    return facts
