"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Playwright's sync API runs an asyncio event loop in the test thread. While it runs, Django sees
an async context: it refuses ORM calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set, and its
per-thread database connections become per-context ones — a fresh connection object that does
not know the test database's serialized contents. So the browser is started per test, after the
test's data exists, and stopped before pytest-django flushes and restores the database: ask for
the data fixture before ``phone``.
"""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LATIH_CHROMIUM", "/usr/bin/chromium")

#: A phone: the width most ASN browse the catalogue on.
PHONE = {"viewport": {"width": 360, "height": 780}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="session")
def chromium():
    """The Chromium executable; skips with the reason when it or Playwright is missing."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip("Chromium not found at %s: install Debian's chromium (apt-get install -y chromium) "
                    "or set LATIH_CHROMIUM" % CHROMIUM)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed (pip install -r requirements-dev.txt)")
    return CHROMIUM


@pytest.fixture
def phone(chromium, live_server):
    """A phone-sized page in a fresh headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        context = browser.new_context(**PHONE, locale="id-ID")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


class BrowserThread:
    """One headless Chromium for many tests, driven from a thread of its own.

    The test thread keeps no event loop running, so it builds and flushes the test data as any
    transactional test does, with its own database connection; the browser thread only talks to
    the live server over HTTP. ``run(fn, *args)`` calls ``fn(browser, *args)`` in the browser
    thread (Playwright's sync objects belong to the thread that made them) and returns its result.
    """

    TIMEOUT = 300  # seconds one call may take before the test gives up on the browser

    def __init__(self, executable):
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._playwright = self._browser = None
        self._pool.submit(self._start, executable).result(timeout=self.TIMEOUT)

    def _start(self, executable):
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )

    def _stop(self):
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()

    def run(self, fn, *args, **kwargs):
        return self._pool.submit(lambda: fn(self._browser, *args, **kwargs)).result(timeout=self.TIMEOUT)

    def close(self):
        try:
            self._pool.submit(self._stop).result(timeout=60)
        finally:
            self._pool.shutdown(wait=True)


@pytest.fixture(scope="module")
def browser_thread(chromium):
    """A headless Chromium shared by the tests of a module (see ``BrowserThread``)."""
    browser = BrowserThread(chromium)
    yield browser
    browser.close()
