"""The in-process event dispatch (core/events.py): order, answers, idempotent subscription, and
questions with exactly one answering handler."""

from dataclasses import FrozenInstanceError, dataclass

import pytest

from anxun.core import events


@dataclass(frozen=True)
class Happened:
    value: int


@dataclass(frozen=True)
class Asked:
    value: int


@dataclass(frozen=True)
class Unanswered:
    value: int


def test_handlers_run_in_subscription_order_and_their_answers_come_back():
    calls = []

    def first(event):
        calls.append(("first", event.value))
        return ["a"]

    def silent(event):
        calls.append(("silent", event.value))

    def last(event):
        calls.append(("last", event.value))
        return ["b"]

    for handler in (first, silent, last):
        events.subscribe(Happened, handler)
    assert events.publish(Happened(7)) == [["a"], ["b"]]
    assert calls == [("first", 7), ("silent", 7), ("last", 7)]


def test_subscribing_again_changes_nothing():
    @dataclass(frozen=True)
    class Once:
        value: int

    calls = []

    def handler(event):
        calls.append(event.value)

    events.subscribe(Once, handler)
    events.subscribe(Once, handler)
    events.publish(Once(1))
    assert calls == [1]
    assert events.handlers_of(Once) == (handler,)


def test_an_event_nobody_handles_answers_nothing():
    @dataclass(frozen=True)
    class Ignored:
        value: int

    assert events.publish(Ignored(1)) == []


def test_a_question_gets_the_answer_of_its_one_handler():
    events.subscribe(Asked, lambda q: q.value * 2)
    assert events.ask(Asked(21)) == 42


def test_a_question_without_or_with_two_handlers_is_a_programming_error():
    with pytest.raises(LookupError, match="has 0"):
        events.ask(Unanswered(1))
    events.subscribe(Unanswered, lambda q: 1)
    events.subscribe(Unanswered, lambda q: 2)
    with pytest.raises(LookupError, match="has 2"):
        events.ask(Unanswered(1))


def test_a_handler_error_reaches_the_publisher():
    @dataclass(frozen=True)
    class Failing:
        value: int

    def broken(event):
        raise ValueError("no")

    events.subscribe(Failing, broken)
    with pytest.raises(ValueError, match="no"):
        events.publish(Failing(1))


def test_events_are_frozen():
    with pytest.raises(FrozenInstanceError):
        Happened(1).value = 2
