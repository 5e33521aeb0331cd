"""Fixtures for the workbench's tests, loaded by tests/test_workbench*.py with
`pytest_plugins = ["conftest_workbench"]`: the app in-process with this run's secrets (Starlette's
TestClient: no socket), a JSON POST to its API as the page sends one (token, CSRF token, Origin),
and for the browser tests a real server on a loopback port and Debian's headless chromium driven
by Playwright (its own browser download is never used).

The project served is the seed's copy (`seed_project`); a test module serves another one by
defining a fixture `served` of its own.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
ORIGIN = {"Origin": BASE}
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
TIMEOUT_MS = 30_000  # generous: the machine may be busy; the waits end as soon as the page is ready


@pytest.fixture
def served(seed_project: Path) -> Path:
    """The project the workbench serves in a test."""
    return seed_project


@pytest.fixture
def keys() -> Any:
    from brochure.workbench.security import Secrets

    return Secrets(host="127.0.0.1", port=PORT)


@pytest.fixture
def client(served: Path, keys: Any) -> Any:
    """The workbench app of `served`, in-process."""
    from brochure.workbench.app import make_app
    from starlette.testclient import TestClient

    return TestClient(make_app(served, keys), base_url=BASE)


def api_post(client: Any, keys: Any, path: str, body: Any, headers: dict | None = None) -> Any:
    """POST `body` as JSON to /api/<path> with the token, the CSRF token and our Origin, as the
    page's script does (api.js); `headers` replace or add some."""
    headers = {"X-CSRF-Token": keys.csrf, **ORIGIN, **(headers or {})}
    return client.post(f"/api/{path}?token={keys.token}", json=body, headers=headers)


@contextmanager
def serving(project: Path, port: int = 0) -> Iterator[Any]:
    """The workbench of `project` serving on a loopback port (0: a free one), in a thread of this
    process (the browser is another process, so the socket guard of conftest.py refuses every
    connection from here)."""
    from brochure.workbench.serve import open_workbench

    bench = open_workbench(project, "127.0.0.1", port)
    thread = threading.Thread(target=bench.serve, daemon=True)
    thread.start()
    for _ in range(600):
        if bench.server.started:
            break
        threading.Event().wait(0.05)
    assert bench.server.started, "the workbench did not start"
    try:
        yield bench
    finally:
        bench.stop()
        thread.join(timeout=30)


@pytest.fixture
def bench(served: Path) -> Iterator[Any]:
    with serving(served) as running:
        yield running


def wait_until(page: Any, expression: str, arg: Any = None, timeout_ms: int = TIMEOUT_MS) -> None:
    """Wait until `expression` (a JavaScript function of `arg`, or an expression) is true in the
    page. Not `page.wait_for_function`: while it polls it compiles the expression in the page,
    which the workbench's Content-Security-Policy (no eval) refuses; `page.evaluate` runs through
    the browser's protocol, which the policy does not govern."""
    import time

    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_ms} ms waiting for: {expression}")
        page.wait_for_timeout(50)


@pytest.fixture
def page() -> Iterator[Any]:
    """A page of Debian's headless chromium (`make test` installs it when it is missing)."""
    from playwright.sync_api import sync_playwright

    assert shutil.which("chromium") == CHROMIUM, "chromium missing: `make test` installs it"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            context = browser.new_context()
            context.set_default_timeout(TIMEOUT_MS)
            yield context.new_page()
        finally:
            browser.close()
