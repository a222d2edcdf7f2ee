"""What each role has waiting, gathered from the apps' selectors for the role home and the admin dashboard.

One function per role returns the plain data its panel shows; each calls selectors that run a
fixed number of queries, so a home costs the same for an agency of 200 or of 20,000 staff.
A superuser works on every agency (``agency`` None); anyone else on their own.
"""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import get_language

from courses.links import course_url
from courses.selectors import courses_in_review
from lms.selectors import home as work
from lms.selectors.delivery import enrollments_to_rate
from lms.selectors.development import development_plan, team_development
from lms.selectors.enrollments import pending_approvals
from lms.selectors.impact import near_zero_courses
from lms.selectors.learning import current_year, jp_year
from lms.selectors.mentoring import home_mentoring
from tna.roles import ASN, PLANNER, SUPERVISOR, TRAINING_ADMIN, employee_of, has_role
from tna.selectors import evidence_due, latest_tna_run, open_cycle, team_ratings_due
from tna.talent.boxes import DevelopmentAction

ROLES = (ASN, SUPERVISOR, TRAINING_ADMIN, PLANNER)
# Development items a home lists (the career page has them all), and which count as still open.
HOME_ITEMS = 6
OPEN_ITEMS = ("planned", "in_progress")


@dataclass
class Scope:
    """Whose work a panel shows: the signed-in user, their employee record (or None), their agency
    (None: every agency), the zone their week is counted in, and the moment of the request."""

    user: object
    employee: object
    agency: object
    tz: object
    now: object

    @classmethod
    def of(cls, user, now=None):
        employee = employee_of(user)
        agency = None if user.is_superuser or employee is None else employee.agency
        tz = ZoneInfo(agency.time_zone) if agency else timezone.get_current_timezone()
        return cls(user=user, employee=employee, agency=agency, tz=tz, now=now or timezone.now())


def roles_with_work(user):
    """The roles whose panel ``user`` gets, in menu order: an ASN panel needs an employee record, the
    staff panels an agency (or a superuser)."""
    employee = employee_of(user)
    shown = []
    for role in ROLES:
        if not has_role(user, role):
            continue
        if role == ASN and employee is None:
            continue
        if role in (TRAINING_ADMIN, PLANNER) and employee is None and not user.is_superuser:
            continue
        shown.append(role)
    return shown


def asn_work(scope, cycle):
    """The ASN's day: evidence due in the open cycle, meetings this week, courses to rate and follow up, JP,
    requests."""
    me = scope.employee
    return {
        "cycle": cycle,
        "evidence": evidence_due(me, cycle) if cycle else None,
        "meetings": work.my_meetings_this_week(me, scope.now),
        "to_rate": enrollments_to_rate(me, scope.now),
        "follow_ups": work.my_follow_ups(me, scope.now),
        "jp": jp_year(me, current_year(me)),
        "requests": work.my_open_requests(me, scope.now),
        "development": _with_course_urls(development_plan(me).filter(status__in=OPEN_ITEMS)[:HOME_ITEMS]),
        "mentoring": home_mentoring(me, now=scope.now),
        "tz": ZoneInfo(me.agency.time_zone),
    }


def english():
    return (get_language() or "").startswith("en")


def _with_course_urls(items):
    items = list(items)
    for item in items:
        item.url = course_url(item.course) if item.course else None
    return items


def supervisor_work(scope, cycle):
    """Requests waiting (with duty clashes), the team's ratings and appraisals due, and the follow-ups of
    their completed training."""
    team_due = None
    if scope.employee is not None and cycle is not None:
        team_due = team_ratings_due(scope.employee, cycle)
    follow_ups = work.team_follow_ups(scope.employee, scope.now) if scope.employee is not None else (0, [])
    development = []
    if scope.employee is not None:
        # What supervisors see of their reports' plans: each person's actions, never the box.
        people = {}
        for item in team_development(scope.employee).filter(status__in=OPEN_ITEMS)[:HOME_ITEMS * 8]:
            person = people.setdefault(item["employee_id"], {"name": item["employee__name"], "actions": []})
            label = DevelopmentAction(item["action"]).label
            title = (item["course__title_en"] if english() and item["course__title_en"] else item["course__title"])
            person["actions"].append("%s: %s" % (label, title) if title else label)
        development = list(people.values())[:HOME_ITEMS]
    return {"cycle": cycle, "approvals": work.approvals_waiting(scope.user), "team_due": team_due,
            "follow_up_count": follow_ups[0], "follow_ups": follow_ups[1], "development": development}


def training_admin_work(scope):
    """Courses in review, sessions this week, attendance to record, completions and certificates to issue."""
    review_count, in_review = courses_in_review(scope.agency)
    week_count, week_sessions = work.sessions_to_deliver(scope.agency, scope.tz, scope.now)
    missing_meetings, missing_sessions, missing = work.attendance_missing(scope.agency, scope.now)
    ready_people, ready_sessions, ready = work.completions_ready(scope.agency, scope.now)
    return {
        "agency": scope.agency, "tz": scope.tz,
        "review_count": review_count, "in_review": in_review,
        "week_count": week_count, "week_sessions": week_sessions,
        "missing_meetings": missing_meetings, "missing_sessions": missing_sessions, "missing": missing,
        "ready_people": ready_people, "ready_sessions": ready_sessions, "ready": ready,
        # Courses that did not change their participants' level, by the evaluation (docs/evaluation.md).
        "near_zero": near_zero_courses(scope.agency)[:10],
        # A training admin decides requests too; the supervisor panel shows them to those who are both.
        "requests_waiting": pending_approvals(scope.user).count() if not has_role(scope.user, SUPERVISOR) else None,
    }


def planner_work(scope, cycle):
    """The open cycle's latest TNA run, courses to review, plans waiting for approval, this fiscal year's money."""
    year = timezone.localtime(scope.now, scope.tz).year
    review_count, in_review = courses_in_review(scope.agency)  # planners are the course reviewers
    return {
        "agency": scope.agency, "cycle": cycle, "tz": scope.tz,
        "review_count": review_count, "in_review": in_review,
        "run": latest_tna_run(cycle, scope.agency) if cycle else None,
        "plans": work.plans_waiting(scope.agency),
        "budget": work.budget_use(scope.agency, year),
    }


def home_work(user, now=None):
    """{role: its panel's data} for every role of ``user`` that has a panel, in menu order."""
    scope = Scope.of(user, now)
    roles = roles_with_work(user)
    cycle = open_cycle() if roles else None
    builders = {
        ASN: lambda: asn_work(scope, cycle),
        SUPERVISOR: lambda: supervisor_work(scope, cycle),
        TRAINING_ADMIN: lambda: training_admin_work(scope),
        PLANNER: lambda: planner_work(scope, cycle),
    }
    return {role: builders[role]() for role in roles}
