"""Each domain's handlers are subscribed once however many apps a process builds (core/events.py),
so an inspection raises its hazards and writes its outbox event once."""

from anxun.core import events
from anxun.hazards.events import InspectionHazardsRaised
from anxun.hazards.handlers import hazards_of_inspection, raise_hazards_for_failed_items
from anxun.inspections.events import (
    AuditedEnterprise,
    HasOpenAuditRun,
    HazardsOfInspection,
    InspectionSubmitted,
    PlaceRisk,
)
from anxun.outbox.handlers import send_inspection_summary
from anxun.risk.handlers import link_failed_measure_checks, place_risk
from tests.conftest import build_app


def test_every_app_subscribes_the_same_handlers_once(app, tmp_path):
    build_app(app.config["SQLALCHEMY_DATABASE_URI"], str(tmp_path))
    build_app(app.config["SQLALCHEMY_DATABASE_URI"], str(tmp_path))
    assert events.handlers_of(InspectionSubmitted) == (raise_hazards_for_failed_items,)
    assert events.handlers_of(InspectionHazardsRaised) == (
        link_failed_measure_checks,
        send_inspection_summary,
    )
    assert events.handlers_of(HazardsOfInspection) == (hazards_of_inspection,)
    assert events.handlers_of(PlaceRisk) == (place_risk,)
    assert len(events.handlers_of(AuditedEnterprise)) == 1
    assert len(events.handlers_of(HasOpenAuditRun)) == 1
