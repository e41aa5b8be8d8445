"""Browser tests: a real Chromium, driven by Playwright, against pytest-django's live server.

The browser is Debian's Chromium (``apt-get install chromium``), not one fetched by
``playwright install``: that downloads from a CDN outside the package registries, which
CI machines cannot reach. Without /usr/bin/chromium these tests are skipped, unless
STEGVIS_REQUIRE_BROWSER=1 (CI sets it), in which case they fail loudly instead.

Every page a test checks with ``assert_accessible`` is run through axe-core (WCAG 2.1 A
and AA) and saved as a screenshot under ``test-artifacts/`` for humans to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("STEGVIS_CHROMIUM", "/usr/bin/chromium"))
# Debian's Chromium stalls in headless containers unless it is told not to phone home,
# not to use a GPU and not to sandbox (we run as root in CI).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    # Containers often have a tiny /dev/shm; Chromium crashes tabs when it fills up.
    "--disable-dev-shm-usage",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "correct horse battery staple"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Generous for a loaded 2-core CI machine; a page here normally renders in well under a second.
TIMEOUT_MS = 15_000

_state: dict[str, Any] = {"test": "unknown", "shots": 0, "artifacts": Path("test-artifacts")}


def _browser_unavailable(reason: str) -> None:
    if os.environ.get("STEGVIS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (STEGVIS_REQUIRE_BROWSER=1, so this is an error)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _browser_unavailable(
            f"{CHROMIUM} not found: install Debian's chromium to run browser tests"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_unavailable("playwright is not installed: pip install -e '.[test]'")
    # launch() gives the browser a fresh, temporary user-data-dir of its own.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, timeout=60_000
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session", autouse=True)
def _artifacts_dir(request: pytest.FixtureRequest) -> Path:
    path = request.config.rootpath / "test-artifacts"
    _state["artifacts"] = path
    return path


@pytest.fixture(autouse=True)
def _current_test(request: pytest.FixtureRequest) -> None:
    _state["test"] = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    _state["shots"] = 0
    # Screenshots from an earlier run of this test would be misleading next to the new ones.
    for stale in _state["artifacts"].glob(f"{_state['test']}-*.png"):
        stale.unlink()


def _new_page(browser: Any, live_server: Any, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport, base_url=live_server.url, locale="sv-SE")
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def page(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page in a fresh browser context (no cookies) with a desktop viewport."""
    page = _new_page(browser, live_server, DESKTOP)
    yield page
    _close(page, request)


@pytest.fixture
def phone_page(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page in a fresh browser context with a phone-sized viewport."""
    page = _new_page(browser, live_server, PHONE)
    yield page
    _close(page, request)


def _close(page: Any, request: pytest.FixtureRequest) -> None:
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and not page.is_closed():
        try:
            screenshot(page, "FAILED")
        except Exception as error:  # never hide the test's own failure behind this one
            print(f"could not save a screenshot of the failed page: {error}")
    page.context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    # Lets the page fixtures see whether the test body failed, to keep a screenshot of it.
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


def screenshot(page: Any, label: str = "") -> Path:
    """Save a full-page screenshot to test-artifacts/<test>-<n>-<label>.png."""
    _state["shots"] += 1
    if not label:
        path = re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]
        label = path.strip("/").replace("/", "-") or "root"
    label = re.sub(r"[^\w.-]+", "_", label)
    directory: Path = _state["artifacts"]
    directory.mkdir(exist_ok=True)
    target = directory / f"{_state['test']}-{_state['shots']:02d}-{label}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


def assert_accessible(page: Any, label: str = "") -> None:
    """Fail if axe-core finds WCAG 2.1 A/AA violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    screenshot(page, label)
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    if not violations:
        return
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join(line.strip() for line in node.get("failureSummary", "").splitlines())
            lines.append(f"    at {target}: {summary}")
    pytest.fail("\n".join(lines), pytrace=False)


def login(page: Any, live_server: Any, user: Any, password: str = PASSWORD) -> None:
    """Log in through the real login form and wait for the page after it."""
    page.goto(f"{live_server.url}/accounts/login/")
    submit_login_form(page, user.username, password)
    if "/accounts/login/" in page.url:
        pytest.fail(f"logging in as {user.username} failed: still on {page.url}", pytrace=False)


def submit_login_form(page: Any, username: str, password: str) -> Any:
    """Fill in and submit the login form on the current page; returns the response."""
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    form = page.locator("form", has=page.locator("#id_username"))
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    return navigation.value
