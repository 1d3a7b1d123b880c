"""Transactions: one per request (commit on success, roll back on error) and one per CLI job."""

from __future__ import annotations

import logging
import uuid
from contextlib import contextmanager

from flask import Flask, g, request

from anxun.extensions import db

log = logging.getLogger(__name__)


def keep_on_error() -> None:
    """Commit this request's writes even though it answers with an error (e.g. failed logins)."""
    g.commit_on_error = True


def after_commit(app: Flask, hook) -> None:
    """Run `hook()` after a request's transaction committed (e.g. deliver outbox events)."""
    app.extensions.setdefault("anxun_after_commit", []).append(hook)


def _run_after_commit_hooks(app: Flask) -> None:
    for hook in app.extensions.get("anxun_after_commit", []):
        try:
            hook()
        except Exception:  # a failing side job must never turn a committed write into an error
            log.exception("after-commit hook failed")
            db.session.rollback()


def register_request_transaction(app: Flask) -> None:
    @app.before_request
    def start_request():
        g.request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex

    @app.after_request
    def finish_request(response):
        try:
            if response.status_code < 400 or g.get("commit_on_error"):
                db.session.commit()
                _run_after_commit_hooks(app)
            else:
                db.session.rollback()
        except Exception:
            db.session.rollback()
            raise
        response.headers["X-Request-ID"] = g.get("request_id", "")
        return response

    @app.teardown_request
    def end_request(exc):
        if exc is not None:
            db.session.rollback()


@contextmanager
def unit_of_work():
    """For CLI commands and workers: commit at the end, roll back on any exception."""
    try:
        yield db.session
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
