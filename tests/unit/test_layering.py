"""Architecture rules from STYLE.md: pure modules stay pure; HTTP layers never touch db.session."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "backend" / "anxun"
PURE_MODULES = [
    "orgs/rules.py",
    "audits/signing.py",
    "audits/read_subjects.py",
    "core/checkpoint_signing.py",
    "accounts/roles.py",
    "accounts/throttling.py",
    "checklists/loader.py",
    "checklists/scoring.py",
    "checklists/verification.py",
    "inspections/scheduling.py",
    "hazards/workflow.py",
    "risk/grading/levels.py",
    "risk/grading/exact.py",
    "risk/grading/methods.py",
    "risk/grading/bands.py",
    "risk/grading/control.py",
    "risk/grading/evaluation.py",
    "risk/grading/enterprise.py",
    "risk/grading/effectiveness.py",
    "outbox/mappings/hazchem.py",
    "risk/map/drawing.py",
    "risk/grading/dynamic.py",
    "risk/registry/measure_checklist.py",
    "risk/accountability/rules.py",
    "inspections/plausibility.py",
    "reports/statistics.py",
    "oversight/numbering.py",
    "oversight/patrols/orders.py",
    "oversight/listings/rules.py",
    "core/disclosure.py",
    "incidents/rules.py",
    "oversight/spot_checks/draw.py",
    "oversight/dashboard/indicators.py",
    "backup/manifest.py",
    "standards/band_change.py",
]
FORBIDDEN_IN_PURE = ("flask", "sqlalchemy", "flask_sqlalchemy", "anxun.extensions", "anxun.core")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_rule_modules_import_no_framework(module):
    path = PACKAGE / module
    assert path.exists(), module
    bad = [
        m
        for m in imported_modules(path)
        if m.split(".")[0] in FORBIDDEN_IN_PURE or m.startswith(FORBIDDEN_IN_PURE)
    ]
    assert bad == []


@pytest.mark.parametrize(
    "api_module",
    sorted(PACKAGE.rglob("api.py")),
    ids=lambda p: str(p.parent.relative_to(PACKAGE)),
)
def test_http_layer_never_touches_the_session(api_module):
    source = api_module.read_text(encoding="utf-8")
    assert "db.session" not in source
    assert "anxun.extensions" not in source


def test_every_module_has_a_docstring():
    missing = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None
    ]
    assert missing == []
