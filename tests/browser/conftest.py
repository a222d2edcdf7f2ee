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
