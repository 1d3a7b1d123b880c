"""`flask anxun spot-checks …`: repeat a random draw from its seed and pools, without a database."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from anxun.oversight.spot_checks import draw as spot_draw

spot_checks_cli = AppGroup("spot-checks", help="双随机一公开 random spot checks.")


def _ids(value: str) -> list[int]:
    try:
        return [int(part) for part in value.split(",") if part.strip()]
    except ValueError as exc:
        raise click.BadParameter("comma-separated integer ids, e.g. 1,2,3") from exc


@spot_checks_cli.command("reproduce", with_appcontext=False)
@click.option("--seed", required=True, help="The draw's seed, exactly as published.")
@click.option("--objects", required=True, help="Enterprise ids of the object pool: 1,2,3")
@click.option("--inspectors", required=True, help="User ids of the inspector pool: 4,5,6")
@click.option("--count", "n", required=True, type=int, help="Enterprises drawn (N).")
@click.option("--per", "k", default=2, show_default=True, type=int, help="Inspectors each (K).")
@click.option("--json", "as_json", is_flag=True, help="Print the assignments as JSON.")
def reproduce(seed: str, objects: str, inspectors: str, n: int, k: int, as_json: bool) -> None:
    """Repeat a draw with algorithm anxun-draw-v1 and print its assignments."""
    try:
        rows = spot_draw.draw(seed, _ids(objects), _ids(inspectors), n, k, min_per_enterprise=1)
    except spot_draw.DrawError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(
            json.dumps({"algorithm": spot_draw.ALGORITHM, "seed": seed, "assignments": rows})
        )
        return
    click.echo(f"algorithm {spot_draw.ALGORITHM}, seed {seed!r}")
    for row in rows:
        people = ", ".join(str(i) for i in row["inspector_user_ids"])
        click.echo(f"{row['position']:>3}. enterprise {row['enterprise_id']}: inspectors {people}")
