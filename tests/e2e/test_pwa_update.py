"""Versioned shell: `flask anxun pwa manifest` keeps sw.js current; a new version installs in the
background, never reloads the page mid-inspection, and takes over on the next open with a toast."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.helpers import (
    build_app,
    card,
    first_page,
    login,
    open_task_at,
    serve,
    wait_for_worker,
)

PWA_DIR = Path(__file__).resolve().parents[2] / "pwa"


def test_committed_precache_matches_the_shell_files(tmp_path):
    """Run `flask anxun pwa manifest` after changing a file under pwa/; this catches forgetting."""
    app = build_app(tmp_path / "unused.sqlite3", tmp_path)
    result = app.test_cli_runner().invoke(args=["anxun", "pwa", "manifest", "--check"])
    assert result.exit_code == 0, result.output


def test_manifest_command_versions_the_worker_by_content(tmp_path):
    from anxun.cli import pwa_precache, render_service_worker

    shell = tmp_path / "pwa"
    (shell / "js").mkdir(parents=True)
    (shell / "index.html").write_text("<!doctype html>", encoding="utf-8")
    (shell / "js" / "app.js").write_text("start();", encoding="utf-8")
    (shell / "make_icons.py").write_text("print()", encoding="utf-8")
    before = pwa_precache(shell)
    assert sorted(before["files"]) == ["/", "/js/app.js"]  # tools and the worker are not shell
    assert pwa_precache(shell) == before  # same bytes, same version
    (shell / "js" / "app.js").write_text("start(); // v2", encoding="utf-8")
    after = pwa_precache(shell)
    assert after["version"] != before["version"]
    assert after["files"]["/"] == before["files"]["/"]
    worker = "head\n// PRECACHE-BEGIN: generated\nconst PRECACHE = {};\n// PRECACHE-END\ntail\n"
    rendered = render_service_worker(worker, after)
    assert rendered.startswith("head\n// PRECACHE-BEGIN: generated\nconst PRECACHE = {")
    assert f'"version": "{after["version"]}"' in rendered
    assert rendered.endswith("\n// PRECACHE-END\ntail\n")


@pytest.mark.e2e
def test_new_version_waits_for_the_next_open_and_says_so(e2e_template, today_in, browser, tmp_path):
    from anxun.cli import pwa_precache, render_service_worker

    shell = tmp_path / "pwa"
    shutil.copytree(PWA_DIR, shell)
    with serve(e2e_template, tmp_path / "srv", ANXUN_PWA_DIR=str(shell)) as live:
        today_in(live)
        context = browser("phone")
        page = first_page(context)
        login(page, live.url, "officer-hc")
        wait_for_worker(page)
        page.wait_for_function("document.documentElement.dataset.version")
        first = page.evaluate("document.documentElement.dataset.version")

        open_task_at(page, "甲类仓库")
        card(page, "HC-MAJ-01").get_by_role("button", name="合格", exact=True).click()
        page.evaluate("window.stillTheSamePage = true")

        # Deploy a new version: a changed stylesheet, then the manifest command's output.
        css = shell / "app.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n/* v2 */\n", encoding="utf-8")
        worker = shell / "sw.js"
        precache = pwa_precache(shell)
        worker.write_text(render_service_worker(worker.read_text(encoding="utf-8"), precache))

        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        page.locator("#toast", has_text="新版本已下载，下次打开应用时启用").wait_for()
        assert page.evaluate("window.stillTheSamePage") is True
        assert (
            card(page, "HC-MAJ-01")
            .get_by_role("button", name="合格", exact=True)
            .get_attribute("aria-pressed")
            == "true"
        )
        context.close()

        page = first_page(browser("phone"))
        page.goto(live.url + "/#/tasks")
        page.locator("#toast", has_text="应用已更新到新版本").wait_for()
        assert (
            page.evaluate("document.documentElement.dataset.version")
            == precache["version"]
            != first
        )
        page.locator("span.badge.warn", has_text="进行中").wait_for()  # the draft is still there
