"""Helpers for the PWA's browser tests: the live server, Chromium contexts, common UI steps."""

from __future__ import annotations

import io
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "e2e-demo-pass"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
GEO = {"latitude": 29.98215, "longitude": 121.64118, "accuracy": 12}
# Three places on one daily plan of officer-hc: three tasks today.
PLACES = [
    {"name": "罐区 T-101 储罐", "kind": "equipment", "latitude": 29.9821, "longitude": 121.6412},
    {"name": "甲类仓库", "kind": "area", "latitude": 29.9825, "longitude": 121.6420},
    {"name": "裂解装置", "kind": "unit", "latitude": 29.9818, "longitude": 121.6405},
]
# Two plain items, a reading with a maximum of 8 h, and one more plain item.
PLAN_ITEMS = ["HC-MAJ-01", "HC-MAJ-02", "HC-01A", "HC-MAJ-03"]


def require_browser() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (make test installs Debian's chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed")


NO_SPECIAL_DAYS = Path(__file__).resolve().parents[1] / "data/permits/no_special_days.yaml"


def build_app(db_path: Path, instance: Path, **extra):
    from anxun.app import create_app

    return create_app(
        {
            "ANXUN_DISPATCH_MODE": "off",  # no delivery thread outliving the test's server
            # Permits made on the real clock must not change grade with the hour or the weekday
            # (hot work at night or on a rest day is raised one grade): no night hours, no rest days.
            "ANXUN_PERMIT_CALENDAR": str(NO_SPECIAL_DAYS),
            **extra,
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
            "INSTANCE_PATH": str(instance),
            "ANXUN_MEDIA_DIR": str(instance / "media"),
            "JWT_SECRET_KEY": "e2e-secret-key-of-sufficient-length-0123456789",
            "ANXUN_DEMO_PASSWORD": PASSWORD,
            "ANXUN_ARGON2_TIME_COST": 1,
            "ANXUN_ARGON2_MEMORY_COST": 8,
            "ANXUN_ARGON2_PARALLELISM": 1,
        }
    )


def api_login(client, username: str) -> dict:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


def create_place_and_plan(
    client, places: list[dict] | None = None, title: str = "罐区日常巡检"
) -> dict:
    """The officer registers places (the three of PLACES unless given) and a daily plan for
    himself covering the whole day at all of them."""
    officer = api_login(client, "officer-hc")
    me = client.get("/api/v1/me", headers=officer).get_json()
    enterprise_id = next(m["enterprise_id"] for m in me["memberships"] if m["enterprise_id"])
    created = []
    for place in PLACES if places is None else places:
        response = client.post(
            f"/api/v1/enterprises/{enterprise_id}/places", json=place, headers=officer
        )
        assert response.status_code == 201, response.get_json()
        created.append(response.get_json())
    response = client.post(
        f"/api/v1/enterprises/{enterprise_id}/plans",
        json={
            "title": title,
            "checklist_code": "hazardous-chemicals",
            "item_ids": PLAN_ITEMS,
            "inspection_type": "daily",
            "frequency_every": 1,
            "frequency_unit": "day",
            "work_start": "00:00:00",
            "work_end": "23:59:00",
            "place_ids": [p["id"] for p in created],
            "assignee_user_id": me["id"],
        },
        headers=officer,
    )
    assert response.status_code == 201, response.get_json()
    return {"enterprise_id": enterprise_id, "places": created, "plan": response.get_json()}


def build_template(folder: Path) -> Path:
    """A migrated SQLite file in `folder` with the demo world and the shipped checklists: what
    every browser test's server starts from (copied per test by `serve`)."""
    from flask_migrate import upgrade

    from anxun import demo
    from anxun.core.uow import unit_of_work
    from anxun.extensions import db

    db_path = folder / "template.sqlite3"
    app = build_app(db_path, folder)
    with app.app_context():
        upgrade()
        with unit_of_work():
            demo.seed_demo(PASSWORD, Path(app.config["ANXUN_CHECKLIST_DIR"]), operations=False)
        db.engine.dispose()
    return db_path


@dataclass
class Live:
    url: str
    app: object
    media_dir: Path

    def query(self, fn):
        """Run fn(db.session) against the server's database and return its result."""
        from anxun.extensions import db

        with self.app.app_context():
            try:
                return fn(db.session)
            finally:
                db.session.remove()


@contextmanager
def serve(template: Path, folder: Path, **config):
    """Serve a fresh copy of the template database from a thread; yields a Live."""
    from werkzeug.serving import make_server

    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "e2e.sqlite3"
    shutil.copyfile(template, db_path)
    instance = folder / "instance"
    instance.mkdir()
    app = build_app(db_path, instance, **config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(f"http://127.0.0.1:{server.server_port}", app, instance / "media")
    finally:
        server.shutdown()
        server.server_close()


def launch(playwright, user_data_dir: Path, service_workers: str = "allow", **options):
    """A persistent Chromium context: the same directory means the same storage."""
    context = playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=CHROMIUM,
        args=ARGS,
        viewport=options.pop("viewport", {"width": 360, "height": 640}),
        is_mobile=options.pop("is_mobile", True),
        has_touch=True,
        device_scale_factor=2,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        service_workers=service_workers,
        permissions=["geolocation"],
        geolocation=GEO,
        # Playwright's wait_for_function evaluates strings, which the app's policy forbids (no
        # 'unsafe-eval'); tests/e2e/test_content_security_policy.py runs with the policy enforced.
        bypass_csp=options.pop("bypass_csp", True),
        **options,
    )
    context.set_default_timeout(15000)
    return context


def first_page(context):
    return context.pages[0] if context.pages else context.new_page()


def screenshot(page, name: str) -> None:
    """Keep a picture of a main screen under test-artifacts/ (not committed), as the person
    holding the phone sees it."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # Two animation frames: the last DOM change has been painted.
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def login(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_selector("nav.tabs:not([hidden])")


def wait_for_async_state(page, check: str, arg=None) -> None:
    """Wait until the async page function `check(arg)` resolves truthy.

    Playwright's wait_for_function does not await a returned promise (a promise is truthy, so an
    async predicate passes at once). Here the predicate runs `check` in the background, at most
    one call at a time, and reports the last settled answer: the wait ends on the page's state,
    not on a timer."""
    page.wait_for_function(
        """([source, arg]) => {
            const probes = (window.__anxunProbes ||= {});
            const probe = (probes[source] ||= { running: false, ok: false });
            if (!probe.ok && !probe.running) {
                probe.running = true;
                const check = (0, eval)(`(${source})`);
                Promise.resolve(check(arg))
                    .then((ok) => { probe.ok = Boolean(ok); }, () => { probe.ok = false; })
                    .finally(() => { probe.running = false; });
            }
            if (probe.ok) delete probes[source];
            return probe.ok;
        }""",
        arg=[check, arg],
    )


def wait_for_saved_draft(page, item_id: str, **fields) -> None:
    """Wait until the phone's IndexedDB holds a draft whose answer to `item_id` has `fields`."""
    wait_for_async_state(
        page,
        """([itemId, fields]) => new Promise((resolve) => {
            const request = indexedDB.open("anxun");
            request.onerror = () => resolve(false);
            request.onsuccess = () => {
                const db = request.result;
                const all = db.transaction("drafts").objectStore("drafts").getAll();
                all.onerror = () => { db.close(); resolve(false); };
                all.onsuccess = () => {
                    db.close();
                    resolve(all.result.some((draft) => {
                        const answer = (draft.answers || {})[itemId];
                        return answer && Object.entries(fields).every(([k, v]) => answer[k] === v);
                    }));
                };
            };
        })""",
        [item_id, fields],
    )


