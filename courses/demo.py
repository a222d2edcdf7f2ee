"""Builds the demo catalogue of each agency: providers, 40+ published courses, sessions over six months.

Deterministic per agency (seeded by its code) and relative to ``today``. Sessions go through
``courses.services`` like any other; one session per agency is postponed and one cancelled, so
the calendars show both. An agency that already has courses is left alone.
"""

import datetime
import math
import random
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.search.backends import get_search_backends

from tna.models import Competency, Unit

from . import services
from .demo_data import AGENCY_EXTRAS, COURSES, PATTERNS, PROVIDERS, PROVINCE
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
        (code, (title, title_en), (description, description_en), category, route, mode, jp, cost, fixed,
         (smallest, largest), wanted, provider_kind, pattern) = template
        chosen = [(competencies[c], level) for c, level in wanted if c in competencies]
        if not chosen:
            chosen = [(c, 2) for c in competencies.values() if c.category == category][:1]
        if not chosen:
            continue
        live = index not in skipped
        course = Course(
            agency=agency, provider=providers[provider_kind], code=code, title=title, title_en=title_en,
            description=description, description_en=description_en, category=category, route=route, mode=mode,
            jp=jp, cost_per_participant=_jitter(rng, cost), fixed_cost_per_class=_jitter(rng, fixed),
            min_participants=smallest, max_participants=largest,
            live=live, has_unpublished_changes=not live,
            first_published_at=now if live else None, last_published_at=now if live else None,
        )
        course.pattern = pattern
        (courses if live else drafts).append(course)
        targets.append((course, chosen))
    # Only one course per agency stays a draft awaiting review; the other skipped ones are simply absent.
    drafts = drafts[:1]
    Course.objects.bulk_create(courses + drafts)
    CourseCompetency.objects.bulk_create(
        CourseCompetency(course=course, competency=competency, level=level, sort_order=n)
        for course, chosen in targets if course.pk for n, (competency, level) in enumerate(chosen)
    )
    for draft in drafts:
        draft.save_revision()
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(Course, courses + drafts)

    sessions = []
    for course in courses:
        sessions.extend(_sessions(course, agency, rng, today, closures))
    if len(sessions) > 2:
        services.session_postpone(
            session=sessions[1], reason="Narasumber berhalangan; jadwal baru diumumkan segera (contoh data demo).")
        services.session_cancel(
            session=sessions[2], reason="Peserta terdaftar di bawah jumlah minimum kelas (contoh data demo).")
    return len(courses), len(sessions)


def _sessions(course, agency, rng, today, closures):
    start, end, weekdays = PATTERNS[course.pattern]
    start, end = datetime.time.fromisoformat(start), datetime.time.fromisoformat(end)
    count = _meetings_needed(course.jp, course.pattern)
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
            place=_place(course, agency, rng) if course.mode in ("classroom", "blended") else "",
            online_url=("https://vicon.example.org/%s/%s-%d" % (agency.code, course.code, run + 1))
            if course.mode in ("online", "blended", "self_paced") else "",
            enrollment_opens=opens, enrollment_closes=closes,
        ))
    return created


def _meetings_needed(jp, pattern):
    """Meetings for ``jp`` lesson hours: 8 JP a training day, 2-hour or 3-hour slots, two webinars."""
    if pattern == "selfpaced":
        return 2
    minutes_per_meeting = {"block": 8 * 45, "weekly": 120, "online": 180}[pattern]
    return max(1, math.ceil(jp * 45 / minutes_per_meeting))


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
