"""Reads for the people's mentoring pages: a person's pairs with their progress, the programmes open to them,
their offers and applications, and their levels in the latest TNA — in a constant number of queries.

Levels are read from the agency's latest cycle with TNA results, the cycle the matcher works on
(docs/mentoring.md#inputs), so what the page says a person may offer is what the matcher will use.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from tna.models import CompetencyGap
from tna.selectors import cycles_with_results

from ..models import CreditSource, JpCredit
from ..models.mentoring import (
    MentoringApplication,
    MentoringPair,
    MentoringProgramme,
    MentoringSession,
    MentorOffer,
)
from .career import today_of

Status = MentoringPair.Status
#: Pairs a person lists: the vetoed ones are HR's business.
LISTED = (Status.ACTIVE, Status.PROPOSED, Status.COMPLETED, Status.ENDED)
#: A need is served while a pair of it is proposed or active (the model's one-mentor-per-need rule).
OPEN_PAIR = (Status.PROPOSED, Status.ACTIVE)
STATUS_ORDER = Case(*(When(status=s, then=Value(i)) for i, s in enumerate(LISTED)), default=Value(len(LISTED)),
                    output_field=IntegerField())


def confirmed_sessions_q(prefix=""):
    """A session counts once held and confirmed by both sides (``MentoringSession.confirmed``)."""
    return Q(**{prefix + "status": MentoringSession.Status.HELD, prefix + "mentor_confirmed_at__isnull": False,
                prefix + "mentee_confirmed_at__isnull": False})


def with_progress(pairs, *, now=None):
    """``pairs`` annotated with ``confirmed_sessions``, ``confirmed_minutes``, ``jp_done`` (the mentee's
    mentoring JP of the pair in the ledger), ``next_session_at`` and ``next_session_id`` (the earliest
    planned session not over yet, or None)."""
    now = now or timezone.now()
    upcoming = (MentoringSession.objects.filter(pair=OuterRef("pk"), status=MentoringSession.Status.PLANNED,
                                                ends_at__gte=now).order_by("starts_at", "pk"))
    jp = (JpCredit.objects.filter(mentoring_pair=OuterRef("pk"), employee=OuterRef("mentee_id"),
                                  source=CreditSource.MENTORING)
          .order_by().values("mentoring_pair").annotate(total=Sum("jp")).values("total"))
    confirmed = confirmed_sessions_q("sessions__")
    return pairs.annotate(
        confirmed_sessions=Count("sessions", filter=confirmed),
        confirmed_minutes=Coalesce(Sum("sessions__minutes", filter=confirmed), 0),
        jp_done=Coalesce(Subquery(jp), 0),
        next_session_at=Subquery(upcoming.values("starts_at")[:1]),
        next_session_id=Subquery(upcoming.values("pk")[:1]),
    )


def pairs_of(employee, *, now=None):
    """The pairs ``employee`` is the mentor or the mentee of (vetoed ones left out), active first, with
    progress (``with_progress``), people, programme and competency loaded and the feedback prefetched."""
    pairs = (MentoringPair.objects.filter(Q(mentor=employee) | Q(mentee=employee), status__in=LISTED)
             .select_related("programme__agency", "competency", "mentor__position", "mentor__unit",
                             "mentee__position", "mentee__unit")
             .prefetch_related("feedback"))
    return with_progress(pairs, now=now).annotate(status_order=STATUS_ORDER).order_by(
        "status_order", "-programme__starts_on", "competency__code", "pk")


def pair_detail(pair_id, *, now=None):
    """One pair with everything its page shows (``pairs_of``'s loads and annotations); None if it does not exist."""
    pairs = (MentoringPair.objects.filter(pk=pair_id)
             .select_related("programme__agency", "competency", "mentor__position", "mentor__unit",
                             "mentee__position", "mentee__unit")
             .prefetch_related("feedback", "competency__levels"))
    return with_progress(pairs, now=now).first()


def latest_cycles(agency):
    """The agency's cycles with TNA results, newest first (the first is the matcher's default)."""
    return cycles_with_results(CompetencyGap.objects.filter(agency=agency))


def tna_levels(employee, competency_ids=None):
    """(cycle, {competency id: CompetencyGap}) of ``employee`` in their agency's latest cycle with results.

    ``cycle`` is None when the agency has no results; a competency without a row for the person is
    missing from the dict. One query.
    """
    latest = latest_cycles(employee.agency_id).values("pk")[:1]
    gaps = CompetencyGap.objects.filter(employee=employee, cycle_id=Subquery(latest)).select_related("cycle")
    if competency_ids is not None:
        gaps = gaps.filter(competency_id__in=list(competency_ids))
    rows = {gap.competency_id: gap for gap in gaps}
    cycle = next(iter(rows.values())).cycle if rows else latest_cycles(employee.agency_id).first()
    return cycle, rows


def open_programmes(agency, *, today):
    """The agency's programmes running today or starting later, soonest first, competencies prefetched."""
    return (MentoringProgramme.objects.filter(agency=agency, ends_on__gte=today)
            .prefetch_related("competencies").order_by("starts_on", "name", "pk"))


def offers_of(employee):
    """The person's offers as a mentor, with programme and competencies."""
    return (MentorOffer.objects.filter(mentor=employee).select_related("programme")
            .prefetch_related("competencies").order_by("-programme__starts_on", "pk"))


def applications_of(employee):
    """The person's applications for a mentor (withdrawn ones left out), newest first."""
    return (MentoringApplication.objects.filter(employee=employee)
            .exclude(status=MentoringApplication.Status.WITHDRAWN)
            .select_related("programme", "competency").order_by("-created_at", "-pk"))


# --- the "My mentoring" page --------------------------------------------------------------------

@dataclass
class CompetencyChoice:
    """One competency of an open programme as the person stands in it."""

    competency: object
    gap: object = None  # the CompetencyGap of the latest cycle, or None
    application: object = None  # their open or matched application, or None
    paired: bool = False  # a proposed or active pair serves it already
    offered: bool = False  # they offer it as a mentor in this programme
    can_mentor: bool = False  # observed level at least the programme's lowest mentor level

    @property
    def observed(self):
        return self.gap.observed_level if self.gap is not None else None

    @property
    def has_gap(self):
        return self.gap is not None and self.gap.gap >= 1

    @property
    def can_apply(self):
        return self.application is None and not self.paired


@dataclass
class ProgrammeChoice:
    """An open programme: its competencies as the person stands in them, and their offer in it."""

    programme: object
    started: bool
    competencies: list = field(default_factory=list)
    offer: object = None

    @property
    def needs(self):
        """Competencies in which the TNA found a gap of 1 or more."""
        return [c for c in self.competencies if c.has_gap]

    @property
    def may_mentor(self):
        return [c for c in self.competencies if c.can_mentor]

    @property
    def may_apply(self):
        return any(c.can_apply for c in self.competencies)


@dataclass
class Overview:
    """Everything "My mentoring" shows: pairs by role, open programmes, offers and applications."""

    as_mentee: list
    as_mentor: list
    programmes: list
    offers: list
    applications: list
    cycle: object
    today: object

    @property
    def empty(self):
        return not (self.as_mentee or self.as_mentor or self.offers or self.applications)


def overview(employee, *, now=None):
    """The ``Overview`` of ``employee`` (an Employee with its agency), in a constant number of queries."""
    now = now or timezone.now()
    today = today_of(employee.agency)
    pairs = list(pairs_of(employee, now=now))
    programmes = list(open_programmes(employee.agency, today=today))
    offers = list(offers_of(employee))
    applications = list(applications_of(employee))
    cycle, gaps = tna_levels(employee)

    offer_by_programme = {offer.programme_id: offer for offer in offers}
    application_by_need = {(a.programme_id, a.competency_id): a for a in applications}
    served = {(p.programme_id, p.competency_id) for p in pairs if p.mentee_id == employee.pk and p.status in OPEN_PAIR}
    choices = []
    for programme in programmes:
        offer = offer_by_programme.get(programme.pk)
        offered = {c.pk for c in offer.competencies.all()} if offer else set()
        choice = ProgrammeChoice(programme=programme, started=programme.starts_on <= today, offer=offer)
        for competency in sorted(programme.competencies.all(), key=lambda c: (c.sort_order, c.code)):
            gap = gaps.get(competency.pk)
            observed = gap.observed_level if gap is not None else None
            choice.competencies.append(CompetencyChoice(
                competency=competency, gap=gap, application=application_by_need.get((programme.pk, competency.pk)),
                paired=(programme.pk, competency.pk) in served, offered=competency.pk in offered,
                can_mentor=observed is not None and observed >= programme.min_mentor_level))
        choices.append(choice)
    return Overview(
        as_mentee=[p for p in pairs if p.mentee_id == employee.pk],
        as_mentor=[p for p in pairs if p.mentor_id == employee.pk],
        programmes=choices, offers=offers, applications=applications, cycle=cycle, today=today)


def home_mentoring(employee, *, now=None, limit=3):
    """What the ASN's home shows of mentoring: their active pairs (``with_progress``), and per pair the
    sessions logged by the other side that wait for their confirmation (``to_confirm``); two queries."""
    pairs = list(with_progress(MentoringPair.objects.filter(Q(mentor=employee) | Q(mentee=employee),
                                                            status=MentoringPair.Status.ACTIVE)
                               .select_related("competency", "mentor", "mentee"), now=now)
                 .order_by("next_session_at", "pk")[:limit])
    waiting = dict(MentoringSession.objects.filter(pair__in=pairs, status=MentoringSession.Status.HELD)
                   .filter(Q(pair__mentor=employee, mentor_confirmed_at__isnull=True)
                           | Q(pair__mentee=employee, mentee_confirmed_at__isnull=True))
                   .values("pair").annotate(n=Count("pk")).values_list("pair", "n")) if pairs else {}
    for pair in pairs:
        pair.to_confirm = waiting.get(pair.pk, 0)
        pair.me_mentor = pair.mentor_id == employee.pk
        pair.other = pair.mentee if pair.me_mentor else pair.mentor
    return pairs
