"""Helpers for the regulator workspace's browser tests: a desktop page logged in at /desk/.

Use in a test module under tests/e2e (the `live` and `browser` fixtures come from conftest.py):

    from tests.e2e.workspace_helpers import open_workspace, workspace  # noqa: F401

    def test_something(workspace):
        page = workspace("regulator", "#/patrols")
        page.get_by_test_id("screen-patrols").wait_for()
"""

from __future__ import annotations

import itertools

import pytest

from tests.e2e.helpers import PASSWORD

DESKTOP = {"width": 1440, "height": 900}
_profiles = itertools.count(1)


def workspace_login(page, base_url: str, username: str, route: str = "") -> None:
    """Log in through the workspace form, then open `route` (a hash such as "#/map")."""
    page.goto(base_url + "/desk/")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_selector("#top:not([hidden])")
    if route:
        page.evaluate("(hash) => { location.hash = hash; }", route)
        screen = route.lstrip("#/").split("?")[0].split("/")[0]
        page.wait_for_selector(f'section.screen[data-screen="{screen}"]')
    else:
        page.wait_for_selector("section.screen")


def open_workspace(browser, live, username: str = "regulator", route: str = "", profile=None):
    """A fresh desktop Chromium page logged in as `username` on the live server."""
    context = browser(
        profile or f"ws-{username}-{next(_profiles)}",
        viewport=DESKTOP,
        is_mobile=False,
        service_workers="block",
    )
    page = context.pages[0] if context.pages else context.new_page()
    workspace_login(page, live.url, username, route)
    return page


@pytest.fixture
def workspace(browser, live):
    """workspace(username="regulator", route="") → a logged-in workspace page on `live`."""
    return lambda username="regulator", route="": open_workspace(browser, live, username, route)
