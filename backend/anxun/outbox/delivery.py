"""After a request commits: deliver its outbox events inline (embedded) or hand them to RQ."""

from __future__ import annotations

from flask import Flask, current_app, g

from anxun.outbox import dispatcher

MODES = ("inline", "rq", "off")


def after_request_commit() -> None:
    event_ids = g.pop("outbox_event_ids", None)
    mode = current_app.config["ANXUN_DISPATCH_MODE"]
    if mode == "inline":
        # Embedded mode: deliver this request's events and any retries that have come due.
        dispatcher.dispatch_due(limit=20)
    elif mode == "rq" and event_ids:
        enqueue_job(event_ids)


def enqueue_job(event_ids: list[int]):
    from redis import Redis
    from rq import Queue

    queue = Queue("anxun", connection=Redis.from_url(current_app.config["ANXUN_REDIS_URL"]))
    return queue.enqueue(dispatcher.dispatch_job, event_ids)


def register(app: Flask) -> None:
    if app.config["ANXUN_DISPATCH_MODE"] not in MODES:
        raise ValueError(f"ANXUN_DISPATCH_MODE must be one of {MODES}")
    from anxun.core.uow import after_commit

    after_commit(app, after_request_commit)
