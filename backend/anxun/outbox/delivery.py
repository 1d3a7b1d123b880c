"""After a request commits: wake the embedded worker (embedded mode) or hand its outbox events to
RQ (production). Delivery never runs inside a request or its transaction."""

from __future__ import annotations

from flask import Flask, current_app, g

from anxun.outbox import dispatcher, worker

MODES = ("embedded", "rq", "off")


def after_request_commit() -> None:
    event_ids = g.pop("outbox_event_ids", None)
    if not event_ids:
        return
    mode = current_app.config["ANXUN_DISPATCH_MODE"]
    if mode == "embedded":
        worker.for_app(current_app._get_current_object()).nudge()
    elif mode == "rq":
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

    @app.before_request
    def _start_worker():
        # Embedded mode: the worker starts with the first request after a server's fork, so that
        # deliveries left from before a restart go out without waiting for a new event.
        if app.config["ANXUN_DISPATCH_MODE"] == "embedded":
            worker.for_app(app)
