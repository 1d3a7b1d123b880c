"""`flask anxun orders sweep`: escalate unacknowledged rectification orders, list due follow-ups."""

import click
from flask.cli import AppGroup

from anxun.core.uow import unit_of_work

orders_cli = AppGroup("orders", help="Rectification orders: escalation and due follow-ups.")


@orders_cli.command("sweep")
def orders_sweep() -> None:
    """Escalate orders unacknowledged past ANXUN_ORDER_ACK_DAYS (once each); run daily from cron."""
    from anxun.core import clock
    from anxun.oversight.patrols.services import sweep_orders

    with unit_of_work():
        result = sweep_orders(clock.now())
    for row in result["follow_ups_due"]:
        click.echo(f"待回头看 {row['number']}（计划 {row['scheduled_on']}）")
    escalated = len(result["escalated"])
    due = len(result["follow_ups_due"])
    click.echo(
        f"升级督办 {escalated} 份，待回头看 {due} 份，发送消息 {result['notifications']} 条。"
        f" escalated {escalated}, follow-ups due {due}, notifications {result['notifications']}."
    )
