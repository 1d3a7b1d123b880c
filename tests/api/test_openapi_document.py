"""The OpenAPI document tells the truth: problem+json errors with their real shape, numeric bounds
as numbers, money as decimal text, `security: []` exactly on public operations, and 405s whose
`Allow` lists the documented methods."""

from __future__ import annotations

import re

import pytest

from anxun.core.schemas import BaseSchema

METHODS = ("get", "post", "put", "patch", "delete")
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
PUBLIC = {
    ("post", "/api/v1/auth/login"),
    ("get", "/api/v1/public/major-hazards"),
    ("get", "/api/v1/public/spot-checks"),
    ("get", "/api/v1/public/major-hazards/regions"),
    ("get", "/api/v1/public/spot-checks/{draw_id}/reproduction"),
}


@pytest.fixture(params=["sqlite"])
def backend(request):
    """The document does not depend on the database."""
    return request.param


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").get_json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def resolve(spec, response):
    if "$ref" in response:
        return spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


def test_every_error_response_is_a_documented_problem(spec):
    problem = spec["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert {"errors", "missing_media", "current_state"} <= set(problem["properties"])
    item = spec["components"]["schemas"]["ProblemError"]
    assert {"field", "message"} <= set(item["required"])
    undocumented = []
    for path, method, operation in operations(spec):
        assert "default" in operation["responses"], (method, path)
        for status, response in operation["responses"].items():
            is_error = status == "default" or status[0] in "45"
            content = resolve(spec, response).get("content") or {}
            schemas = {kind: {"schema": media.get("schema")} for kind, media in content.items()}
            if is_error and schemas != PROBLEM:  # an example may accompany the schema
                undocumented.append((method, path, status))
    assert undocumented == []


def _walk(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}/{index}")


def test_numeric_bounds_are_numbers_and_money_is_decimal_text(spec):
    bounds = [
        (where, key, value)
        for where, key, value in _walk(spec)
        if key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
        and not isinstance(value, int | float)
    ]
    assert bounds == []
    schemas = spec["components"]["schemas"]
    money = [
        schemas["HazardTransition"]["properties"]["funds"],
        schemas["Hazard"]["properties"]["funds"],
        schemas["ReportFields"]["properties"]["direct_loss_estimate"],
        schemas["IncidentReport"]["properties"]["direct_loss_estimate"],
        schemas["HazardStatistics"]["properties"]["funds_total"],
    ]
    for prop in money:
        assert (prop["type"], prop["format"]) == ("string", "decimal")
        assert re.fullmatch(prop["pattern"], "1200.50")
        assert not re.fullmatch(prop["pattern"], "12.345")


def test_path_ids_document_the_database_range(spec):
    place = spec["paths"]["/api/v1/places/{place_id}"]["parameters"][0]["schema"]
    assert place == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}


def _example_path(spec, path: str) -> str:
    """The path with each parameter filled in by a value of its documented type."""
    item = spec["paths"][path]
    params = [p for op in item.values() if isinstance(op, dict) for p in op.get("parameters", [])]
    params += [p for p in item.get("parameters", []) if isinstance(p, dict)]
    types = {p["name"]: p.get("schema", {}) for p in params if p.get("in") == "path"}

    def value(match):
        schema = types.get(match.group(1), {})
        if schema.get("type") == "integer":
            return "1"
        if schema.get("format") == "uuid":
            return "00000000-0000-4000-8000-000000000000"
        return "x"

    return re.sub(r"{([^}]+)}", value, path)


def test_security_is_empty_exactly_on_the_operations_anonymous_callers_may_use(spec, client, world):
    public = {(m, p) for p, m, op in operations(spec) if op.get("security") == []}
    assert public >= PUBLIC
    wrong = {}
    for path, method, _ in operations(spec):
        if method == "get":
            status = client.get(_example_path(spec, path)).status_code
            if (status == 401) == ((method, path) in public):
                wrong[path] = status
    assert wrong == {}


def test_wrong_methods_are_405_problems_allowing_the_documented_methods(spec, client, world):
    wrong = []
    for path, item in spec["paths"].items():
        documented = {m.upper() for m in METHODS if m in item}
        expected = documented | {"OPTIONS"} | ({"HEAD"} if "GET" in documented else set())
        url = _example_path(spec, path)
        for method in sorted({m.upper() for m in METHODS} - documented):
            response = client.open(url, method=method)
            allow = set(response.headers.get("Allow", "").replace(" ", "").split(","))
            if (
                response.status_code != 405
                or response.content_type != "application/problem+json"
                or allow != expected
            ):
                wrong.append((method, path, response.status_code, sorted(allow)))
    assert wrong == []


