"""`flask anxun jobs run|list`: the scheduled jobs, once per period across all app servers."""

import click
from flask.cli import AppGroup

jobs_cli = AppGroup("jobs", help="Scheduled jobs, run once per period however many servers call.")


@jobs_cli.command("run")
@click.argument("names", nargs=-1)
def jobs_run(names: tuple[str, ...]) -> None:
    """Run every due job (or the named ones): put this on every app server's cron, e.g. every
    10 minutes; a job already done for its period, or running on another server, is skipped."""
    from anxun.core import jobs

    unknown = [n for n in names if n not in jobs.JOBS]
    if unknown:
        raise click.BadParameter(
            f"unknown job(s) {', '.join(unknown)}; known: {', '.join(jobs.JOBS)}"
        )
    for outcome in jobs.run_due(list(names)):
        state = "ran" if outcome.ran else "skipped"
        click.echo(f"{outcome.name} [{outcome.period}] {state}: {outcome.summary}")


@jobs_cli.command("list")
def jobs_list() -> None:
    """Each job's last completed period, run count and current lease holder."""
    from anxun.core import jobs

    rows = {row.name: row for row in jobs.leases()}
    for name in jobs.JOBS:
        row = rows.get(name)
        if row is None:
            click.echo(f"{name}: never run")
            continue
        held = f", held by {row.holder} until {row.lease_expires_at}" if row.holder else ""
        click.echo(f"{name}: last period {row.period}, {row.runs} run(s){held}")
