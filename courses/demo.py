"""Builds the demo catalogue of each agency: providers, 40+ published courses, sessions over six months.

Deterministic per agency (seeded by its code) and relative to ``today``. Sessions go through
``courses.services`` like any other; one session per agency is postponed and one cancelled, so
the calendars show both. An agency that already has courses is left alone. ``review_states``
then puts part of one agency's catalogue through the review workflow, as its training admin would.
"""

import datetime
import math
import random
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import WorkflowState
from wagtail.search.backends import get_search_backends

from tna.models import Competency, Unit

from . import services
from .demo_data import (
    AGENCY_EXTRAS,
    COURSES,
    LEADERSHIP_PROGRAMMES,
    PATTERNS,
    PROVIDERS,
    PROVINCE,
    WITH_POST_TEST,
)
from .models import Course, CourseCompetency, Provider, ProviderKind
from .recurrence import national_closures, recurring_slots

HORIZON_DAYS = 182  # six months
SKIPPED_PER_AGENCY = 3  # each agency leaves out a few courses: catalogues differ


def generate_catalogue(*, agencies, today=None, progress=None):
    """Create the demo catalogue of each agency in ``agencies``; return {agency code: (courses, sessions)}."""
    today = today or timezone.localdate()
    closures = national_closures(range(today.year, today.year + 2))
    competencies = {c.code: c for c in Competency.objects.filter(active=True)}
    if not competencies:
        raise ValueError("Load the competency dictionary first (loaddata competencies).")
    results = {}
    for agency in agencies:
        if agency.courses.exists():
            results[agency.code] = None
            continue
        with transaction.atomic():
            results[agency.code] = _agency_catalogue(agency, today, closures, competencies)
        if progress:
            progress(agency, results[agency.code])
    return results


def _agency_catalogue(agency, today, closures, competencies):
    rng = random.Random(agency.code)
    providers = _providers(agency)
    templates = COURSES + AGENCY_EXTRAS.get(agency.code, [])
    skipped = set(rng.sample(range(len(COURSES)), SKIPPED_PER_AGENCY))
    now = timezone.now()
    courses, drafts, targets = [], [], []
    for index, template in enumerate(templates):
        built = _course(agency, providers, template, competencies, rng, live=index not in skipped, now=now)
        if built is None:
            continue
        course, chosen = built
        (courses if course.live else drafts).append(course)
        targets.append((course, chosen))
    # Only one course per agency stays a draft awaiting review; the other skipped ones are simply absent
    # (``review_states`` proposes them later).
    drafts = drafts[:1]
    _save_courses(courses + drafts, targets)
    for draft in drafts:
        draft.save_revision()

    sessions = []
    for course in courses:
        sessions.extend(_sessions(course, agency, rng, today, closures))
    if len(sessions) > 2:
        services.session_postpone(
            session=sessions[1], reason="Narasumber berhalangan; jadwal baru diumumkan segera (contoh data demo).")
        services.session_cancel(
            session=sessions[2], reason="Peserta terdaftar di bawah jumlah minimum kelas (contoh data demo).")
    return len(courses), len(sessions)


def _course(agency, providers, template, competencies, rng, *, live, now):
    """An unsaved Course from a ``demo_data`` template, with its (competency, level) targets; None
    when the dictionary has none of its competencies nor any of its category."""
    (code, (title, title_en), (description, description_en), category, route, mode, jp, cost, fixed,
     (smallest, largest), wanted, provider_kind, pattern) = template
    chosen = [(competencies[c], level) for c, level in wanted if c in competencies]
    if not chosen:
        chosen = [(c, 2) for c in competencies.values() if c.category == category][:1]
    if not chosen:
        return None
    course = Course(
        agency=agency, provider=providers[provider_kind], code=code, title=title, title_en=title_en,
        description=description, description_en=description_en, category=category, route=route, mode=mode,
        jp=jp, cost_per_participant=_jitter(rng, cost), fixed_cost_per_class=_jitter(rng, fixed),
        min_participants=smallest, max_participants=largest, has_post_test=code in WITH_POST_TEST,
        leadership_programme=LEADERSHIP_PROGRAMMES.get(code, ""),
        live=live, has_unpublished_changes=not live,
        first_published_at=now if live else None, last_published_at=now if live else None,
    )
    course.pattern = pattern
    return course, chosen


