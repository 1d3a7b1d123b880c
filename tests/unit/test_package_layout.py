"""Layout rules from STYLE.md §7: a sub-area is a sub-package, not a file-name prefix; demo data
lives only in anxun/demo/."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "backend" / "anxun"
# The sub-areas of oversight/ and risk/; each is a package, so no module may carry its name as a
# prefix (patrol_api.py is patrols/api.py).
SUBDOMAIN_PREFIXES = (
    "patrol_",
    "listing_",
    "spot_check_",
    "spot_",
    "enforcement_",
    "dashboard_",
    "enterprise_",
    "registry_",
    "grading_",
    "map_",
    "accountability_",
)


def prefixed_modules(package: Path) -> list[str]:
    """Modules anywhere under `package` whose file name starts with a sub-area prefix."""
    return sorted(
        str(path.relative_to(package))
        for area in ("oversight", "risk")
        for path in (package / area).rglob("*.py")
        if path.name.startswith(SUBDOMAIN_PREFIXES)
    )


def demo_modules_outside_demo(package: Path) -> list[str]:
    """Modules named demo*.py or *_demo.py in any package but anxun/demo/."""
    demo = package / "demo"
    return sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if (path.stem.startswith("demo") or path.stem.endswith("_demo"))
        and demo not in path.parents
    )


def test_no_module_under_oversight_or_risk_is_named_with_a_sub_area_prefix():
    assert prefixed_modules(PACKAGE) == []


def test_demo_data_lives_only_in_the_demo_package():
    assert (PACKAGE / "demo" / "__init__.py").exists()
    assert demo_modules_outside_demo(PACKAGE) == []


def test_the_rules_catch_a_prefixed_module_and_a_stray_demo_module(tmp_path):
    for path in (
        "oversight/patrols/api.py",
        "oversight/patrol_api.py",
        "risk/grading/map_queries.py",
        "demo/orgs.py",
        "orgs/demo.py",
        "oversight/listing_demo.py",
    ):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text('"""x."""\n', encoding="utf-8")
    assert prefixed_modules(tmp_path) == [
        "oversight/listing_demo.py",
        "oversight/patrol_api.py",
        "risk/grading/map_queries.py",
    ]
    assert demo_modules_outside_demo(tmp_path) == ["orgs/demo.py", "oversight/listing_demo.py"]
