"""How the outbox reacts to other domains' events: what regulators are sent about them."""

from __future__ import annotations

from anxun.core import events
from anxun.hazards.events import InspectionHazardsRaised
from anxun.outbox import events as outbox_events


def send_inspection_summary(event: InspectionHazardsRaised) -> None:
    """An accepted inspection goes to the regulators' feed with the number of hazards it raised
    (which is why it waits for the hazards, not for the bare submission)."""
    submitted = event.submitted
    outbox_events.inspection_summary(
        submitted.inspection,
        submitted.version,
        submitted.place,
        len(event.hazards),
        submitted.enterprise,
    )


def register() -> None:
    events.subscribe(InspectionHazardsRaised, send_inspection_summary)