def _all_schema_classes():
    from anxun.app import create_app  # noqa: F401 - importing the app imports every schema

    seen, todo = set(), [BaseSchema]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return sorted(seen, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _unguarded(field, name):
    from marshmallow import fields

    if not getattr(field, "_anxun_guarded", False):
        yield name
    if isinstance(field, fields.List):
        yield from _unguarded(field.inner, f"{name}[]")


def test_every_field_of_every_schema_passes_the_value_gate(app):
    """A schema cannot opt out of the range, year and NUL checks (e.g. by its own hooks)."""
    unguarded = []
    with app.app_context():
        for cls in _all_schema_classes():
            schema = cls()
            for name, field in schema.declared_fields.items():
                unguarded += [f"{cls.__name__}.{n}" for n in _unguarded(field, name)]
    assert unguarded == []


# `*_label` fields that are display names of things that are not codes (issue 12 keeps them): a
# checklist version's name, the names of the versions a standard change went between, and the
# account name of the person who took a hazard step.
DISPLAY_NAMES = {"version_label", "old_label", "new_label", "actor_label"}


def response_schemas(spec) -> set[str]:
    """The component schemas a response can carry, followed through nested references."""
    schemas, found = spec["components"]["schemas"], set()

    def follow(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            name = ref.rsplit("/", 1)[-1]
            if ref.startswith("#/components/schemas/") and name not in found:
                found.add(name)
                follow(schemas[name])
            for value in node.values():
                follow(value)
        elif isinstance(node, list):
            for value in node:
                follow(value)

    for _path, _method, operation in operations(spec):
        follow(operation["responses"])
    return found - {"Problem", "ProblemError"}


def properties(schema, prefix=""):
    """(dotted name, property schema) of a schema's properties, inline objects and lists included."""
    for name, prop in (schema.get("properties") or {}).items():
        yield prefix + name, prop
        yield from properties(prop, f"{prefix}{name}.")
        if isinstance(prop.get("items"), dict):
            yield from properties(prop["items"], f"{prefix}{name}[].")


def test_coded_values_in_responses_are_code_label_objects(spec):
    """Every coded value a response carries is {code, label} (documented with its codes): no plain
    enumerated string and no `*_label` field beside a code."""
    schemas = spec["components"]["schemas"]
    labels, plain_codes = [], []
    for name in sorted(response_schemas(spec)):
        for field, prop in properties(schemas[name]):
            leaf = field.rsplit(".", 1)[-1]
            if prop.get("type") == "string" and "enum" in prop and not field.endswith(".code"):
                plain_codes.append(f"{name}.{field}")
            if leaf.endswith("_label") and leaf not in DISPLAY_NAMES:
                labels.append(f"{name}.{field}")
    assert labels == []
    assert plain_codes == []


def test_a_coded_value_is_documented_with_its_codes(spec):
    shape = spec["components"]["schemas"]["Shape"]["properties"]["level"]
    assert shape["type"] == "object"
    assert shape["required"] == ["code", "label"]
    assert shape["properties"]["code"]["enum"] == ["blue", "orange", "red", "yellow"]
    inspection = spec["components"]["schemas"]["InspectionView"]["properties"]
    assert set(inspection["source"]["properties"]["code"]["enum"]) == {
        "self_inspection",
        "agency",
        "regulator",
    }


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("post", "/api/v1/inspections", "201"),
        ("post", "/api/v1/inspections", "200"),
        ("post", "/api/v1/media", "201"),
        ("post", "/api/v1/media", "200"),
        ("post", "/api/v1/hazards/{hazard_id}/transitions", "200"),
    ],
)
def test_idempotent_writes_document_the_replay_marker(spec, method, path, status):
    content = spec["paths"][path][method]["responses"][status]["content"]["application/json"]
    schema = spec["components"]["schemas"][content["schema"]["$ref"].rsplit("/", 1)[1]]
    assert schema["properties"]["replayed"]["type"] == "boolean"


def test_each_sync_result_documents_the_replay_marker(spec):
    content = spec["paths"]["/api/v1/sync"]["post"]["responses"]["200"]["content"]
    schemas = spec["components"]["schemas"]
    page = schemas[content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    result = schemas[page["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[1]]
    assert result["properties"]["replayed"]["type"] == "boolean"


# Names a photo or document reference had before docs/api.md gave them one form (…media_ids).
OLD_MEDIA_NAMES = {"media", "photo_ids", "after_photos", "close_photo_ids", "governance_plan"}


def test_photo_and_document_references_are_named_media_ids_in_and_out(spec):
    """docs/api.md: a reference to an uploaded photo or document is `…_media_id(s)` in requests
    and responses alike; the older names appear nowhere in the document."""
    found = []
    for name, schema in sorted(spec["components"]["schemas"].items()):
        for field, _prop in properties(schema):
            leaf = field.rsplit(".", 1)[-1]
            if leaf in OLD_MEDIA_NAMES or ("photo" in leaf and leaf.endswith(("_id", "_ids"))):
                found.append(f"{name}.{field}")
    assert found == []
