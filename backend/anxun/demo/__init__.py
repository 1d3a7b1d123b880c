"""Demo data for `make run` and the tests, seeded through the domains' services.

All names and addresses are invented; USCC check characters are computed, so they validate.
Production packages carry no demo data: each module here seeds one domain.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from anxun.accounts.models import User
from anxun.accounts.services import actor_for
from anxun.checklists.services import load_directory
from anxun.core.auth import SYSTEM
from anxun.demo.audits import seed_audits
from anxun.demo.campaigns import seed_campaigns
from anxun.demo.incidents import seed_incidents
from anxun.demo.inspections import OPERATIONS, seed_operations
from anxun.demo.jurisdiction import seed_jurisdiction
from anxun.demo.orgs import seed_orgs
from anxun.demo.oversight import seed_listings, seed_patrols, seed_spot_checks
from anxun.demo.permits import seed_permits
from anxun.demo.risk import seed_risk_register
from anxun.extensions import db


def is_empty() -> bool:
    return db.session.scalar(select(func.count(User.id))) == 0


def seed_demo(
    password: str, checklist_dir: Path, *, operations: bool = True
) -> list[tuple[str, str, str]]:
    """Create the demo world; returns (username, role label, organisation) for printing.

    `operations` adds places, daily plans and a risk register (tests start without them)."""
    load_directory(SYSTEM, checklist_dir)  # plans need their checklists (a no-op when loaded)
    actor, enterprises, logins = seed_orgs(password)
    for key, enterprise in enterprises.items() if operations else ():
        head = actor_for(db.session.scalar(select(User).where(User.username == f"head-{key}")))
        seed_operations(head, enterprise, OPERATIONS[key])
        if key == "hc":
            seed_risk_register(head, enterprise)
    if operations:
        logins.extend(seed_spot_checks(actor, password))
        seed_patrols(enterprises)
        seed_listings(enterprises)
        seed_incidents(enterprises["hc"])
        seed_permits(enterprises["hc"])
        seed_audits()
        seed_jurisdiction(actor, password)
        seed_campaigns(enterprises["hc"])
    return logins
