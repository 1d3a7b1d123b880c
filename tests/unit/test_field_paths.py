"""Field paths of problem+json errors: list entries with an id are named by it (docs/api.md)."""

import pytest

from anxun.core.errors import flatten_messages, item_keyed

ANSWERS = [
    {"item_id": "HC-01", "result": "maybe"},
    {"result": "pass"},
    {"item_id": "HC-01", "result": "maybe"},
    {"item_id": 7, "result": "pass"},
    {"item_id": "HC-MAJ-01", "media_ids": ["x"]},
]


@pytest.mark.parametrize(
    ("messages", "fields"),
    [
        ({0: {"result": ["取值无效。"]}}, ["answers[HC-01].result"]),
        ({4: {"media_ids": {0: ["应为 UUID。"]}}}, ["answers[HC-MAJ-01].media_ids.0"]),
        ({1: {"item_id": ["此项为必填项。"]}}, ["answers.1.item_id"]),  # no id: its position
        ({3: {"item_id": ["应为文本。"]}}, ["answers.3.item_id"]),  # an id that is not text
        (  # a duplicate id: the second entry keeps its position, nothing is lost
            {0: {"result": ["取值无效。"]}, 2: {"result": ["取值无效。"]}},
            ["answers[HC-01].result", "answers.2.result"],
        ),
    ],
)
def test_answer_errors_are_named_by_their_check_item(messages, fields):
    tree = {"answers": messages, "started_at": ["此项为必填项。"]}
    item_keyed(tree, "answers", ANSWERS, "item_id")
    assert [e["field"] for e in flatten_messages(tree)] == [*fields, "started_at"]


def test_a_list_level_message_or_a_body_that_is_not_a_list_is_left_alone():
    tree = {"answers": ["长度不能少于 1。"]}
    item_keyed(tree, "answers", "not a list", "item_id")
    assert flatten_messages(tree) == [{"field": "answers", "message": "长度不能少于 1。"}]
