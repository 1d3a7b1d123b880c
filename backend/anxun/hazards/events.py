"""What the hazards domain announces (core/events.py)."""

from __future__ import annotations

from dataclasses import dataclass

from anxun.hazards.models import Hazard
from anxun.inspections.events import InspectionSubmitted


@dataclass(frozen=True)
class InspectionHazardsRaised:
    """The hazards a submitted inspection raised from its failed items, in item order (perhaps
    none): what the inspection's consequences elsewhere (risk units, the regulators' feed) wait
    for."""

    submitted: InspectionSubmitted
    hazards: tuple[Hazard, ...]
