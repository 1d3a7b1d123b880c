"""The phone's outbox drain under faults, measured in Chromium (issue #18). Not a timed test.

N inspections are recorded offline on the phone app (officer-hc, one failed item with a ~480 KB
photo each), then the phone goes online and drains its outbox while a share of its write
requests (photo uploads and POST /sync) fail: half are dropped before the server sees them, half
after the server has processed them (the answer is lost). The browser is closed once mid-drain
and reopened on the same profile. Prints the drain time, what the server stored, and what was
lost or doubled. The faults come from the page's own fetch, wrapped before the app loads (a failed
fetch is what a dropped connection looks like to the app); `--inject route` uses a Playwright
route instead, which adds latency to every request (about 40 s over a 200-record drain here).

    .venv/bin/python bench/pwa_drain.py                 # 200 inspections, 20 % faults
    .venv/bin/python bench/pwa_drain.py -n 50 --faults 0
    git archive 825470a^ pwa | tar -x -C /tmp/old && \
        .venv/bin/python bench/pwa_drain.py --pwa-dir /tmp/old/pwa      # the one-by-one client

The server is the app on a fresh copy of the demo world in SQLite (the browser tests' set-up),
served by Werkzeug's threaded server in a child process. One inspection is recorded through the
UI; the others are its copies with their own ids and their own photos (distinct noisy JPEGs), put
in the phone's IndexedDB as the app itself stores them.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import io
import json
import multiprocessing
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def extra_tasks(live, n: int) -> list[dict]:
    """n more places on a daily plan of officer-hc like the browser tests' one: n tasks today,
    one per inspection (a task takes one record)."""
    from sqlalchemy import select

    from anxun.inspections.models import TaskOccurrence
    from tests.e2e.helpers import api_login, create_place_and_plan

    client = live.app.test_client()
    places = [
        {
            "name": f"巡检点 {k + 1:03d}",
            "kind": "equipment",
            "latitude": 29.9821,
            "longitude": 121.6412,
        }
        for k in range(n)
    ]
    plan_id = create_place_and_plan(client, places, title="批量巡检")["plan"]["id"]
    # Listing today's tasks materialises their occurrences, as the phone's first visit does.
    officer = api_login(client, "officer-hc")
    listed = client.get("/api/v1/tasks?assignee=me&due=today&limit=500", headers=officer)
    assert listed.status_code == 200, listed.get_json()

    def read(session):
        rows = session.scalars(select(TaskOccurrence).where(TaskOccurrence.plan_id == plan_id))
        return [{"task": r.id, "place": r.place_id} for r in rows]

    tasks = live.query(read)
    assert len(tasks) >= n, f"{len(tasks)} tasks for {n} places"
    return tasks[:n]


def run_server(folder: str, n: int, queue, pwa_dir: str | None) -> None:
    """Child process: build the world, serve it, report the URL and n tasks, serve until killed."""
    import logging

    logging.disable(logging.INFO)
    from tests.e2e.helpers import build_template, create_place_and_plan, serve

    base = Path(folder)
    template = build_template(base)
    config = {"ANXUN_PWA_DIR": pwa_dir} if pwa_dir else {}
    with serve(template, base / "live", **config) as live:
        create_place_and_plan(live.app.test_client())
        queue.put((live.url, extra_tasks(live, n)))
        while True:
            time.sleep(3600)


def make_photo(seed: int, quality: int) -> bytes:
    """A 1600×1200 JPEG of noise over a gradient: distinct bytes per seed, ~480 KB."""
    from PIL import Image

    random.seed(seed)
    noise = Image.effect_noise((1600, 1200), 40 + seed % 7).convert("RGB")
    gradient = Image.linear_gradient("L").resize((1600, 1200)).convert("RGB")
    image = Image.blend(noise, gradient, 0.5)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


CLONE = """async ({template, items}) => {
    const db = await import('/js/db.js');
    const tmpl = await db.getOutboxEntry(template);
    const photo = await db.getMedia(tmpl.media[0]);
    let seq = Date.now();
    for (const item of items) {
        const bytes = Uint8Array.from(atob(item.data), (c) => c.charCodeAt(0));
        const blob = new Blob([bytes], { type: 'image/jpeg' });
        await db.putMedia({ ...photo, id: item.media, owner: item.id, blob, sha256: item.sha256,
                            width: 1600, height: 1200, size: blob.size, uploaded: false });
        const answers = tmpl.payload.answers.map((a) =>
            a.media_ids && a.media_ids.length ? { ...a, media_ids: [item.media] } : a);
        seq += 1;
        await db.putOutboxEntry({ ...tmpl, id: item.id, seq, media: [item.media],
                                  payload: { ...tmpl.payload, id: item.id, answers,
                                             task_occurrence_id: item.task, place_id: item.place } });
    }
}"""

PHONE_STATE = """async () => {
    const entries = await (await import('/js/outbox.js')).list();
    const count = (s) => entries.filter((e) => e.state === s).length;
    return { synced: count('synced'), pending: count('pending'), syncing: count('syncing'),
             failed: count('failed'),
             errors: [...new Set(entries.map((e) => e.last_error).filter(Boolean))].slice(0, 3) };
}"""


def record_offline(
    page, context, live_url: str, tasks: list, quality: int, tmp: Path
) -> tuple[list, int]:
    from tests.e2e.helpers import (
        PLACES,
        fill_with_one_failure,
        fixture_photo,
        login,
        open_task_at,
        submit_inspection,
        wait_for_offline_cache,
        wait_for_worker,
    )

    login(page, live_url, "officer-hc")
    wait_for_worker(page)
    page.wait_for_selector("section.place-group")
    wait_for_offline_cache(page)
    context.set_offline(True)
    open_task_at(page, PLACES[0]["name"])
    fill_with_one_failure(page, fixture_photo(tmp / "site.jpg"))
    template = submit_inspection(page)

    ids, sizes = [], []
    batch = []
    n = len(tasks)
    for k, task in enumerate(tasks):
        data = make_photo(k, quality)
        sizes.append(len(data))
        item = {
            "id": str(uuid.uuid4()),
            "media": str(uuid.uuid4()),
            "sha256": hashlib.sha256(data).hexdigest(),
            "data": base64.b64encode(data).decode(),
            **task,
        }
        ids.append(item["id"])
        batch.append(item)
        if len(batch) == 10 or k == n - 1:
            page.evaluate(CLONE, {"template": template, "items": batch})
            batch = []
    # The UI's own record leaves: the drain is of the N copies with the large photos.
    page.evaluate(
        "async (id) => (await import('/js/outbox.js')).discard(id)",
        template,
    )
    return ids, sum(sizes) // max(1, len(sizes))


def server_counts(db_file: Path, ids: list[str]) -> dict:
    con = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=30)
    try:
        rows = [r[0].replace("-", "") for r in con.execute("SELECT id FROM inspection")]
        hazards = con.execute("SELECT count(*) FROM hazard").fetchone()[0]
        media = con.execute("SELECT count(*) FROM media").fetchone()[0]
    finally:
        con.close()
    wanted = {i.replace("-", "") for i in ids}
    stored = [r for r in rows if r in wanted]
    return {
        "stored": len(set(stored)),
        "rows": len(stored),
        "hazards": hazards,
        "media": media,
    }


# The same faults injected inside the page: its fetch of a write fails before sending, or after
# the server has answered (the answer is thrown away), as a dropped connection looks to the app.
# No request leaves Chromium through a route, so nothing adds latency to the healthy ones.
PAGE_FAULTS = """(share) => {
    const real = window.fetch.bind(window);
    const writes = /\\/api\\/v1\\/(media|sync|inspections)$/;
    let state = Number(localStorage.getItem('bench-rng') || 18);
    const next = () => { state = (state * 1103515245 + 12345) % 2147483648; return state / 2147483648; };
    const bump = (key) => localStorage.setItem(key, String(Number(localStorage.getItem(key) || 0) + 1));
    window.fetch = async (input, init = {}) => {
        const url = typeof input === 'string' ? input : input.url;
        if ((init.method || 'GET') !== 'POST' || !writes.test(new URL(url, location.href).pathname)) {
            return real(input, init);
        }
        bump('bench-requests');
        const roll = next();
        localStorage.setItem('bench-rng', String(state));
        if (roll < share / 2) {
            bump('bench-dropped_before');
            throw new TypeError('Failed to fetch (bench: dropped before the server)');
        }
        if (roll < share) {
            bump('bench-lost_after');
            const response = await real(input, init);
            await response.arrayBuffer();
            throw new TypeError('Failed to fetch (bench: answer lost)');
        }
        return real(input, init);
    };
}"""

PAGE_COUNTS = """() => Object.fromEntries(['requests', 'dropped_before', 'lost_after'].map(
    (k) => [k, Number(localStorage.getItem('bench-' + k) || 0)]))"""


class Faults:
    """Fails a share of the phone's write requests: half before the server, half after it."""

    def __init__(self, share: float, seed: int) -> None:
        self.share = share
        self.random = random.Random(seed)
        self.counts = {"requests": 0, "dropped_before": 0, "lost_after": 0}

    def __call__(self, route) -> None:
        request = route.request
        # The phone's writes: photo uploads and records (batched, or one by one by an older client).
        if request.method != "POST" or not request.url.endswith(
            ("/api/v1/media", "/api/v1/sync", "/api/v1/inspections")
        ):
            route.continue_()
            return
        self.counts["requests"] += 1
        roll = self.random.random()
        if roll < self.share / 2:
            self.counts["dropped_before"] += 1
            route.abort("connectionreset")
        elif roll < self.share:
            self.counts["lost_after"] += 1
            try:
                route.fetch(timeout=120_000)
            finally:
                with contextlib.suppress(Exception):  # the browser may have closed meanwhile
                    route.abort("connectionreset")
        else:
            with contextlib.suppress(Exception):
                route.continue_()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="inspections recorded offline")
    parser.add_argument("--faults", type=float, default=0.2, help="share of failing requests")
    parser.add_argument(
        "--inject",
        choices=("page", "route"),
        default="page",
        help="faults from a wrapped fetch in the page (default) or a Playwright route",
    )
    parser.add_argument("--no-restart", action="store_true", help="do not close the browser")
    parser.add_argument("--quality", type=int, default=63, help="JPEG quality (~480 KB at 63)")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument(
        "--pwa-dir",
        help="serve another PWA tree, e.g. an older client: git archive REV pwa | tar -x -C DIR",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="progress every 0.5 s")
    parser.add_argument("--timeout", type=float, default=900, help="give up after this many s")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from tests.e2e.helpers import first_page, launch

    tmp = Path(tempfile.mkdtemp(prefix="pwa-drain-"))
    spawn = multiprocessing.get_context("spawn")
    queue = spawn.Queue()
    server = spawn.Process(
        target=run_server, args=(str(tmp / "server"), args.n, queue, args.pwa_dir), daemon=True
    )
    server.start()
    try:
        url, tasks = queue.get(timeout=600)
        db_file = tmp / "server" / "live" / "e2e.sqlite3"
        faults = Faults(args.faults, args.seed)
        with sync_playwright() as playwright:
            profile = tmp / "profile"
            context = launch(playwright, profile)
            page = first_page(context)
            ids, photo_bytes = record_offline(page, context, url, tasks, args.quality, tmp)
            print(
                f"recorded {len(ids)} inspections offline, photos {photo_bytes / 1024:.0f} KB on average"
            )
            assert page.evaluate(PHONE_STATE)["pending"] == len(ids)

            before = server_counts(db_file, ids)

            # --faults 0 leaves the requests alone: a route costs latency on every request.
            def inject(context) -> None:
                if args.faults and args.inject == "route":
                    context.route("**/api/v1/**", faults)
                elif args.faults:
                    context.add_init_script(f"({PAGE_FAULTS})({args.faults})")

            inject(context)
            if args.faults and args.inject == "page":
                page.reload()  # the init script applies from the next load on
                page.wait_for_selector("nav.tabs:not([hidden])")
            start = time.monotonic()
            context.set_offline(False)  # the "online" event starts the drain
            restarted_at = None
            stored_at = None
            while True:
                counts = server_counts(db_file, ids)
                elapsed = time.monotonic() - start
                if stored_at is None and counts["stored"] == len(ids):
                    stored_at = elapsed
                if (
                    restarted_at is None
                    and not args.no_restart
                    and counts["stored"] >= len(ids) * 0.4
                ):
                    # Closed mid-drain (records may be "syncing"), reopened on the same profile.
                    context.close()
                    restarted_at = elapsed
                    context = launch(playwright, profile)
                    inject(context)
                    page = first_page(context)
                    page.goto(url + "/#/records")
                phone = page.evaluate(PHONE_STATE)
                if args.verbose:
                    print(
                        f"{elapsed:6.1f} s server {counts['stored']} phone {phone}", file=sys.stderr
                    )
                if phone["synced"] == len(ids):
                    drained_at = time.monotonic() - start
                    break
                if elapsed > args.timeout:
                    drained_at = None
                    break
                time.sleep(0.5)  # a bench's sampling, not a test's wait
            final = server_counts(db_file, ids)
            if args.inject == "page":
                faults.counts = page.evaluate(PAGE_COUNTS)
            context.close()
    finally:
        server.kill()
        server.join()

    result = {
        "inspections": len(ids),
        "photo_kb": round(photo_bytes / 1024),
        "fault_share": args.faults,
        "browser_restarted_at_s": None if restarted_at is None else round(restarted_at, 1),
        "all_stored_s": None if stored_at is None else round(stored_at, 1),
        "drain_s": None if drained_at is None else round(drained_at, 1),
        "stored": final["stored"],
        "lost": len(ids) - final["stored"],
        # A doubled record would be a second row, or a second hazard from one failed item.
        "doubled": (final["rows"] - final["stored"])
        + max(0, final["hazards"] - before["hazards"] - final["stored"]),
        "hazards_raised": final["hazards"] - before["hazards"],
        "photos_stored": final["media"] - before["media"],
        "phone": phone,
        **faults.counts,
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if drained_at is not None and result["lost"] == 0 and result["doubled"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
