"""`flask anxun permits sweep`: expire permits past their window, suspend missed re-analysis."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from anxun.core.uow import unit_of_work

permits_cli = AppGroup("permits", help="特殊作业票：过期与复检巡查。")


@permits_cli.command("sweep")
def sweep() -> None:
    """Run every few minutes from cron: reminders before a re-analysis is due, and a missed
    re-analysis suspends the work (GB 30871 6.5)."""
    from anxun.core import clock
    from anxun.permits.services import sweep_permits

    with unit_of_work():
        counts = sweep_permits(clock.now())
    click.echo(
        f"过期作业票 {counts['expired']} 张，未按时复检暂停 {counts['suspended']} 张，"
        f"复检提醒 {counts['reminded']} 人次。"
        f" expired {counts['expired']}, suspended {counts['suspended']},"
        f" reminded {counts['reminded']}."
    )
