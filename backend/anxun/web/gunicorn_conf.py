"""gunicorn settings for `make run` and `make serve`: threaded workers that suit SQLite, and the
embedded outbox worker started in each worker process as soon as it has loaded the app."""

from __future__ import annotations

import gc
import os

wsgi_app = "anxun.app:create_app()"
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Threads, not many processes: SQLite serialises writers anyway, and a thread waiting on the
# network or a lock costs little. WEB_CONCURRENCY is gunicorn's own variable for the process count.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = 4
accesslog = "-"
# gunicorn's control socket lives at one path per user: a second server on the machine (tests, the
# bench, make serve beside make run) would take it over. Nothing here uses gunicornc.
control_socket_disable = True
# Forwarded headers are trusted by the app alone (ANXUN_TRUSTED_PROXIES, ProxyFix): gunicorn would
# otherwise take X-Forwarded-Proto from any client on 127.0.0.1 and mark the request as TLS.
secure_scheme_headers: dict[str, str] = {}
forwarded_allow_ips = ""


def post_worker_init(worker):
    """Start delivering at once, not at the first request: deliveries left over from before a
    restart go out even when nobody uses the app."""
    app = worker.wsgi
    # Everything loaded so far (modules, the app, its caches) lives as long as the process: keep
    # it out of the collector's generations so collections scan only per-request garbage.
    gc.freeze()
    if app.config["ANXUN_DISPATCH_MODE"] == "embedded":
        from anxun.outbox import worker as outbox_worker

        outbox_worker.for_app(app)
