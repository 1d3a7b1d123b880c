"""The embedded delivery worker: a daemon thread per server process that sends outbox deliveries
after the request that wrote them has committed, never on the request's thread or session.

It wakes when a committed request enqueued something (nudge) and every `interval` seconds (due
retries, and deliveries left over from before a restart). Each endpoint is drained by its own
pool thread, so a platform that never answers holds up only its own deliveries. The dispatcher's
leases keep several processes and threads from sending one delivery twice."""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from flask import Flask

from anxun.extensions import db
from anxun.outbox import dispatcher

log = logging.getLogger(__name__)
BATCH = 50  # deliveries per endpoint per drain; the drain is queued again while more are due


class EmbeddedWorker:
    """Delivers in the background of one process; `nudge()` is all a request does."""

    def __init__(self, app: Flask, interval: float, concurrency: int = 4):
        self.app = app
        self.interval = interval
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._busy: set[int] = set()
        self._pool = ThreadPoolExecutor(concurrency, thread_name_prefix="anxun-delivery")
        self._thread = threading.Thread(target=self._run, name="anxun-outbox", daemon=True)
        self.pid = os.getpid()
        self.passes = 0

    def start(self) -> EmbeddedWorker:
        self._thread.start()
        return self

    def is_alive(self) -> bool:
        return self._thread.is_alive() and self.pid == os.getpid()

    def nudge(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5) -> None:
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                self._pass()
            except Exception:  # the loop must outlive a database hiccup
                log.exception("outbox worker pass failed")
            self._wake.wait(self.interval)

    def _pass(self) -> None:
        self.passes += 1
        with self.app.app_context():
            try:
                endpoint_ids = dispatcher.due_endpoint_ids()
            finally:
                db.session.remove()
        for endpoint_id in endpoint_ids:
            with self._lock:
                if endpoint_id in self._busy or self._stopping.is_set():
                    continue
                self._busy.add(endpoint_id)
            self._pool.submit(self._drain, endpoint_id)

    def _drain(self, endpoint_id: int) -> None:
        counts = dispatcher.EMPTY_COUNTS
        try:
            with self.app.app_context():
                try:
                    counts = dispatcher.dispatch_due(limit=BATCH, endpoint_id=endpoint_id)
                finally:
                    db.session.remove()
        except Exception:
            log.exception("outbox delivery to endpoint %s failed", endpoint_id)
        finally:
            with self._lock:
                self._busy.discard(endpoint_id)
        if sum(counts.values()):
            self.nudge()  # more may have been enqueued for this endpoint while it was busy


def for_app(app: Flask) -> EmbeddedWorker:
    """This process's worker for `app`, started on first use (and again after a fork)."""
    worker = app.extensions.get("anxun_outbox_worker")
    if worker is not None and worker.is_alive():
        return worker
    with _start_lock:
        worker = app.extensions.get("anxun_outbox_worker")
        if worker is None or not worker.is_alive():
            interval = float(app.config["ANXUN_DISPATCH_INTERVAL_SECONDS"])
            worker = EmbeddedWorker(app, interval).start()
            app.extensions["anxun_outbox_worker"] = worker
    return worker


_start_lock = threading.Lock()