def wait_for_offline_cache(page) -> None:
    """Wait until the worker has cached the task list and the prefetched checklist, so a task
    opens offline."""
    wait_for_async_state(
        page,
        """async () => {
            const cache = await caches.open('anxun-data');
            const keys = (await cache.keys()).map((r) => r.url);
            return keys.some((u) => u.includes('/tasks?') && u.includes('due=today'))
                && keys.some((u) => u.includes('/tasks?') && u.includes('due=overdue'))
                && keys.some((u) => u.includes('/checklists/hazardous-chemicals'))
                && keys.some((u) => u.includes('/evidence-requests?'));
        }""",
    )


def wait_for_worker(page) -> None:
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def fixture_photo(path: Path) -> Path:
    """A light 2400×1800 JPEG: large enough to be scaled down, plain enough to see the stamp."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (2400, 1800), (214, 222, 230))
    draw = ImageDraw.Draw(image)
    for x in range(0, 2400, 200):
        draw.rectangle((x, 200, x + 90, 600), fill=(170, 190, 210))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    path.write_bytes(buffer.getvalue())
    return path


# ---- UI steps ------------------------------------------------------------------------------


def card(page, item_id: str):
    return page.locator(f'article.item[data-item-id="{item_id}"]')


def open_task_at(page, place_name: str) -> None:
    """From 今日任务, open the task of the place with this name."""
    page.goto(page.url.split("#")[0] + "#/tasks")
    group = page.locator("section.place-group", has_text=place_name)
    group.locator("button.task").first.click()
    page.wait_for_selector("article.item")


def fill_with_one_failure(page, photo: Path, reading: str = "10") -> None:
    """Answer the plan's four items: HC-01A's reading is over 8 h (a failure) with a photo."""
    card(page, "HC-MAJ-01").get_by_role("button", name="合格", exact=True).click()
    card(page, "HC-MAJ-02").get_by_role("button", name="合格", exact=True).click()
    card(page, "HC-01A").locator("input.reading").fill(reading)
    card(page, "HC-01A").locator("input[type=file]").set_input_files(str(photo))
    card(page, "HC-01A").locator(".photos img").wait_for()
    card(page, "HC-01A").locator("textarea.note").fill("动火作业票有效期写为 10 小时")
    card(page, "HC-MAJ-03").get_by_role("button", name="不适用", exact=True).click()


def submit_inspection(page) -> str:
    """Submit the open inspection; returns its client UUID (shown on 同步记录)."""
    page.get_by_role("button", name="提交检查记录").click()
    page.wait_for_selector("article.record.highlight")
    return page.locator("article.record.highlight").get_attribute("data-record-id")
