"""Schemathesis over the whole API on each database: no input gives a 5xx, and every answer
matches the OpenAPI document (status code, content type and body schema).

Each operation gets a bounded, derandomized batch of valid and invalid requests, sent as one of a
few demo roles (and anonymously to the public operations); path parameters often name rows of the
seeded world so requests reach real objects. No operation is left out: those answering PDF, XLSX or
PNG are checked for 5xx and content type like the rest. Failures are collected per operation and
reported together, without shrinking, so one run shows everything that is wrong.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import DEMO_PASSWORD

# Examples per operation and generation mode; the whole run stays within minutes per database.
EXAMPLES = 8
ROLES = ("officer-hc", "head-hc", "regulator", "regulator-admin", "auditor", "admin")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
# Path parameters that name a row by a text column of the same name.
TEXT_PARAMETERS = ("code", "qr_token")


def _existing_values(app) -> dict[str, list]:
    """Values naming rows of the seeded world, so that generated requests also reach real objects:
    small integer ids, UUID primary keys, and text columns named like a path parameter."""
    from sqlalchemy import Uuid, select

    from anxun.extensions import db

    values: dict[str, list] = {"integer": [1, 2, 3, 4], "uuid": []}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if column.primary_key and isinstance(column.type, Uuid):
                    values["uuid"] += [str(v) for v in db.session.scalars(select(column).limit(8))]
                elif column.name in TEXT_PARAMETERS:
                    rows = db.session.scalars(select(column).distinct().limit(8))
                    values.setdefault(column.name, []).extend(v for v in rows if v)
    return values


def _path_kinds(operation) -> dict[str, str]:
    kinds = {}
    for parameter in operation.path_parameters:
        schema = parameter.definition.get("schema", {})
        if schema.get("type") == "integer":
            kinds[parameter.name] = "integer"
        elif schema.get("format") == "uuid":
            kinds[parameter.name] = "uuid"
        else:
            kinds[parameter.name] = parameter.name
    return kinds


class Logins:
    """One access token per role, renewed after an operation answered 401 to a token (it may have
    logged the role out, reset its password or deactivated it)."""

    def __init__(self, client):
        self.client = client
        self.headers: dict[str | None, dict] = {}
        self.renew()

    def renew(self) -> None:
        self.headers = {None: {}}
        for role in ROLES:
            response = self.client.post(
                "/api/v1/auth/login", json={"username": role, "password": DEMO_PASSWORD}
            )
            if response.status_code == 200:
                token = response.get_json()["access_token"]
                self.headers[role] = {"Authorization": f"Bearer {token}"}
        self.stale = False


def _run_operation(operation, mode, logins: Logins, known: dict, failures: list, answered: set):
    is_public = operation.definition.raw.get("security") == []
    roles = [None] if is_public else [r for r in logins.headers if r is not None]
    kinds = {name: kind for name, kind in _path_kinds(operation).items() if known.get(kind)}
    seen: set[str] = set()

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(
        case=operation.as_strategy(generation_mode=mode),
        role=st.sampled_from(roles),
        real=st.fixed_dictionaries(
            {name: st.none() | st.sampled_from(known[kind]) for name, kind in kinds.items()}
        ),
    )
    def check(case, role, real):
        for name, value in real.items():
            if value is not None and case.path_parameters is not None:
                case.path_parameters[name] = value
        response = case.call(headers=logins.headers[role])
        if response.status_code < 300:
            answered.add(operation.label)
        if response.status_code == 401 and role is not None:
            logins.stale = True
        try:
            case.validate_response(response, checks=CHECKS)
        except (Failure, FailureGroup) as exc:
            found = exc.exceptions if isinstance(exc, FailureGroup) else (exc,)
            for failure in found:
                key = f"{failure.title} {response.status_code}"
                if key not in seen:
                    seen.add(key)
                    failures.append(
                        f"{operation.label} [{mode.value}, {role}] {response.status_code} "
                        f"{failure.title}: {failure.message[:800]}\n"
                        f"  request: {case.as_curl_command()[:600]}\n"
                        f"  answer: {response.text_lossy()[:400]}"
                    )

    check()


def test_no_input_breaks_the_api_or_its_documented_shape(app, client, world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100
    logins = Logins(client)
    known = _existing_values(app)
    failures: list[str] = []
    answered: set[str] = set()
    for operation in operations:
        for mode in MODES:
            try:
                _run_operation(operation, mode, logins, known, failures, answered)
            except Unsatisfiable:
                # Nothing to negate: the operation takes no parameters and no body.
                assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label
        if logins.stale:
            logins.renew()
    assert not failures, "\n\n".join(failures)
    # The run reached real objects, not only 401/404/422 answers.
    assert len(answered) >= 60, sorted(answered)
