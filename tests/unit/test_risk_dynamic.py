"""Dynamic risk: an open hazard raises a risk unit's level one step, red stays red."""

import ast
from pathlib import Path

import pytest

from anxun.risk.grading.dynamic import LEVEL_ORDER, effective_level, highest, raise_level

MODULE = (
    Path(__file__).resolve().parents[2] / "backend" / "anxun" / "risk" / "grading" / "dynamic.py"
)


def test_levels_ascend_from_blue_to_red():
    assert LEVEL_ORDER == ("blue", "yellow", "orange", "red")


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([], None),
        ([None, None], None),
        (["blue"], "blue"),
        (["yellow", "blue"], "yellow"),
        (["blue", "orange", "yellow"], "orange"),
        (["orange", None, "red", "blue"], "red"),
        (iter(["yellow", "yellow"]), "yellow"),
    ],
)
def test_highest_is_the_most_severe_level(levels, expected):
    assert highest(levels) == expected


@pytest.mark.parametrize(
    ("level", "raised"),
    [(None, "yellow"), ("blue", "yellow"), ("yellow", "orange"), ("orange", "red"), ("red", "red")],
)
def test_raise_level_moves_one_step_up(level, raised):
    assert raise_level(level) == raised


@pytest.mark.parametrize(
    ("assessed", "open_hazards", "effective"),
    [
        (None, 0, None),
        ("blue", 0, "blue"),
        ("yellow", 0, "yellow"),
        ("yellow", 1, "orange"),
        ("yellow", 3, "orange"),
        ("orange", 1, "red"),
        ("red", 2, "red"),
        (None, 1, "yellow"),
    ],
)
def test_effective_level_is_raised_only_while_hazards_are_open(assessed, open_hazards, effective):
    assert effective_level(assessed, open_hazards) == effective


@pytest.mark.parametrize(
    "call",
    [lambda: highest(["pink"]), lambda: raise_level("green"), lambda: effective_level("amber", 0)],
)
def test_unknown_levels_are_refused(call):
    with pytest.raises(ValueError, match="风险等级"):
        call()


def test_the_module_is_pure():
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= {"__future__", "collections.abc"}
