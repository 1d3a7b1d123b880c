"""Scheduled jobs that run once per period however many app servers call them.

Every app server may run the same cron line (`flask anxun jobs run`, e.g. every 10 minutes).
Each job has a row in `job_lease`. A server claims the row for the current period with one
conditional UPDATE in its own short transaction (only when the period is not done yet and no
live lease is held); the job's work and the "period done" mark then commit together, so a job
whose work failed is claimed again on the next call, and a crashed holder's lease runs out after
LEASE_SECONDS. Works the same on SQLite and PostgreSQL (the UPDATE is atomic on both).

The single-purpose commands (`flask anxun grades snapshot`, …) still run unconditionally when
called by hand.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from anxun.core import clock
from anxun.extensions import db

LEASE_SECONDS = 30 * 60


class JobLease(db.Model):
    __tablename__ = "job_lease"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The last period whose run committed (e.g. "2026-12-07", or "2026-12-07T09" for hourly).
    period: Mapped[str | None] = mapped_column(String(32))
    holder: Mapped[str | None] = mapped_column(String(128))
    lease_expires_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    runs: Mapped[int] = mapped_column(Integer, default=0)


def daily(now: datetime) -> str:
    return now.astimezone(clock.CHINA_TZ).date().isoformat()


def hourly(now: datetime) -> str:
    return now.astimezone(clock.CHINA_TZ).strftime("%Y-%m-%dT%H")


def every_ten_minutes(now: datetime) -> str:
    local = now.astimezone(clock.CHINA_TZ)
    return f"{local:%Y-%m-%dT%H}:{local.minute // 10}0"


@dataclass(frozen=True)
class Job:
    name: str
    period: Callable[[datetime], str]
    run: Callable[[], str]


def _tasks_generate() -> str:
    from anxun.inspections import planning

    added = planning.materialize_all(clock.now() + planning.LOOKAHEAD)
    return f"{added} task occurrence(s) added"


def _hazards_sweep() -> str:
    from anxun.hazards.services import sweep_deadlines

    counts = sweep_deadlines(clock.now())
    return (
        f"overdue {counts['overdue']}, deadline soon {counts['deadline_soon']},"
        f" notifications {counts['notifications']}"
    )


def _grades_snapshot() -> str:
    from anxun.core.auth import SYSTEM
    from anxun.risk.grading.services import snapshot_all_grades

    counts = snapshot_all_grades(SYSTEM)
    return (
        f"{sum(counts.values())} grade(s): {counts['created']} new,"
        f" {counts['updated']} updated, {counts['unchanged']} unchanged"
    )


def _orders_sweep() -> str:
    from anxun.oversight.patrols.services import sweep_orders

    result = sweep_orders(clock.now())
    return (
        f"escalated {len(result['escalated'])}, follow-ups due {len(result['follow_ups_due'])},"
        f" notifications {result['notifications']}"
    )


def _permits_sweep() -> str:
    from anxun.permits.services import sweep_permits

    counts = sweep_permits(clock.now())
    return (
        f"expired {counts['expired']}, suspended {counts['suspended']},"
        f" reminded {counts['reminded']}"
    )


def _campaigns_enrol() -> str:
    from anxun.campaigns.services import enrol_late_joiners

    return f"{enrol_late_joiners(clock.now())} late joiner(s) enrolled"


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("tasks-generate", hourly, _tasks_generate),
        Job("hazards-sweep", daily, _hazards_sweep),
        Job("grades-snapshot", daily, _grades_snapshot),
        Job("orders-sweep", daily, _orders_sweep),
        # GB 30871—2022 6.5: a confined space is re-analysed every 2 h, so the sweep runs often.
        Job("permits-sweep", every_ten_minutes, _permits_sweep),
        # Enterprises that come under a running campaign get its task while the self-check runs.
        Job("campaigns-enrol", hourly, _campaigns_enrol),
    )
}


def holder_id() -> str:
    """Who holds a lease: host, process and a random part (two threads never share one)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _ensure_row(name: str) -> None:
    try:
        with db.session.begin_nested():
            db.session.execute(insert(JobLease).values(name=name, runs=0))
    except IntegrityError:
        pass  # another server created it first
    db.session.commit()


def claim(name: str, period: str, holder: str, now: datetime) -> bool:
    """Take the lease for `period` (own transaction); False when the period is done or another
    live holder has it."""
    _ensure_row(name)
    result = db.session.execute(
        update(JobLease)
        .where(
            JobLease.name == name,
            (JobLease.period.is_(None)) | (JobLease.period != period),
            (JobLease.lease_expires_at.is_(None)) | (JobLease.lease_expires_at < now),
        )
        .values(holder=holder, lease_expires_at=now + timedelta(seconds=LEASE_SECONDS))
    )
    db.session.commit()
    return result.rowcount == 1


def _finish(name: str, period: str, holder: str) -> bool:
    """Mark the period done in the job's own transaction; False if the lease was lost."""
    result = db.session.execute(
        update(JobLease)
        .where(JobLease.name == name, JobLease.holder == holder)
        .values(
            period=period,
            holder=None,
            lease_expires_at=None,
            finished_at=clock.now(),
            runs=JobLease.runs + 1,
        )
    )
    return result.rowcount == 1


def _release(name: str, holder: str) -> None:
    db.session.execute(
        update(JobLease)
        .where(JobLease.name == name, JobLease.holder == holder)
        .values(holder=None, lease_expires_at=None)
    )
    db.session.commit()


@dataclass(frozen=True)
class Outcome:
    name: str
    period: str
    ran: bool
    summary: str


def run_job(job: Job, now: datetime | None = None) -> Outcome:
    """Run `job` for the current period unless it ran already or another server is running it."""
    now = now or clock.now()
    period = job.period(now)
    holder = holder_id()
    if not claim(job.name, period, holder, now):
        row = db.session.get(JobLease, job.name)
        reason = (
            f"already done for {period}"
            if row is not None and row.period == period
            else f"running elsewhere ({row.holder if row else '?'})"
        )
        db.session.rollback()
        return Outcome(job.name, period, False, reason)
    try:
        summary = job.run()
        if not _finish(job.name, period, holder):
            raise RuntimeError(f"lease on {job.name} lost while running")
        db.session.commit()
    except BaseException:
        db.session.rollback()
        _release(job.name, holder)
        raise
    return Outcome(job.name, period, True, summary)


def run_due(names: list[str] | None = None) -> list[Outcome]:
    return [run_job(JOBS[name]) for name in (names or list(JOBS))]


def leases() -> list[JobLease]:
    return list(db.session.scalars(select(JobLease).order_by(JobLease.name)))
