"""Concurrent requests against one server: no 500s, no duplicate rows, an intact audit chain."""

import threading

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from anxun.core.audit import verify_chain
from anxun.inspections.models import TaskOccurrence
from tests.conftest import DEMO_PASSWORD


@pytest.fixture
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_parallel_task_lists_materialise_each_window_once(app, db, world, served):
    import json
    import urllib.request

    from anxun.accounts.models import User
    from anxun.accounts.services import actor_for
    from anxun.core.uow import unit_of_work
    from anxun.demo.inspections import OPERATIONS, seed_operations
    from anxun.orgs.models import Enterprise

    with unit_of_work():
        head = actor_for(db.session.scalar(select(User).where(User.username == "head-hc")))
        seed_operations(
            head, db.session.get(Enterprise, world["enterprise"]["hc"]), OPERATIONS["hc"]
        )

    def call(path, body=None, token=None):
        request = urllib.request.Request(
            served + path,
            data=json.dumps(body).encode() if body else None,
            headers={"Content-Type": "application/json"}
            | ({"Authorization": f"Bearer {token}"} if token else {}),
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())

    _, tokens = call("/api/v1/auth/login", {"username": "officer-hc", "password": DEMO_PASSWORD})
    results: list = []

    def worker():
        try:
            results.append(
                call("/api/v1/tasks?assignee=me&due=today", token=tokens["access_token"])
            )
        except Exception as exc:  # noqa: BLE001 - recorded and asserted below
            results.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r[0] if isinstance(r, tuple) else r for r in results] == [200] * 4
    assert len({len(r[1]["items"]) for r in results}) == 1
    db.session.expire_all()
    windows = db.session.execute(
        select(TaskOccurrence.place_id, TaskOccurrence.due_start, func.count()).group_by(
            TaskOccurrence.place_id, TaskOccurrence.due_start
        )
    ).all()
    assert windows and all(count == 1 for *_, count in windows)
    assert verify_chain()[1] == []
