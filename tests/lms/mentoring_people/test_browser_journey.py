"""A mentee and a mentor walk their mentoring journey in Chromium at phone width (390 px): the mentee confirms the
session the mentor logged, both give their closing feedback, the pair completes and its JP appear in the mentee's
learning record — every page fitting the screen."""

import os

import pytest
from django.urls import reverse

from lms.models import JpCredit, MentoringPair
from lms.models.ledger import CreditedCompetency
from tests.browser.conftest import browser_thread, chromium  # noqa: F401  (fixtures)
from tests.conftest import TRANSACTIONAL

from .conftest import hold_session, make_pair, plan_session

pytestmark = [pytest.mark.browser, TRANSACTIONAL]

PASSWORD = "latih-test-pass"  # tna.factories.UserFactory
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
#: Where to keep a screenshot of every page (unset: none are taken).
SHOTS = os.environ.get("LATIH_SCREENSHOTS", "")


class Walk:
    """One person's phone in the browser thread: signs in (in English, the msgids), visits, checks the width."""

    def __init__(self, browser, base_url, nip, name):
        self.context = browser.new_context(**PHONE, base_url=base_url, locale="en-GB")
        self.context.add_cookies([{"name": "django_language", "value": "en", "url": base_url}])
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.name, self.too_wide, self.step = name, [], 0
        self.page.goto("/accounts/login/")
        self.page.locator("#id_username").fill(nip)
        self.page.locator("#id_password").fill(PASSWORD)
        with self.page.expect_navigation():
            self.page.locator("#id_password").press("Enter")

    def check(self):
        """Note the page when it is wider than the screen; keep a screenshot when asked to."""
        page = self.page
        wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if wide[0] > wide[1]:
            self.too_wide.append("%s %s: %d px in %d" % (self.name, page.url, wide[0], wide[1]))
        if SHOTS:
            self.step += 1
            page.screenshot(path=os.path.join(SHOTS, "%s-%02d.png" % (self.name, self.step)), full_page=True)
        return page.locator("body").inner_text()

    def follow(self, control):
        """Click a link or a submit button, and check the page it leads to once it has loaded
        (not the page being left: checked too early, it may have no document yet)."""
        with self.page.expect_navigation():
            control.click()
        return self.check()

    def goto(self, path):
        self.page.goto(path)
        return self.check()

    def close(self):
        self.context.close()
        return self.too_wide


def mentee_confirms(browser, base_url, nip):
    walk = Walk(browser, base_url, nip, "mentee")
    home = walk.goto("/mentoring/")
    before = walk.follow(walk.page.get_by_role("link", name="Open: sessions and log"))
    after = walk.follow(walk.page.get_by_role("button", name="Confirm", exact=True))
    return home, before, after, walk.close()


def mentor_says_goal_met(browser, base_url, nip):
    walk = Walk(browser, base_url, nip, "mentor")
    home = walk.goto("/mentoring/")
    walk.follow(walk.page.get_by_role("link", name="Open: sessions and log"))
    page = walk.page
    page.locator("input[name=usefulness][value='5']").check()
    page.get_by_label("Yes").check()
    page.locator("input[name=level_reached][value='4']").check()
    page.get_by_label("Comment (optional)").fill("Sudah bisa membuat dasbor sendiri.")
    after = walk.follow(page.get_by_role("button", name="Send my feedback"))
    return home, after, walk.close()


def mentee_closes(browser, base_url, nip, pair_id, record_path):
    walk = Walk(browser, base_url, nip, "mentee-closing")
    walk.goto("/mentoring/pairs/%d/" % pair_id)
    page = walk.page
    page.locator("input[name=usefulness][value='4']").check()
    page.get_by_label("Yes").check()
    closed = walk.follow(page.get_by_role("button", name="Send my feedback"))
    record = walk.goto(record_path)
    return closed, record, walk.close()


