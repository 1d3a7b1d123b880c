"""PWA budgets: first-load JS+CSS (gzipped) and Lighthouse mobile scores against a running server.

Usage (with `make run` serving in another terminal):

    .venv/bin/python bench/pwa_budget.py http://127.0.0.1:8000/

Prints the figures and exits 1 when a budget is missed. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = "/usr/bin/chromium"
LIGHTHOUSE = "lighthouse@12.8.2"  # pinned; 12.x runs on Node 18+, 13.x needs Node 22
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-sync"
BUDGET_BYTES = 150 * 1024
MIN_SCORE = 90
PWA_DIR = Path(__file__).resolve().parents[1] / "pwa"


def first_load(url: str) -> list[tuple[str, int, int]]:
    """(path, raw bytes, gzipped bytes) of every script and stylesheet the first visit loads."""
    from playwright.sync_api import sync_playwright

    loaded: list[tuple[str, int, int]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        # No service worker: measure what the network delivers, not its precache run.
        context = browser.new_context(service_workers="block", is_mobile=True)
        page = context.new_page()
        responses = []
        page.on(
            "response",
            lambda r: (
                responses.append(r) if r.request.resource_type in ("script", "stylesheet") else None
            ),
        )
        page.goto(url, wait_until="networkidle")
        for response in responses:
            body = response.body()
            loaded.append(
                (urlparse(response.url).path, len(body), len(gzip.compress(body, compresslevel=6)))
            )
        browser.close()
    return loaded


def whole_shell() -> tuple[int, int]:
    """Raw and gzipped bytes of all the phone's JS+CSS (every screen and the shared/ toolkit it
    imports), without the lazily loaded vendor/ and without the desk in desk/."""
    raw = zipped = 0
    shell = [*PWA_DIR.glob("js/**/*.js"), *PWA_DIR.glob("shared/*.js"), *PWA_DIR.glob("*.css")]
    for path in shell:
        data = path.read_bytes()
        raw += len(data)
        zipped += len(gzip.compress(data, compresslevel=6))
    return raw, zipped


def lighthouse(url: str) -> dict[str, int]:
    """Performance and accessibility scores (0–100) of Lighthouse's default mobile profile."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [
            "npx",
            "--yes",
            LIGHTHOUSE,
            url,
            "--only-categories=performance,accessibility",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--quiet",
        ]
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        subprocess.run(command, check=True, env=env, timeout=600)
        data = json.loads(report.read_text(encoding="utf-8"))
    return {key: round(cat["score"] * 100) for key, cat in data["categories"].items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the running app, e.g. http://127.0.0.1:8000/")
    parser.add_argument("--skip-lighthouse", action="store_true", help="only measure bytes")
    args = parser.parse_args()

    ok = True
    files = first_load(args.url)
    print("First load (scripts and stylesheets):")
    for path, raw, zipped in files:
        print(f"  {path:<32} {raw:>8} B  {zipped:>7} B gzip")
    total = sum(z for _, _, z in files)
    verdict = "ok" if total <= BUDGET_BYTES else "OVER BUDGET"
    print(f"First-load JS+CSS: {total / 1024:.1f} KB gzipped (budget 150 KB) {verdict}")
    ok &= total <= BUDGET_BYTES
    raw, zipped = whole_shell()
    print(f"All screens JS+CSS: {raw / 1024:.1f} KB raw, {zipped / 1024:.1f} KB gzipped")

    if not args.skip_lighthouse:
        scores = lighthouse(args.url)
        for key in ("performance", "accessibility"):
            score = scores.get(key, 0)
            print(f"Lighthouse {key}: {score} (target ≥ {MIN_SCORE})")
            ok &= score >= MIN_SCORE
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
