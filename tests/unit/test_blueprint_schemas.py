"""Request schemas are built once per class, not per request (core/blueprint.py, issue #18), and
one instance parses every request, also from several threads at once, with each request's own
values and errors."""

import threading

from flask import Flask
from marshmallow import fields

from anxun.core.blueprint import Blueprint, SchemaOnceParser
from anxun.core.schemas import BaseSchema


class CountedSchema(BaseSchema):
    built = 0
    name = fields.String(required=True)
    count = fields.Integer(required=True)

    def __init__(self, *args, **kwargs):
        type(self).built += 1
        super().__init__(*args, **kwargs)


def _app():
    app = Flask(__name__)
    blp = Blueprint("t", __name__)

    @blp.route("/echo", methods=["POST"])
    @blp.arguments(CountedSchema)
    def echo(data):
        return data

    app.register_blueprint(blp)
    return app


def test_one_schema_instance_parses_every_request_with_its_own_values():
    CountedSchema.built = 0
    client = _app().test_client()
    results: dict[int, tuple] = {}

    def send(n: int) -> None:
        answer = client.post("/echo", json={"name": f"n{n}", "count": n})
        results[n] = (answer.status_code, answer.get_json())

    threads = [threading.Thread(target=send, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {n: (200, {"name": f"n{n}", "count": n}) for n in range(16)}
    assert client.post("/echo", json={"name": "x", "count": "many"}).status_code == 422
    assert client.post("/echo", json={"name": "y", "count": 2}).get_json() == {
        "name": "y",
        "count": 2,
    }
    assert CountedSchema.built == 1


def test_instances_and_mappings_are_passed_through():
    parser = SchemaOnceParser()
    instance = CountedSchema()
    assert parser._get_schema(instance, None) is instance
    assert parser._get_schema(CountedSchema, None) is parser._get_schema(CountedSchema, None)
    assert set(parser._get_schema({"x": fields.Integer()}, None).fields) == {"x"}
