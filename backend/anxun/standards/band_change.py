"""Which risk assessments a new band table would grade to another level (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from anxun.risk.grading.bands import BandTable
from anxun.risk.grading.control import ControlMap
from anxun.risk.grading.evaluation import evaluate


@dataclass(frozen=True)
class GradedAssessment:
    """What an assessment recorded: its factors, the level it got and the table that gave it."""

    id: int
    method: str
    factors: Mapping
    level: str
    band_table_code: str
    band_table_version: str


@dataclass(frozen=True)
class LevelChange:
    """An assessment whose level the new table changes, with the new grading explained."""

    assessment_id: int
    old_level: str
    new_level: str
    score: int | float
    explanation: str


def level_changes(
    assessments: Iterable[GradedAssessment],
    table: BandTable,
    control_map: ControlMap | None = None,
) -> list[LevelChange]:
    """The assessments of `table`'s method, graded by another table (or version), whose factors
    `table` grades to a different level. Those keeping their level are left out: their grade
    stands, so there is nothing to re-judge."""
    changes = []
    for assessment in assessments:
        if assessment.method != table.method:
            continue
        if (assessment.band_table_code, assessment.band_table_version) == (
            table.code,
            table.version,
        ):
            continue
        result = evaluate(assessment.method, assessment.factors, table, control_map)
        if result["level"]["code"] != assessment.level:
            changes.append(
                LevelChange(
                    assessment_id=assessment.id,
                    old_level=assessment.level,
                    new_level=result["level"]["code"],
                    score=result["score"],
                    explanation=result["explanation"],
                )
            )
    return changes
