"""JP for mentoring: a pair's sessions confirmed by both sides, credited on route NKL02 (Mentoring).

One ``JpCredit`` (source mentoring) per person, pair and calendar year of the sessions, in the
agency's time zone: JP = the year's confirmed minutes // ``LATIH_JP_MINUTES`` (45). The mentee is
always credited; the mentor too where the programme says so (``credit_mentor``). The credit is
topped up as sessions are confirmed and rewritten whole on each refresh, so it always matches the
confirmed sessions; it counts towards the 20 JP a year and goes to the national record like any
completed training.
"""

from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tna.conf import settings as tna_settings
from tna.infra.formats import localized

from ..models.ledger import CreditSource, JpCredit
from ..models.mentoring import MentoringPair, MentoringSession

#: The development route of mentoring (PerLAN 10/2018; ``lms.national.ROUTE_NAMES``).
ROUTE = "NKL02"
TITLE_LENGTH = 200  # JpCredit.title


def confirmed_minutes_by_year(pair, tz) -> dict[int, tuple[int, object, object]]:
    """Year → (minutes, first day, last day) of ``pair``'s sessions confirmed by both sides."""
    years = defaultdict(lambda: [0, None, None])
    rows = (MentoringSession.objects
            .filter(pair=pair, status=MentoringSession.Status.HELD, mentor_confirmed_at__isnull=False,
                    mentee_confirmed_at__isnull=False)
            .order_by("starts_at").values_list("starts_at", "minutes"))
    for starts_at, minutes in rows:
        day = timezone.localtime(starts_at, tz).date()
        entry = years[day.year]
        entry[0] += minutes
        entry[1] = entry[1] or day
        entry[2] = day
    return {year: tuple(entry) for year, entry in years.items()}


def _titles(pair):
    """The stored titles (mentee's, mentor's), in the site's default language like every stored record."""
    with translation.override(django_settings.LANGUAGE_CODE):
        context = {"programme": pair.programme.name, "competency": localized(pair.competency, "name")}
        return (_("Mentoring: %(programme)s — %(competency)s") % context)[:TITLE_LENGTH], \
            (_("Mentoring (as mentor): %(programme)s — %(competency)s") % context)[:TITLE_LENGTH]


def credit_write(credit, values, **keys):
    """``credit`` (a JpCredit, or None to create one with ``keys``) holding ``values``; saved only when a
    value changed. The write of the credits kept in step with their activity (mentoring, coaching)."""
    if credit is None:
        return JpCredit.objects.create(**keys, **values)
    if any(getattr(credit, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(credit, name, value)
        credit.save(update_fields=list(values))
    return credit


def mentoring_credit_refresh(*, pair) -> list[JpCredit]:
    """Write ``pair``'s JP credits from its confirmed sessions and return them (oldest year first).

    Creates a credit for each person and year with at least one JP, updates those that changed,
    and deletes those left with none (a year whose sessions no longer add up to a JP, or the
    mentor's once the programme stops crediting mentors).
    """
    with transaction.atomic():
        pair = (MentoringPair.objects.select_for_update(of=("self",))
                .select_related("programme__agency", "competency").get(pk=pair.pk))
        agency = pair.programme.agency
        years = confirmed_minutes_by_year(pair, ZoneInfo(agency.time_zone))
        mentee_title, mentor_title = _titles(pair)
        people = [(pair.mentee_id, mentee_title)]
        if pair.programme.credit_mentor:
            people.append((pair.mentor_id, mentor_title))
        existing = {(c.employee_id, c.year): c
                    for c in JpCredit.objects.select_for_update().filter(source=CreditSource.MENTORING,
                                                                         mentoring_pair=pair)}
        credits = []
        for employee_id, title in people:
            for year, (minutes, first, last) in sorted(years.items()):
                jp = minutes // tna_settings.JP_MINUTES
                if jp < 1:
                    continue
                values = {"jp": jp, "title": title, "competency_type": pair.competency.group, "route": ROUTE,
                          "provider": agency.name[:200], "start_date": first, "end_date": last}
                credits.append(credit_write(existing.pop((employee_id, year), None), values,
                                            employee_id=employee_id, source=CreditSource.MENTORING,
                                            mentoring_pair=pair, year=year))
        if existing:
            JpCredit.objects.filter(pk__in=[c.pk for c in existing.values()]).delete()
    return sorted(credits, key=lambda c: (c.year, c.employee_id != pair.mentee_id))
