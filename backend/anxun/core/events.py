"""In-process domain events: a use case announces what happened, other domains react in the same
transaction (Architecture Patterns with Python, ch. 8–9), so imports point one way only.

An event is a frozen dataclass named in the past tense, defined by the domain that announces it;
`publish` runs its handlers synchronously, in the order they subscribed, and returns what they
answered. A question is a frozen dataclass a domain asks of the one domain that knows the answer
(read only, never a write); `ask` returns that answer. Each domain subscribes its handlers in its
`handlers.py`, which `create_app` calls; subscribing the same handler again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Handler = Callable[[Any], Any]

_handlers: dict[type, list[Handler]] = {}


def subscribe(message_type: type, handler: Handler) -> None:
    """Call `handler(message)` for every published event (or asked question) of this type."""
    handlers = _handlers.setdefault(message_type, [])
    if handler not in handlers:
        handlers.append(handler)


def handlers_of(message_type: type) -> tuple[Handler, ...]:
    return tuple(_handlers.get(message_type, ()))


def publish(event) -> list:
    """Run every handler of the event, in subscription order; their answers other than None.

    A handler's exception propagates, so the request's transaction rolls back as a whole."""
    answers = [handler(event) for handler in handlers_of(type(event))]
    return [answer for answer in answers if answer is not None]


def ask(question):
    """The answer of the one handler subscribed to the question's type."""
    handlers = handlers_of(type(question))
    if len(handlers) != 1:
        raise LookupError(
            f"{type(question).__name__} needs exactly one answering handler, has {len(handlers)}"
        )
    return handlers[0](question)
