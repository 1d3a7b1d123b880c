"""Resident memory of the server process around photo uploads, large-dimension PNGs included.

    .venv/bin/python bench/upload_memory.py                    # default pixel limit
    .venv/bin/python bench/upload_memory.py --limit 50000000   # let the 49 MP PNG be decoded

Builds a temporary SQLite database with the demo world, logs in as an enterprise safety
officer and uploads, through the Flask test client in this process: a 1600 x 1200 JPEG (what the
PWA sends, also the warm-up), a 7000 x 7000 single-colour PNG (49 megapixels in about 150 KB) and
a 6000 x 4000 noisy JPEG. For each it prints the status, the resident set size (VmRSS from
/proc/self/status) before and after, and the peak during the request (VmHWM, reset through
/proc/self/clear_refs before each upload). With --threads each upload runs on a new thread, so
glibc serves it from a per-thread arena as under gunicorn's gthread workers. Linux only.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import sys
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "backend"))
sys.path.insert(0, str(ROOT))


def memory_mb() -> dict[str, float]:
    """VmRSS and VmHWM of this process, in MB."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def encoded(image, fmt: str, **save) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


def photos() -> list[tuple[str, bytes]]:
    from PIL import Image

    noise = random.Random(7).randbytes(6000 * 4000 * 3)
    return [
        ("1600x1200 JPEG", encoded(Image.new("RGB", (1600, 1200), (90, 140, 60)), "JPEG")),
        ("7000x7000 PNG", encoded(Image.new("RGB", (7000, 7000), (200, 30, 30)), "PNG")),
        ("6000x4000 JPEG", encoded(Image.frombytes("RGB", (6000, 4000), noise), "JPEG")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="ANXUN_MAX_IMAGE_PIXELS for this run")
    parser.add_argument(
        "--threads",
        action="store_true",
        help="upload from worker threads, as gunicorn gthread does",
    )
    args = parser.parse_args()

    from anxun import demo
    from anxun.core.uow import unit_of_work
    from anxun.extensions import db
    from tests.e2e.helpers import PASSWORD, api_login, build_app

    cases = photos()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        extra = {"ANXUN_MAX_IMAGE_PIXELS": args.limit} if args.limit else {}
        extra["ANXUN_MEDIA_MAX_BYTES"] = 16 * 1024 * 1024
        extra["MAX_CONTENT_LENGTH"] = 20 * 1024 * 1024
        app = build_app(folder / "bench.sqlite3", folder, **extra)
        with app.app_context():
            db.create_all()
            with unit_of_work():
                demo.seed_demo(PASSWORD, Path(app.config["ANXUN_CHECKLIST_DIR"]), operations=False)
        client = app.test_client()
        headers = api_login(client, "officer-hc")
        print(
            f"{'photo':16} {'bytes':>9} {'status':>6} {'RSS before':>11} {'peak':>8} {'after':>8}"
        )
        for name, data in [cases[0], *cases]:
            before = memory_mb()["VmRSS"]
            reset_peak()
            form = {
                "id": str(uuid.uuid4()),
                "sha256": hashlib.sha256(data).hexdigest(),
                "file": (io.BytesIO(data), "photo"),
            }
            post = partial(
                client.post,
                "/api/v1/media",
                data=form,
                headers=headers,
                content_type="multipart/form-data",
            )
            if args.threads:
                with ThreadPoolExecutor(max_workers=1) as pool:
                    response = pool.submit(post).result()
            else:
                response = post()
            after = memory_mb()
            print(
                f"{name:16} {len(data):>9} {response.status_code:>6} {before:>9.0f}MB"
                f" {after['VmHWM']:>6.0f}MB {after['VmRSS']:>6.0f}MB"
            )


if __name__ == "__main__":
    main()
