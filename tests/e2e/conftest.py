"""Fixtures for the PWA in real Chromium: a live server on a migrated, seeded SQLite copy."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    build_template,
    create_place_and_plan,
    launch,
    require_browser,
    serve,
)

# Assertions wait on state, never on time; but on two busy CI cores a screen whose data needs a
# heavy query (a campaign's overview, a PDF) can take longer than Playwright's 5 s default to show.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def e2e_template(tmp_path_factory) -> Path:
    """A migrated SQLite file with the demo world and shipped checklists, built once."""
    require_browser()
    return build_template(tmp_path_factory.mktemp("e2e-template"))


@pytest.fixture
def live(e2e_template, tmp_path):
    """The app served from a thread on 127.0.0.1 (OS-chosen port), on its own database copy."""
    with serve(e2e_template, tmp_path) as running:
        yield running


@pytest.fixture
def today(live):
    """Three places on a daily plan of officer-hc, created through the API: today's tasks."""
    return create_place_and_plan(live.app.test_client())


@pytest.fixture
def today_in():
    """today_in(live) → the same places and plan on a server the test started itself."""
    return lambda running: create_place_and_plan(running.app.test_client())


@pytest.fixture
def browser(tmp_path):
    """browser(profile="a", service_workers="allow") → a persistent context (same dir = same storage)."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    contexts = []

    def open_context(profile: str = "profile", **options):
        context = launch(playwright, tmp_path / profile, **options)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        with contextlib.suppress(Exception):  # already closed by the test
            context.close()
    playwright.stop()
