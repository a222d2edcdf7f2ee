"""The mentor's and the mentee's journey with sessions in a real browser on a phone (390 px): plan a
session from the free times, log a meeting held, confirm it, and find its JP in the learning record.

Every page on the way must answer, fit the screen, log nothing to the console and have no serious
or critical axe-core finding (the checks of ``tests/browser/test_journeys.py``).
"""

import datetime

import pytest
from django.utils import timezone

from lms.models import JpCredit
from lms.models.mentoring import MentoringSession
from tests.browser.conftest import browser_thread, chromium  # noqa: F401 (fixtures)
from tests.browser.test_journeys import CSP_LISTENER, PASSWORD, WIDTHS, _check, _watch
from tests.conftest import TRANSACTIONAL

pytestmark = [pytest.mark.browser, pytest.mark.slow, TRANSACTIONAL]

PHONE = 390


def _sign_in(browser, base_url, nip):
    context = browser.new_context(**WIDTHS[PHONE], locale="id-ID", base_url=base_url)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.set_default_timeout(20_000)
    log = _watch(page)
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(nip)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").click()
    log.clear()
    return context, page, log


def _open(page, log, path):
    log.clear()
    response = page.goto(path, wait_until="load")
    return _check(page, log, path, response.status if response else None)


def mentor_plans(browser, base_url, nip, pair_id):
    """Plan a 30-minute session on the first free time offered, with a topic; back on the pair's page."""
    context, page, log = _sign_in(browser, base_url, nip)
    try:
        checks = [_open(page, log, "/mentoring/pairs/%d/sessions/plan/" % pair_id)]
        page.locator("input[name=minutes][value='30']").check()
        with page.expect_navigation():
            page.locator("form[method=get] button[type=submit]").click()
        page.locator("#topic").fill("Menyusun memo kebijakan")
        with page.expect_navigation():
            page.locator("button[name=slot]").first.click()
        checks.append(_check(page, log, page.url.removeprefix(base_url) + " (planned)", 200))
        return checks, page.locator("main").inner_text()
    finally:
        context.close()


def mentee_logs(browser, base_url, nip, pair_id):
    """From the pair's page, log yesterday's meeting: 90 minutes, a topic and private notes."""
    context, page, log = _sign_in(browser, base_url, nip)
    try:
        checks = [_open(page, log, "/mentoring/pairs/%d/" % pair_id)]
        with page.expect_navigation():
            page.locator(".session-actions a.button").first.click()  # "Log the meeting"
        checks.append(_check(page, log, page.url.removeprefix(base_url), 200))
        page.locator("input[name=minutes]").fill("90")
        page.locator("input[name=topic]").fill("Membaca data kesehatan")
        page.locator("textarea[name=notes]").last.fill("Catatan pribadi saya")
        with page.expect_navigation():
            page.locator("main form[method=post] button[type=submit]").last.click()
        checks.append(_check(page, log, page.url.removeprefix(base_url) + " (logged)", 200))
        return checks
    finally:
        context.close()


def mentor_confirms(browser, base_url, nip, pair_id):
    context, page, log = _sign_in(browser, base_url, nip)
    try:
        checks = [_open(page, log, "/mentoring/pairs/%d/" % pair_id)]
        with page.expect_navigation():
            page.locator("form[action$='/confirm/'] button").first.click()
        checks.append(_check(page, log, page.url.removeprefix(base_url) + " (confirmed)", 200))
        return checks
    finally:
        context.close()


def mentee_record(browser, base_url, nip):
    context, page, log = _sign_in(browser, base_url, nip)
    try:
        check = _open(page, log, "/learning/history/")
        return [check], page.locator("main").inner_text()
    finally:
        context.close()


def problems(checks):
    return ["%s: %s" % (c.path, p) for c in checks for p in c.problems()]


def test_the_pair_walks_its_sessions_on_a_phone(pair, mentor, mentee, at, make_mentoring_session, live_server,
                                               browser_thread):  # noqa: F811
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    held = make_mentoring_session(pair, at(yesterday, "10:00"), status="planned", confirmed=False, topic="Data")

    checks, text = browser_thread.run(mentor_plans, live_server.url, mentor.nip, pair.pk)
    planned = MentoringSession.objects.exclude(pk=held.pk).get()
    assert (planned.status, planned.minutes, planned.topic) == ("planned", 30, "Menyusun memo kebijakan")
    assert "Menyusun memo kebijakan" in text

    checks += browser_thread.run(mentee_logs, live_server.url, mentee.nip, pair.pk)
    held.refresh_from_db()
    assert (held.status, held.minutes, held.mentee_notes) == ("held", 90, "Catatan pribadi saya")

    checks += browser_thread.run(mentor_confirms, live_server.url, mentor.nip, pair.pk)
    held.refresh_from_db()
    assert held.confirmed
    assert JpCredit.objects.get(employee=mentee).jp == 2

    more, record = browser_thread.run(mentee_record, live_server.url, mentee.nip)
    assert "Mentoring Analis" in record
    found = problems(checks + more)
    assert not found, "\n".join(found)
