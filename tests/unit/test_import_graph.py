"""The import graph points one way (STYLE.md §7, issue 12): inspections announces events and asks
questions (core/events.py); hazards, risk, the outbox and audits react, so no module under
inspections/ imports them, at module level or inside a function, absolutely or relatively."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "backend" / "anxun"
FORBIDDEN = ("anxun.hazards", "anxun.risk", "anxun.outbox", "anxun.audits")


def imported_names(path: Path, root: Path = PACKAGE.parent) -> set[str]:
    """Every module an Import or ImportFrom anywhere in the file names, relative ones resolved
    against the file's package (`root` holds the top package); `from anxun import hazards`
    counts as `anxun.hazards`."""
    package = list(path.relative_to(root).parent.parts)
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def forbidden_edges(names: set[str]) -> list[str]:
    return sorted(n for n in names if any(n == f or n.startswith(f + ".") for f in FORBIDDEN))


def probe(tmp_path: Path, source: str) -> set[str]:
    path = tmp_path / "anxun" / "inspections" / "probe.py"
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    return imported_names(path, tmp_path)


@pytest.mark.parametrize(
    ("source", "edge"),
    [
        ("import anxun.hazards.models\n", "anxun.hazards.models"),
        ("from anxun.risk import registry\n", "anxun.risk.registry"),
        ("from anxun import outbox\n", "anxun.outbox"),
        ("def f():\n    from anxun.audits.services import run\n", "anxun.audits.services"),
        ("class C:\n    def f(self):\n        import anxun.audits\n", "anxun.audits"),
        ("from ..hazards.models import Hazard\n", "anxun.hazards.models"),
        ("from .. import risk\n", "anxun.risk"),
    ],
)
def test_every_kind_of_import_is_seen(tmp_path, source, edge):
    assert edge in forbidden_edges(probe(tmp_path, source))


def test_core_sibling_and_lookalike_imports_are_allowed(tmp_path):
    source = (
        "from anxun.core import events\nfrom . import models\nfrom ..orgs import scoping\n"
        "import anxun.hazardous\n"
    )
    assert forbidden_edges(probe(tmp_path, source)) == []


@pytest.mark.parametrize(
    "module",
    sorted((PACKAGE / "inspections").rglob("*.py")),
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_inspections_imports_nothing_of_hazards_risk_outbox_or_audits(module):
    assert forbidden_edges(imported_names(module)) == []
