"""Real headless Chromium (Debian's, since browser downloads do not work here) via Playwright."""

from collections.abc import Iterator

import pytest
from django.db import connections
from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def _async_unsafe(monkeypatch: pytest.MonkeyPatch) -> None:
    # Playwright's sync API runs an event loop in this thread; without this Django refuses ORM
    # calls from the test while the browser is open.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(_async_unsafe: None) -> Iterator[Page]:
    """A fresh page in a fresh browser; Playwright is stopped before the test database is reset."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(10_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # While Playwright's loop runs, Django keeps the test's ORM connection apart (asgiref
            # context-local): close it here, or PostgreSQL cannot drop the test database.
            connections.close_all()
