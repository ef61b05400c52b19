"""Browser tests: the real app served over HTTP, driven by the system Chromium.

A second app object (CSRF on, BASE_DOMAIN "localhost:<port>") runs on the session's
migrated, seeded database in a background thread. Chromium resolves `*.localhost` to
the loopback address by itself, so `http://bekasi.localhost:<port>/` reaches the server
with the Host header the tenant resolver expects, and every region gets its own
host-only cookies exactly as in production.
"""
from __future__ import annotations

import os
import re
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
E2E_DIR = Path(__file__).resolve().parent
RESULTS_DIR = E2E_DIR.parent.parent / "test-results"
DEFAULT_TIMEOUT_MS = 10_000


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} not found (install Debian's chromium to run the browser tests)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    return None


# --- collection: mark, and skip (or fail in CI) without a browser -------------------------

def pytest_collection_modifyitems(config, items):
    reason = _missing_browser()
    for item in items:
        if E2E_DIR not in Path(str(item.fspath)).resolve().parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if reason and not _in_ci():
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item so fixtures can tell whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


# --- the live server ----------------------------------------------------------------------

class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # one line per request is noise in test output
        pass


@dataclass
class LiveServer:
    app: object
    port: int

    @property
    def base_domain(self) -> str:
        return f"localhost:{self.port}"

    def url(self, slug: str | None = None, path: str = "/") -> str:
        """`url("bekasi", "/home")` → http://bekasi.localhost:<port>/home; None → the apex."""
        host = f"{slug}.{self.base_domain}" if slug else self.base_domain
        return f"http://{host}{path}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(app):
    """The app over real HTTP on 127.0.0.1, same database as `app`, CSRF enabled."""
    from app import create_app

    port = _free_port()
    live_app = create_app({
        **dict(app.config.items()),
        "BASE_DOMAIN": f"localhost:{port}",
        "WTF_CSRF_ENABLED": True,
        "TESTING": False,
    })
    server = make_server("127.0.0.1", port, live_app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(live_app, port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        with live_app.app_context():
            from app.extensions import db

            db.engine.dispose()


# --- the browser --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    reason = _missing_browser()
    if reason:  # only reached in CI: the collection hook skips elsewhere
        pytest.fail(f"CI=true but browser tests cannot run: {reason}", pytrace=False)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@pytest.fixture()
def new_page(browser, request):
    """`new_page()` → a page in a fresh context (own cookies); screenshots on failure."""
    contexts = []

    def make(**context_options):
        context = browser.new_context(locale="id-ID", **context_options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    report = getattr(request.node, "rep_call", None)
    failed = report is not None and report.failed
    for n, context in enumerate(contexts):
        if failed:
            for m, page in enumerate(context.pages):
                suffix = "" if (n, m) == (0, 0) else f"-{n}-{m}"
                save_screenshot(page, f"{request.node.name}{suffix}")
        context.close()


@pytest.fixture()
def page(new_page):
    """A page in its own browser context, so cookies never leak between tests."""
    return new_page()


def save_screenshot(page, name: str) -> Path:
    """Full-page PNG in test-results/ (for failures and for humans to look at)."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as exc:
        print(f"screenshot {path} failed: {exc}")
    return path


# --- actions a person takes ---------------------------------------------------------------

def email_field(page):
    # The label wraps the input and its error message, so match on how the name starts.
    return page.get_by_label(re.compile(r"^\s*Email"))


def password_field(page):
    return page.get_by_label(re.compile(r"^\s*Kata sandi"))


def submit_login(page, email: str, password: str) -> None:
    """Fill the login form on the current page and press "Masuk" (no waiting)."""
    email_field(page).fill(email)
    password_field(page).fill(password)
    page.get_by_role("button", name="Masuk").click()


def login(page, live_server: LiveServer, slug: str | None, email: str,
          password: str = DEMO_PASSWORD) -> None:
    """Log in at the region's /login (or the apex's) and wait until the landing page shows."""
    page.goto(live_server.url(slug, "/login"))
    submit_login(page, email, password)
    # hx-boost turns the POST into a fetch + history push; wait for the URL to move on.
    page.wait_for_url(lambda url: urlparse(url).path != "/login")
    page.wait_for_load_state()


@pytest.fixture()
def restored_region(app, request):
    """Run code in the test module's region `SLUG` (committed); its configuration is put back afterwards
    by importing its own export (any SOP draft left is discarded)."""
    from app.extensions import db
    from app.tenancy.context import tenant_context
    from app.tenants.export import export_region, to_yaml
    from tests.factories import tenant

    slug = request.module.SLUG

    def run(fn):
        with app.app_context(), tenant_context(tenant(slug)):
            result = fn()
            db.session.commit()
            return result

    saved = run(lambda: to_yaml(export_region(tenant(slug))))
    yield run

    def restore():
        from app.casework.sop_drafts import current_draft, discard_draft
        from app.tenants.importer import apply_import, prepare_import
        from tests.factories import member

        draft = current_draft()
        if draft is not None:
            discard_draft(draft)
        region = tenant(slug)
        apply_import(region, prepare_import(region, saved, "restore.yaml"), member(f"manager@{slug}.demo")[0])

    run(restore)
