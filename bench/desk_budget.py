"""Desk budget: JS+CSS (gzipped) of the first load, then what the overview and the map add after
login, against a running server with the demo data; then the enterprise desk signed in as the
head: the bytes its first load (login page + 隐患台账) fetches and Lighthouse's desktop scores of
the ledger, a hazard detail and the risk registry.

Usage (with `make run` serving in another terminal):

    .venv/bin/python bench/desk_budget.py http://127.0.0.1:8000/ [--user regulator --password …]
        [--enterprise-user head-hc] [--skip-lighthouse]

The first load (the login page at /desk/) must stay under the budget and must not include
Apache ECharts; the charts and the map import it on demand. The enterprise desk's first load
must stay under 300 KB gzipped and each Lighthouse score at 95 or more. Prints the figures and
exits 1 when a budget or target is missed or ECharts is on the first load. Not part of the test
suite.

How Lighthouse gets a signed-in desk: the script starts Chromium with a remote-debugging port,
logs in there with Playwright over CDP, and hands that browser to bench/desk_lighthouse.mjs
(Lighthouse's Node API, run with the pinned version through npx), which audits the same tab:
the desk keeps its session in sessionStorage, which a new tab (the Lighthouse CLI's) would not
see. Storage reset is off so the session survives; the HTTP cache is cleared before each run.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlparse

CHROMIUM = "/usr/bin/chromium"
BUDGET_BYTES = 60 * 1024
ECHARTS = "/desk/vendor/echarts/"
ENTERPRISE_BUDGET_BYTES = 300 * 1024
MIN_SCORE = 95
LIGHTHOUSE = "lighthouse@12.8.2"  # as bench/pwa_budget.py
RUNNER = Path(__file__).with_name("desk_lighthouse.mjs")


def _measure(responses) -> list[tuple[str, int, int]]:
    out = []
    for response in responses:
        body = response.body()
        out.append(
            (urlparse(response.url).path, len(body), len(gzip.compress(body, compresslevel=6)))
        )
    return out


def stages(url: str, username: str, password: str) -> dict[str, list[tuple[str, int, int]]]:
    """{stage: [(path, raw bytes, gzipped bytes)]} of the scripts, stylesheets and fetched data
    files each stage loads: the login page, the overview after login, then the map."""
    from playwright.sync_api import sync_playwright

    desk = urljoin(url, "/desk/")
    found: dict[str, list] = {"first load": [], "overview": [], "map": []}
    current = ["first load"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.on(
            "response",
            lambda r: (
                found[current[0]].append(r)
                if r.request.resource_type in ("script", "stylesheet")
                or "/vendor/" in urlparse(r.url).path
                else None
            ),
        )
        page.goto(desk, wait_until="networkidle")
        current[0] = "overview"
        page.get_by_test_id("login-username").fill(username)
        page.get_by_test_id("login-password").fill(password)
        page.get_by_test_id("login-submit").click()
        page.locator('[data-testid="chart-hazards"]').wait_for()
        page.wait_for_load_state("networkidle")
        current[0] = "map"
        page.evaluate("() => { location.hash = '#/map'; }")
        # map-svg: the hand-drawn map before ECharts, so the script also measures older trees.
        page.locator('[data-testid="map-chart"], [data-testid="map-svg"]').first.wait_for()
        page.wait_for_load_state("networkidle")
        result = {stage: _measure(responses) for stage, responses in found.items()}
        browser.close()
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _debuggable_chromium():
    """Chromium with a remote-debugging port on loopback and a throwaway profile; yields the port."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as profile:
        process = subprocess.Popen(
            [
                CHROMIUM,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-sync",
                "--window-size=1350,940",
                f"--remote-debugging-port={port}",
                "--remote-debugging-address=127.0.0.1",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=30)


def enterprise_desk(url: str, username: str, password: str, lighthouse: bool) -> dict:
    """{"first load": [(path, raw, gzip)], "scores": [{url, performance, accessibility, failing}]}
    of the enterprise desk signed in as `username`."""
    from playwright.sync_api import sync_playwright

    desk = urljoin(url, "/desk/")
    with _debuggable_chromium() as port:
        with sync_playwright() as playwright:
            browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
            context = browser.contexts[0]
            page = context.pages[0] if context.pages else context.new_page()
            responses = []
            page.on(
                "response",
                lambda r: (
                    responses.append(r)
                    if r.request.resource_type in ("script", "stylesheet")
                    else None
                ),
            )
            page.goto(desk, wait_until="networkidle")
            page.get_by_test_id("login-username").fill(username)
            page.get_by_test_id("login-password").fill(password)
            page.get_by_test_id("login-submit").click()
            page.get_by_test_id("screen-ledger").wait_for()
            rows = page.get_by_test_id("ledger-row")
            rows.first.wait_for()
            page.wait_for_load_state("networkidle")
            first_load = _measure(responses)
            hazard_id = rows.first.get_attribute("data-id")
        scores = []
        if lighthouse:
            urls = [desk + "#/ledger", desk + f"#/hazard/{hazard_id}", desk + "#/risk"]
            command = ["npx", "--yes", "-p", LIGHTHOUSE, "node", str(RUNNER), str(port), *urls]
            env = {**os.environ, "CHROME_PATH": CHROMIUM}
            done = subprocess.run(
                command, check=True, env=env, timeout=900, capture_output=True, text=True
            )
            scores = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {"first load": first_load, "scores": scores}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the running app, e.g. http://127.0.0.1:8000/")
    parser.add_argument("--user", default="regulator")
    parser.add_argument("--password", default="anxun-demo", help="ANXUN_DEMO_PASSWORD")
    parser.add_argument("--enterprise-user", default="head-hc")
    parser.add_argument("--skip-lighthouse", action="store_true", help="only measure bytes")
    args = parser.parse_args()

    ok = True
    for stage, files in stages(args.url, args.user, args.password).items():
        print(f"{stage}:")
        for path, raw, zipped in files:
            print(f"  {path:<48} {raw:>8} B  {zipped:>7} B gzip")
        total = sum(z for _, _, z in files)
        print(f"  total {total / 1024:.1f} KB gzipped")
        if stage == "first load":
            verdict = "ok" if total <= BUDGET_BYTES else "OVER BUDGET"
            print(f"  budget {BUDGET_BYTES // 1024} KB: {verdict}")
            ok &= total <= BUDGET_BYTES
            if any(path.startswith(ECHARTS) for path, _, _ in files):
                print("  ECharts is on the first load: it must be imported on demand")
                ok = False

    found = enterprise_desk(
        args.url, args.enterprise_user, args.password, lighthouse=not args.skip_lighthouse
    )
    print(f"enterprise desk first load ({args.enterprise_user}: login page + 隐患台账):")
    for path, raw, zipped in found["first load"]:
        print(f"  {path:<48} {raw:>8} B  {zipped:>7} B gzip")
    total = sum(z for _, _, z in found["first load"])
    verdict = "ok" if total <= ENTERPRISE_BUDGET_BYTES else "OVER BUDGET"
    print(
        f"  total {total / 1024:.1f} KB gzipped (budget {ENTERPRISE_BUDGET_BYTES // 1024} KB) {verdict}"
    )
    ok &= total <= ENTERPRISE_BUDGET_BYTES
    for result in found["scores"]:
        screen = urlparse(result["url"]).fragment or result["url"]
        print(
            f"Lighthouse desktop {screen} (screen shown: {result['screen']}): performance {result['performance']}, "
            f"accessibility {result['accessibility']} (target ≥ {MIN_SCORE})"
        )
        for audit in result["failing"]:
            print(f"  failing audit {audit['id']}: {' | '.join(audit['nodes'])}")
        ok &= result["screen"] != "login"
        ok &= result["performance"] >= MIN_SCORE and result["accessibility"] >= MIN_SCORE
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
