"""Browser flows in real Chromium (pytest-playwright) against pytest-django's
live server.

- Chromium is Debian's (``TRACKER_CHROMIUM``, default /usr/bin/chromium);
  Playwright never downloads a browser here. When there is none, every test
  of this folder is skipped with ``TRACKER_CHROMIUM_SKIP_REASON`` (set by
  scripts/services.sh) or a reason naming the missing path.
- Data is built through the services and the shared fixtures (``tree``,
  ``people``, ``make_task``) on ``transactional_db``: the live server runs
  in another thread with its own connection and sees only committed rows.
- ``signed_in("canbo_vp")`` opens a browser context of its own (one per
  person: cookies are per context) and signs in through the Vietnamese
  form, finding the fields by their labels.
- Each module marks its tests ``browser`` and ``xdist_group("browser")``.
  With pytest 9 the group is not honoured by pytest-xdist 3.8 (it renames
  ``item._nodeid``, which pytest 9 no longer reads), so under ``-n 2`` both
  workers may run browser tests, each with its own Chromium, live server
  and database: the tests do not depend on running together.
- A failing test leaves a screenshot of each page it opened in
  ``test-results/<test>-<n>.png``.
"""

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

# pytest-playwright's sync API runs an event loop in the test's thread; the
# ORM calls the tests make around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "matkhau-demo-123"  # tests.factories.UserFactory
TIMEOUT_MS = 10_000
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# The phases' reports of a test ("setup", "call", "teardown"), for the
# screenshot-on-failure teardown.
_REPORTS = pytest.StashKey[dict]()

expect.set_options(timeout=TIMEOUT_MS)


def chromium_path() -> str:
    return os.environ.get("TRACKER_CHROMIUM") or "/usr/bin/chromium"


def chromium_skip_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    reason = os.environ.get("TRACKER_CHROMIUM_SKIP_REASON")
    if reason:
        return reason
    path = chromium_path()
    if not os.access(path, os.X_OK):
        return (
            f"Chromium not found at {path}: apt-get install --no-install-recommends "
            "chromium, or set TRACKER_CHROMIUM"
        )
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture: the session's browser must not even be launched.
    reason = chromium_skip_reason()
    if reason:
        pytest.skip(reason)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "headless": True,
        "args": LAUNCH_ARGS,
    }


@pytest.fixture
def site(live_server, transactional_db, settings, tmp_path) -> str:
    """The live server's root URL (no trailing slash). Uploaded files and
    the import stash go to a temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return live_server.url


@pytest.fixture
def open_context(browser: Browser, site: str, request) -> Callable[..., BrowserContext]:
    """A new browser context on the live server, in Vietnamese, with the
    short default timeout. Every page opened in it is screenshotted if the
    test fails."""
    contexts: list[BrowserContext] = []
    pages: list[Page] = []

    def _open(**kwargs) -> BrowserContext:
        options = {"base_url": site, "locale": "vi-VN"} | kwargs
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        context.on("page", lambda page: pages.append(page))
        contexts.append(context)
        return context

    yield _open

    reports = request.node.stash.get(_REPORTS, {})
    if any(r.failed for r in reports.values()):
        RESULTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        for index, page in enumerate(pages, start=1):
            try:
                page.screenshot(
                    path=RESULTS_DIR / f"{name}-{index}.png", full_page=True
                )
            except Exception:  # noqa: BLE001 — a closed page has nothing to show
                pass
    for context in contexts:
        context.close()


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form as a person would: by the labels."""
    page.goto("/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def open_action(page: Page, label: str) -> None:
    """Click an action button of the task page; its form loads in place
    (htmx) under the buttons."""
    page.locator("section.task-actions").get_by_role(
        "link", name=label, exact=True
    ).click()
    expect(page.locator("#action-panel h2")).to_have_text(label)


@pytest.fixture
def signed_in(open_context, people) -> Callable[..., Page]:
    """``signed_in("canbo_vp")`` → a page of a fresh context, signed in as
    one of ``people``."""

    def _signed_in(username: str, **context_options) -> Page:
        page = open_context(**context_options).new_page()
        sign_in(page, username)
        return page

    return _signed_in
