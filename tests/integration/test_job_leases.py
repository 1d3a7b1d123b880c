"""Scheduled jobs run once per period, however many app servers call `flask anxun jobs run`."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from anxun.core import jobs
from anxun.extensions import db


def _run_all(app, barrier, outcomes):
    with app.app_context():
        barrier.wait()
        try:
            outcomes.extend(jobs.run_due())
        finally:
            db.session.remove()


def test_two_servers_calling_at_once_run_each_job_once(app, world, frozen_clock):
    frozen_clock(datetime(2026, 12, 7, 1, 0, tzinfo=UTC))
    barrier, outcomes = threading.Barrier(2), []
    threads = [threading.Thread(target=_run_all, args=(app, barrier, outcomes)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ran = sorted(o.name for o in outcomes if o.ran)
    assert ran == sorted(jobs.JOBS)  # each exactly once across both callers
    assert len(outcomes) == 2 * len(jobs.JOBS)
    with app.app_context():
        assert {row.name: row.runs for row in jobs.leases()} == dict.fromkeys(jobs.JOBS, 1)
        # Called again in the same period: nothing runs.
        again = jobs.run_due()
        assert not any(o.ran for o in again)
        assert all("already done" in o.summary for o in again)
    # The next day each daily job is due again; the hourly one too.
    frozen_clock(datetime(2026, 12, 8, 1, 0, tzinfo=UTC))
    with app.app_context():
        assert all(o.ran for o in jobs.run_due())


def test_a_failed_run_releases_the_lease_and_a_held_lease_blocks(app, world, monkeypatch):
    job = jobs.Job("grades-snapshot", jobs.daily, lambda: 1 / 0)
    with app.app_context():
        with pytest.raises(ZeroDivisionError):
            jobs.run_job(job)
        row = db.session.get(jobs.JobLease, "grades-snapshot")
        assert row.holder is None and row.period is None and row.runs == 0
        # Another server holds a live lease: skipped; once it expires, claimed.
        now = datetime.now(UTC)
        assert jobs.claim("grades-snapshot", jobs.daily(now), "other:1:x", now)
        skipped = jobs.run_job(jobs.JOBS["grades-snapshot"], now)
        assert not skipped.ran and "other:1:x" in skipped.summary
        later = now + timedelta(seconds=jobs.LEASE_SECONDS + 1)
        assert jobs.run_job(jobs.JOBS["grades-snapshot"], later).ran


def test_the_command_names_what_ran_and_refuses_unknown_jobs(app, world):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["anxun", "jobs", "run", "orders-sweep"])
    assert first.exit_code == 0, first.output
    assert "orders-sweep" in first.output and "ran" in first.output
    second = runner.invoke(args=["anxun", "jobs", "run", "orders-sweep"])
    assert "skipped" in second.output
    assert runner.invoke(args=["anxun", "jobs", "run", "nope"]).exit_code != 0
    listed = runner.invoke(args=["anxun", "jobs", "list"])
    assert "orders-sweep: last period" in listed.output
    assert "grades-snapshot: never run" in listed.output
