"""Browser fixtures: Debian's Chromium driven by sync Playwright against pytest-django's
live_server (which also serves static files, so pages render with Bootstrap)."""

import io
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tests.conftest import need

# The CalDAV server and calendar settings of the interviews tests, for the settings journey.
from tests.interviews.conftest import calendar_settings, new_calendar, radicale  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_PATH = "/__axe.min.js"  # served to the browser by the test, never by the site
# Long enough for a cold Chromium on a busy machine, short enough to fail fast on a wrong selector.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    need(CHROMIUM.exists(), f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    # Sync Playwright runs an event loop in this thread; the ORM would refuse to run beside it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh context (no cookies, no session) per test, at desktop width. Reduced motion
    turns Bootstrap's transitions off, so that nothing is clicked halfway through one."""
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(page):
    def use_phone():
        page.set_viewport_size(PHONE)

    return use_phone


@pytest.fixture
def desktop(page):
    def use_desktop():
        page.set_viewport_size(DESKTOP)

    return use_desktop


@pytest.fixture
def screenshot(page):
    """screenshot("name") saves the full page to test-artifacts/screenshots/name.png, after
    checking it with axe: every page a journey looks at must have no serious or critical
    accessibility violation."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        assert_no_serious_axe_violations(page)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def demo_data(transactional_db):
    """The demo careers site: Backend Engineer (with its internship question) and others."""
    call_command("seed_demo", "--no-progress", stdout=io.StringIO())


@pytest.fixture
def fits_width(page):
    """fits_width() is true when nothing on the page sticks out sideways (no horizontal scroll)."""

    def check() -> bool:
        return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    return check


def axe_violations(page, *, rules: list[str] | None = None) -> list[dict]:
    """Run axe-core on the page as it is now (only `rules`, when given); its violations.

    The page's own strict CSP stays on: axe is loaded as a same-origin script that the test
    itself answers (page.route), since an inline script tag would be refused.
    """
    if not getattr(page, "_axe_routed", False):
        page.route(
            f"**{AXE_PATH}",
            lambda route: route.fulfill(path=str(AXE), content_type="application/javascript"),
        )
        page._axe_routed = True
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
        page.add_script_tag(url=origin + AXE_PATH)
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    return page.evaluate("options => axe.run(document, options)", options)["violations"]


def describe_violations(page, violations) -> str:
    return f"axe on {page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {node['target']}: {node['failureSummary']}" for node in v["nodes"][:5])
        for v in violations
    )


def shoot(page, name: str) -> None:
    """A journey's screenshot of the page as it stands, after the same axe check as the
    `screenshot` fixture's: saved as test-artifacts/screenshots/<name>.png."""
    assert_no_serious_axe_violations(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def assert_no_serious_axe_violations(page) -> None:
    """Fail on any serious or critical accessibility violation axe-core finds on the page."""
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert serious == [], describe_violations(page, serious)


@pytest.fixture
def axe(page):
    """axe() checks the page as it is now: no serious or critical accessibility violation."""
    return lambda: assert_no_serious_axe_violations(page)