def test_a_mentee_and_a_mentor_walk_their_journey_on_a_phone(scene, live_server, browser_thread):  # noqa: F811
    pair = make_pair(scene)
    held = hold_session(pair, minutes=135, confirmed=False, topic="Pivot tables",
                        mentor_notes="Catatan mentor yang rahasia")
    held.mentor_confirmed_at = held.created_at
    held.save(update_fields=["mentor_confirmed_at"])
    plan_session(pair, days_ahead=3, topic="Dashboard bulanan")
    base = live_server.url

    home, before, after, wide = browser_thread.run(mentee_confirms, base, scene["mentee"].nip)
    assert "My mentors" in home and "Agus Mentor" in home and "0 of 4 JP" in home
    assert "Confirmed by the mentor; waiting for the mentee." in before
    assert "Catatan mentor yang rahasia" not in before
    assert "Confirmed by both" in after and "3 of 4 JP" in after
    assert JpCredit.objects.get(employee=scene["mentee"], mentoring_pair=pair).jp == 3

    home, after, wide_mentor = browser_thread.run(mentor_says_goal_met, base, scene["mentor"].nip)
    assert "My mentees" in home and "Yohana Staf" in home
    assert "your feedback is saved" in after
    pair.refresh_from_db()
    assert pair.status == "active"

    closed, record, wide_closing = browser_thread.run(mentee_closes, base, scene["mentee"].nip, pair.pk,
                                                           reverse("lms:my-training"))
    assert "The pair is completed" in closed and "Sudah bisa membuat dasbor sendiri." in closed
    assert "Mentoring: Mentoring Data 2026" in record
    pair.refresh_from_db()
    assert (pair.status, pair.goal_met) == (MentoringPair.Status.COMPLETED, True)
    assert CreditedCompetency.objects.get(credit__employee=scene["mentee"]).level == 4
    assert wide + wide_mentor + wide_closing == []


def newcomer_applies(browser, base_url, nip, competency_id):
    walk = Walk(browser, base_url, nip, "newcomer")
    home = walk.goto("/mentoring/")
    form = walk.follow(walk.page.get_by_role("link", name="Ask for a mentor"))
    walk.page.locator("input[name=competency][value='%d']" % competency_id).check()
    walk.page.get_by_label("What I want to learn (optional)").fill("Membaca data kunjungan puskesmas")
    after = walk.follow(walk.page.get_by_role("button", name="Send my application"))
    return home, form, after, walk.close()


def expert_offers(browser, base_url, nip):
    walk = Walk(browser, base_url, nip, "expert")
    walk.goto("/mentoring/")
    form = walk.follow(walk.page.get_by_role("link", name="Offer to mentor"))
    walk.page.get_by_label("Mentees at once").fill("1")
    after = walk.follow(walk.page.get_by_role("button", name="Offer to mentor"))
    return form, after, walk.close()


def test_a_newcomer_applies_and_an_expert_offers_on_a_phone(scene, live_server, browser_thread):  # noqa: F811
    from lms.models import MentoringApplication, MentorOffer

    home, form, after, wide = browser_thread.run(newcomer_applies, live_server.url, scene["colleague"].nip,
                                                 scene["data"].pk)
    assert "What is mentoring?" in home and "Mentoring Data 2026" in home
    assert "my level 3.5, required 4" in form
    assert "Your application is sent." in after and "Waiting for a mentor" in after
    application = MentoringApplication.objects.get()
    assert (application.employee, application.note) == (scene["colleague"], "Membaca data kunjungan puskesmas")

    form, after, wide_expert = browser_thread.run(expert_offers, live_server.url, scene["mentor"].nip)
    assert "My levels in the TNA of 2026" in form and "level 4.5" in form
    assert "Thank you for offering to mentor" in after and "My offers to mentor" in after
    offer = MentorOffer.objects.get()
    assert (offer.mentor, offer.capacity, offer.source) == (scene["mentor"], 1, "opt_in")
    assert wide + wide_expert == []