def _save_courses(courses, targets):
    """Insert ``courses`` and their competency targets [(course, [(competency, level)])], and index them."""
    Course.objects.bulk_create(courses)
    CourseCompetency.objects.bulk_create(
        CourseCompetency(course=course, competency=competency, level=level, sort_order=n)
        for course, chosen in targets if course.pk for n, (competency, level) in enumerate(chosen)
    )
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(Course, courses)


def _sessions(course, agency, rng, today, closures):
    start, end, weekdays = PATTERNS[course.pattern]
    start, end = datetime.time.fromisoformat(start), datetime.time.fromisoformat(end)
    count = meetings_needed(course.jp, course.pattern)
    runs = 1 if course.mode == "self_paced" else rng.choice((1, 2, 2, 3))
    span = HORIZON_DAYS - 14
    created = []
    for run in range(runs):
        offset = 7 + int(span * (run + rng.random()) / runs)
        first_day = today + datetime.timedelta(days=offset)
        slots = recurring_slots(
            first_day=first_day, start=start, end=end, count=count, tz=agency.time_zone,
            weekdays=weekdays, skip=closures,
        )
        # Relative to ``today`` (not the clock), so --today gives the same windows on any day.
        opens = datetime.datetime.combine(today, datetime.time(), tzinfo=ZoneInfo(agency.time_zone)) - datetime.timedelta(days=7)
        closes = slots[0].start - datetime.timedelta(days=2)
        if offset > 75:
            opens = slots[0].start - datetime.timedelta(days=45)
        created.append(services.session_create(
            course=course, meetings=slots, label="Angkatan %s" % _roman(run + 1),
            capacity=max(course.min_participants, course.max_participants - rng.choice((0, 0, 5, 10))),
            place=session_place(course, agency, rng), online_url=online_link(course, run + 1),
            enrollment_opens=opens, enrollment_closes=closes,
        ))
    return created


def meetings_needed(jp, pattern):
    """Meetings for ``jp`` lesson hours: 8 JP a training day, 2-hour or 3-hour slots, two webinars."""
    if pattern == "selfpaced":
        return 2
    minutes_per_meeting = {"block": 8 * 45, "weekly": 120, "online": 180}[pattern]
    return max(1, math.ceil(jp * 45 / minutes_per_meeting))


def course_pattern(course):
    """The meeting pattern (a ``demo_data.PATTERNS`` key) the demo schedules ``course`` in."""
    for template in COURSES + [t for extra in AGENCY_EXTRAS.values() for t in extra]:
        if template[0] == course.code:
            return template[-1]
    return {"online": "online", "self_paced": "selfpaced"}.get(course.mode, "block")


def session_place(course, agency, rng):
    """Where a classroom or blended session of ``course`` meets; empty for online and self-paced ones."""
    if course.mode not in ("classroom", "blended"):
        return ""
    return _place(course, agency, rng)


def online_link(course, run):
    """The video-call link of run ``run`` of an online, blended or self-paced ``course``; else empty."""
    if course.mode not in ("online", "blended", "self_paced"):
        return ""
    return "https://vicon.example.org/%s/%s-%d" % (course.agency.code, course.code, run)


