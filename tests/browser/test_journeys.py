"""Each role's main journey in a real browser, on a phone (390 px) and a laptop (1366 px).

A person of each role signs in through the sign-in page, lands on the role home and opens every
link of the site menu; a visitor opens the home page, a catalogue, a course and the sign-in page.
On every page: an answer below 400, nothing wider than the screen (wide tables scroll inside their
own box), nothing in the console (no error, no Content-Security-Policy refusal, no uncaught script
error) and no serious or critical axe-core finding. Every problem of a journey is collected and
reported at once, page by page, so one run shows all there is to fix.

``pytest tests/browser/test_journeys.py -n 0 -s`` prints axe's figures page by page and, at the
end, a table per role and width.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from cms.models import CataloguePage, HomePage
from tests.cms.home_scene import build_scene
from tests.conftest import TRANSACTIONAL

pytestmark = [pytest.mark.browser, pytest.mark.slow, TRANSACTIONAL]

PASSWORD = "latih-test-pass"  # tna.factories.UserFactory

WIDTHS = {
    390: {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True},
    1366: {"viewport": {"width": 1366, "height": 768}},
}

#: The menu pages each role must find (cms/templatetags/site_nav.py), by URL name. The Wagtail admin
#: pages of the menu other than its home are not visited: the admin is Wagtail's own.
MENU = {
    "asn": ["home", "lms:dashboard", "lms:enrollment-list", "lms:my-training", "tna:profile", "tna:evidence"],
    "supervisor": ["home", "lms:dashboard", "lms:enrollment-approvals", "tna:team"],
    "training_admin": ["home", "lms:dashboard", "lms:delivery-sessions", "lms:enrollment-approvals",
                       "lms:schedule-runs", "lms:national-export", "wagtailadmin_home"],
    "planner": ["home", "lms:dashboard", "tna:planner", "lms:schedule-runs", "wagtailadmin_home"],
}

SERIOUS = ("serious", "critical")
IMPACTS = ("critical", "serious", "moderate", "minor")

# Content-Security-Policy refusals as the page sees them (an init script runs outside the policy).
CSP_LISTENER = """
window.__latihCsp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__latihCsp.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || '?'}:${e.lineNumber}`
  + (e.sample ? ` «${e.sample}»` : '')));
"""

# How wide the page is, and the elements that stick out past the right edge of the window: the
# innermost ones (their children fit), not clipped by a scrolling or clipping ancestor. The window
# is the width asked for, less a scroll bar: a mobile browser zooms out to show a too-wide page
# whole, which makes window.innerWidth as wide as the page and the overflow invisible to it.
OVERFLOW = """
(screen) => {
  const width = Math.min(window.innerWidth, document.documentElement.clientWidth, screen);
  const describe = (el) => {
    const parts = [];
    for (let node = el; node && node.nodeType === 1 && parts.length < 4; node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.id) { parts.unshift(part + '#' + node.id); break; }
      const classes = [...node.classList].slice(0, 2);
      if (classes.length) part += '.' + classes.join('.');
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  const clipped = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.overflowX !== 'visible') return true;
    }
    return false;
  };
  const sticksOut = (el) => el.getBoundingClientRect().right > width + 1 && el.getBoundingClientRect().width > 0;
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!sticksOut(el) || clipped(el)) continue;
    if ([...el.children].some(sticksOut)) continue;
    const box = el.getBoundingClientRect();
    offenders.push({selector: describe(el), right: Math.round(box.right), width: Math.round(box.width),
                    html: el.outerHTML.replace(/\\s+/g, ' ').slice(0, 160)});
    if (offenders.length >= 5) break;
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, offenders};
}
"""


@dataclass
class PageCheck:
    """What one page showed: its answer, its width, its console, axe's findings."""

    path: str
    status: int | None = None
    heading: str = ""
    scroll_width: int = 0
    inner_width: int = 0
    offenders: list = field(default_factory=list)
    console: list = field(default_factory=list)
    axe: dict = field(default_factory=dict)  # impact -> number of violations
    serious: list = field(default_factory=list)  # (rule id, impact, first target, html, help)

    @property
    def overflows(self):
        return self.scroll_width > self.inner_width + 1

    def problems(self):
        found = []
        if self.status is None or self.status >= 400:
            found.append("answered %s" % self.status)
        if self.overflows:
            found.append("%d px wide in a %d px window; sticking out: %s" % (
                self.scroll_width, self.inner_width,
                "; ".join("%s (right edge %d px) %s" % (o["selector"], o["right"], o["html"]) for o in self.offenders)
                or "(no single element found)"))
        found += ["console: %s" % message for message in self.console]
        found += ["axe %s (%s) at %s: %s — %s" % violation for violation in self.serious]
        return found


# --- In the browser thread --------------------------------------------------------------------------


def _watch(page):
    """Record console errors, CSP refusals and uncaught script errors of ``page`` in a list."""
    log = []

    def on_console(message):
        text = message.text
        if message.type == "error" or "Content Security Policy" in text or "Refused to" in text:
            location = message.location or {}
            log.append("[%s] %s (%s)" % (message.type, text[:300], location.get("url", "")))

    page.on("console", on_console)
    page.on("pageerror", lambda error: log.append("[uncaught] %s" % str(error)[:300]))
    return log


def _check(page, log, path, status, axe_context=None):
    """Check the page now shown in ``page`` (axe only within ``axe_context``, a selector, if given)."""
    from axe_playwright_python.sync_playwright import Axe

    heading = page.evaluate("document.querySelector('main h1, h1')?.textContent || ''")
    check = PageCheck(path=path, status=status, heading=" ".join(heading.split())[:40])
    measured = page.evaluate(OVERFLOW, page.viewport_size["width"])
    check.scroll_width, check.inner_width = measured["scrollWidth"], measured["innerWidth"]
    check.offenders = measured["offenders"] if check.overflows else []
    csp = page.evaluate("window.__latihCsp || []")
    check.console = list(log) + ["[securitypolicyviolation] %s" % refusal for refusal in csp]
    log.clear()  # what axe itself may print is not the page's
    violations = Axe().run(page, context=axe_context).response["violations"]
    log.clear()
    for impact in IMPACTS:
        check.axe[impact] = sum(1 for v in violations if v["impact"] == impact)
    for violation in violations:
        if violation["impact"] in SERIOUS:
            node = violation["nodes"][0]
            check.serious.append((violation["id"], violation["impact"], " ".join(map(str, node["target"])),
                                  node["html"][:160], "%d element(s); %s" % (len(violation["nodes"]), violation["help"])))
    return check


def _visit(page, log, path):
    log.clear()
    response = page.goto(path, wait_until="load")
    return _check(page, log, path, response.status if response else None)


def _open_menu_states(page, log, path):
    """The home with its menu open: on a phone the menu panel, on a wide screen each drop-down."""
    checks = []
    button = page.locator("summary.menu-button")
    if button.is_visible():
        button.click()
        checks.append(_check(page, log, path + " [menu open]", 200, axe_context=".site-header"))
    summaries = page.locator("details.menu-drop > summary")
    for index in range(summaries.count()):
        summary = summaries.nth(index)
        if summary.is_visible():
            label = " ".join(summary.inner_text().split())
            summary.click()
            checks.append(_check(page, log, "%s [menu: %s]" % (path, label), 200, axe_context=".site-header"))
    return checks


def _menu_links(page, base_url, admin_home):
    """The same-origin links of the site menu, less sign-out and the Wagtail admin (but its home)."""
    from urllib.parse import urlsplit

    hrefs = page.locator(".site-header nav[aria-label] a[href]").evaluate_all("links => links.map(a => a.href)")
    origin = urlsplit(base_url)
    paths = []
    for href in hrefs:
        url = urlsplit(href)
        if (url.scheme, url.netloc) != (origin.scheme, origin.netloc):
            continue
        path = url.path + ("?" + url.query if url.query else "")
        if path.startswith("/accounts/logout/") or path.startswith("/django-admin/"):
            continue
        if path.startswith("/admin/") and not (admin_home and path == "/admin/"):
            continue
        if path not in paths:
            paths.append(path)
    return paths


def _context(browser, base_url, width):
    context = browser.new_context(**WIDTHS[width], locale="id-ID", base_url=base_url)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def signed_in_journey(browser, base_url, width, nip, admin_home):
    """Sign in as ``nip``, land on the home, open the menu, visit each of its links."""
    context, page = _context(browser, base_url, width)
    log = _watch(page)
    try:
        checks = [_visit(page, log, "/accounts/login/")]
        page.locator("#id_username").fill(nip)
        page.locator("#id_password").fill(PASSWORD)
        log.clear()
        with page.expect_navigation() as navigation:
            page.locator("form.stack button[type=submit]").click()
        landed = page.url.removeprefix(base_url)
        response = navigation.value
        checks.append(_check(page, log, "%s (after sign-in)" % landed, response.status if response else None))
        checks += _open_menu_states(page, log, landed)
        links = _menu_links(page, base_url, admin_home)
        checks += [_visit(page, log, path) for path in links if path != landed]  # the home is checked
        return landed, links, checks
    finally:
        context.close()


def visitor_journey(browser, base_url, width, paths):
    context, page = _context(browser, base_url, width)
    log = _watch(page)
    try:
        checks = [_visit(page, log, paths[0])]
        checks += _open_menu_states(page, log, paths[0])
        checks += [_visit(page, log, path) for path in paths[1:]]
        return checks
    finally:
        context.close()


# --- In the test thread -----------------------------------------------------------------------------

#: Figures of every journey of the module, for the table printed at its end.
SUMMARY = []


@pytest.fixture(scope="module", autouse=True)
def summary_table():
    yield
    if not SUMMARY:
        return
    rows = [("journey", "width", "pages", "serious/critical", "overflowing", "console errors", "status >= 400")]
    rows += [(who, str(width), str(len(checks)),
              str(sum(len(c.serious) for c in checks)), str(sum(c.overflows for c in checks)),
              str(sum(len(c.console) for c in checks)),
              str(sum(c.status is None or c.status >= 400 for c in checks)))
             for who, width, checks in SUMMARY]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print("\n\nJourneys (axe serious/critical violations count rules per page):")
    for row in rows:
        print("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


@pytest.fixture
def scene(db):
    """The home scene's agency (every role has work waiting) with its catalogue page."""
    scene = build_scene()
    scene.catalogue = HomePage.objects.get().add_child(
        instance=CataloguePage(title="Katalog Pelatihan Kabupaten Uji", slug="katalog-kab-uji", agency=scene.agency)
    )
    return scene


def report(who, width, checks):
    """Print axe's figures page by page; return every problem, page by page."""
    SUMMARY.append((who, width, checks))
    problems = []
    for check in checks:
        print("%-15s %4d  %-44s %s  %-40s  axe %s  %s%s" % (
            who, width, check.path[:44], check.status, check.heading,
            " ".join("%s=%d" % (impact, check.axe.get(impact, 0)) for impact in IMPACTS),
            "OVERFLOW %d>%d " % (check.scroll_width, check.inner_width) if check.overflows else "",
            "console=%d" % len(check.console) if check.console else ""))
        problems += ["%s @ %d px: %s" % (check.path, width, problem) for problem in check.problems()]
    return problems


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", MENU)
def test_role_journey(scene, live_server, browser_thread, role, width):
    person = {"asn": scene.asn, "supervisor": scene.boss, "training_admin": scene.admin, "planner": scene.planner}[role]
    admin_home = "wagtailadmin_home" in MENU[role]

    landed, links, checks = browser_thread.run(signed_in_journey, live_server.url, width, person.nip, admin_home)

    problems = report(role, width, checks)
    assert landed == reverse("home") == "/beranda/", "signing in led to %s" % landed
    missing = [name for name in MENU[role] if reverse(name) not in links]
    assert not missing, "the %s menu lacks %s (found %s)" % (role, missing, links)
    assert not problems, "%d problem(s) in the %s journey at %d px:\n  %s" % (
        len(problems), role, width, "\n  ".join(problems))


@pytest.mark.parametrize("width", WIDTHS)
def test_visitor_journey(scene, live_server, browser_thread, width):
    course = scene.running.course
    paths = ["/", scene.catalogue.url, "%s%s/" % (scene.catalogue.url, course.code), reverse("login")]

    checks = browser_thread.run(visitor_journey, live_server.url, width, paths)

    problems = report("visitor", width, checks)
    assert not problems, "%d problem(s) in the visitor journey at %d px:\n  %s" % (
        len(problems), width, "\n  ".join(problems))
