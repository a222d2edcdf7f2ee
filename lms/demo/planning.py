"""The demo agency's year in money and time: envelopes, a plan awaiting approval, a greedy draft, a scheduling run.

Written by the demo planner through ``lms.services.budget`` and ``lms.services.scheduling`` at the
moments a planner would have (``clock.replay``): the envelopes when the regional budget (DPA) was
set, the optimised plan drawn and submitted last week, a greedy draft with a fifth less money
to compare it with since, and yesterday a draft timetable for the next quarter. Amounts are
whole rupiah.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from tna.models import Unit

from ..budget.accounts import LEADERSHIP, SOCIALISATION, TECHNICAL_GUIDANCE, TRAINING
from ..models import Envelope, PlanMethod, ScheduleRun, TrainingPlan
from ..services.budget import budget_params, envelope_set, plan_budget, plan_submit
from ..services.scheduling import schedule_run
from .clock import replay

DAY = datetime.timedelta(days=1)

#: The agency's own envelopes: (account, rupiah, note). The training account pays for every route
#: its sub-accounts do not cover (docs/domain.md#budget-accounts).
AGENCY_ENVELOPES = [
    (TRAINING, 250_000_000, "Pagu diklat BKPSDM (DPA)"),
    (LEADERSHIP, 75_000_000, "Pelatihan kepemimpinan pengawas dan administrator"),
    (TECHNICAL_GUIDANCE, 60_000_000, "Bimbingan teknis perangkat daerah"),
    (SOCIALISATION, 15_000_000, "Sosialisasi regulasi kepegawaian"),
]
#: Units that budget training of their own staff: (unit codes to try, account, rupiah, note).
UNIT_ENVELOPES = [
    (("dinkes",), TRAINING, 40_000_000, "Peningkatan kompetensi tenaga kesehatan"),
    (("disdikbud", "disdik"), TRAINING, 30_000_000, "Peningkatan kompetensi guru"),
    (("disdukcapil",), TECHNICAL_GUIDANCE, 10_000_000, "Bimtek layanan adminduk"),
]
WHAT_IF = 0.8  # the draft plans with a fifth less money on every envelope
PLAN_SECONDS = 3.0  # the optimiser's time limit here: a demo need not wait for the last 0.2 % of value
SCHEDULE_WEEKS = (4, 16)  # the scheduling run's period, in weeks from today


@dataclass
class PlanningSummary:
    """What ``demo_planning`` wrote (zeros and None where it had been written before)."""

    envelopes: int = 0
    budget: int = 0  # rupiah over the envelopes written
    plans: int = 0
    submitted: TrainingPlan | None = None
    schedule: ScheduleRun | None = None


def demo_planning(*, agency, cycle, planner, today=None):
    """Envelopes for this fiscal year, two plans and a scheduling run of ``agency`` by ``planner`` (an Employee).

    Each part is written once: envelopes when the year has none, plans when it has none, the
    scheduling run when the agency has none. Plans rest on ``cycle``'s recommendations, so run
    this after them.
    """
    today = today or timezone.localdate(timezone=ZoneInfo(agency.time_zone))
    tz = ZoneInfo(agency.time_zone)
    user, year = planner.user, today.year
    summary = PlanningSummary()

    def at(days_ago, hour, minute=0):
        return datetime.datetime.combine(today - days_ago * DAY, datetime.time(hour, minute), tzinfo=tz)

    with transaction.atomic(), replay() as clock:
        if not Envelope.objects.filter(agency=agency, fiscal_year=year).exists():
            clock.set(at(45, 10))
            for account, amount, note in AGENCY_ENVELOPES:
                envelope_set(agency=agency, fiscal_year=year, account=account, amount=amount, user=user, note=note)
                summary.envelopes, summary.budget = summary.envelopes + 1, summary.budget + amount
            for codes, account, amount, note in UNIT_ENVELOPES:
                unit = Unit.objects.filter(agency=agency, code__in=codes, parent__isnull=True).order_by("code").first()
                if unit is not None:
                    envelope_set(agency=agency, unit=unit, fiscal_year=year, account=account, amount=amount,
                                 user=user, note=note)
                    summary.envelopes, summary.budget = summary.envelopes + 1, summary.budget + amount
        if not TrainingPlan.objects.of_year(agency, year).exists():
            params = budget_params(time_limit=PLAN_SECONDS)
            clock.set(at(6, 9, 30))
            plan = plan_budget(agency=agency, fiscal_year=year, user=user, cycle=cycle, params=params,
                               method=PlanMethod.OPTIMISED)
            clock.set(at(5, 14))
            summary.submitted = plan_submit(plan=plan, user=user,
                                            note="Diajukan kepada Sekretaris Daerah untuk persetujuan.")
            clock.set(at(2, 10, 15))
            plan_budget(agency=agency, fiscal_year=year, user=user, cycle=cycle, params=params, factor=WHAT_IF,
                        method=PlanMethod.GREEDY)
            summary.plans = 2
        if not ScheduleRun.objects.filter(agency=agency).exists():
            clock.set(at(1, 16))
            first, last = (today + datetime.timedelta(weeks=w) for w in SCHEDULE_WEEKS)
            summary.schedule = schedule_run(agency=agency, first_day=first, last_day=last, user=user, cycle=cycle,
                                            method="greedy")
    return summary