def _providers(agency):
    province, university = PROVINCE.get(agency.code, (agency.seat or agency.name, "Universitas Negeri"))
    unit = (
        Unit.objects.filter(agency=agency, code__in=["bkpsdm", "bpsdm", "bkd"]).order_by("code").first()
        or Unit.objects.filter(agency=agency, parent__isnull=True).first()
    )
    names = {
        "agency_unit": PROVIDERS["agency_unit"].format(unit=unit.name if unit else agency.name),
        "bpsdm": PROVIDERS["bpsdm"].format(province=province),
        "lan": PROVIDERS["lan"],
        "university": PROVIDERS["university"].format(university=university),
        "private": PROVIDERS["private"].format(seat=agency.seat or agency.name),
    }
    own_bpsdm = agency.kind == "province"
    providers = {}
    for kind, name in names.items():
        owned = kind in ("agency_unit", "private") or (kind == "bpsdm" and own_bpsdm)
        lookup = Q(name=name) & (Q(agency=agency) if owned else Q(agency__isnull=True))
        provider = Provider.objects.filter(lookup).first() or Provider.objects.create(
            name=name, kind=kind, agency=agency if owned else None,
            unit=unit if kind == "agency_unit" else None, accredited=kind in ("bpsdm", "lan"),
        )
        providers[kind] = provider
    return providers


def _place(course, agency, rng):
    seat = agency.seat or agency.name
    if course.provider.kind == ProviderKind.BPSDM:
        return "Kampus %s, %s" % (course.provider.name, seat)
    return rng.choice([
        "Aula BKPSDM, %s" % seat, "Ruang Pelatihan Sekretariat Daerah, %s" % seat,
        "Laboratorium Komputer Diskominfo, %s" % seat if course.category == "it_digital" else "Aula Kantor Bupati/Wali Kota, %s" % seat,
    ])


def _jitter(rng, amount):
    """±10 %, rounded to Rp 50.000: agencies' unit prices differ a little."""
    if not amount:
        return 0
    return int(round(amount * rng.uniform(0.9, 1.1) / 50_000) * 50_000)


def _roman(n):
    return ["I", "II", "III", "IV", "V"][n - 1]


# Review --------------------------------------------------------------------------------------

PRICE_RISE = 1.15  # the live course whose new price waits for review costs this much more


@transaction.atomic
def review_states(*, agency, submitted_by):
    """Put part of ``agency``'s catalogue through the review workflow, as its training admin would.

    The course left as a draft by ``generate_catalogue`` and one more proposed course are submitted
    for review by ``submitted_by`` (a user), a live course's higher price is submitted as an edit
    (its catalogue page keeps the old price until the edit is approved), and a third proposal stays
    a draft the admin is still writing. Returns the titles of the courses now in review; nothing
    happens (an empty list) without a review workflow for courses or when a course of the agency
    has been in one already.
    """
    workflow = Course.get_default_workflow()
    course_type = ContentType.objects.get_for_model(Course)
    ids = [str(pk) for pk in Course.objects.filter(agency=agency).values_list("pk", flat=True)]
    if workflow is None or not ids or WorkflowState.objects.filter(
            base_content_type=course_type, object_id__in=ids).exists():
        return []
    rng = random.Random("%s-review" % agency.code)
    competencies = {c.code: c for c in Competency.objects.filter(active=True)}
    present = set(Course.objects.filter(agency=agency).values_list("code", flat=True))
    proposals = [t for t in COURSES + AGENCY_EXTRAS.get(agency.code, []) if t[0] not in present]
    providers = _providers(agency)
    built = [b for b in (_course(agency, providers, t, competencies, rng, live=False, now=None) for t in proposals[:2]) if b]
    _save_courses([course for course, _chosen in built], built)
    proposed = [course for course, _chosen in built]
    submitted = list(Course.objects.filter(agency=agency, live=False).exclude(pk__in=[c.pk for c in proposed])
                     .order_by("code")) + proposed[:1]
    edited = Course.objects.filter(agency=agency, live=True, cost_per_participant__gt=0).order_by("-jp", "code").first()
    if edited is not None:
        # A live course's edit is a revision only: the catalogue shows the published price until approval.
        edited.cost_per_participant = int(round(edited.cost_per_participant * PRICE_RISE / 50_000) * 50_000)
        submitted.append(edited)
    for course in proposed[1:]:
        course.save_revision(user=submitted_by, log_action=True)
    for course in submitted:
        course.save_revision(user=submitted_by, log_action=True)
        workflow.start(course, submitted_by)
    return sorted(course.title for course in submitted)
