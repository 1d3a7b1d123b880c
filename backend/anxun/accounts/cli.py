"""`flask anxun accounts purge`: housekeeping of login records that can no longer matter."""

from __future__ import annotations

import click
from flask.cli import AppGroup

accounts_cli = AppGroup("accounts", help="Accounts, sessions and login records.")


@accounts_cli.command("purge")
def purge() -> None:
    """Forget expired sessions, refresh and revoked tokens, failures outside the throttle window
    and successes older than ANXUN_LOGIN_KNOWN_DAYS (run daily from cron)."""
    from anxun.accounts import services, sessions
    from anxun.core.uow import unit_of_work

    with unit_of_work():
        tokens = sessions.purge_expired()
        attempts = services.purge_attempts()
    click.echo(f"已清理 purged: {tokens} session/token row(s), {attempts} login attempt(s)")
