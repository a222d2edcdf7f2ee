"""Development plans from the 9-box: each placed person's actions for the cycle, written in bulk.

``development_plan_write`` turns an agency's placements of a cycle (``tna.models.TalentPlacement``)
into ``DevelopmentItem`` rows: the actions of each person's box (``tna.talent.boxes.box_actions``: ``LATIH_TALENT_BOX_ACTIONS`` or the defaults),
upserted by (cycle, employee, action). Leadership training gets the course of the programme
that fits the person (``tna.talent.ladder.leadership_programme_for``, given the programmes their
JP ledger shows completed) and, with coaching in the leadership boxes 7–9, the priority the
agency gives leadership development (``TalentPolicy.leadership_priority``). lms calls it when tna
sends ``talent_placed`` (``lms.signals.on_talent_placed``); the recommender and the budget plan
then favour those courses with that priority (docs/recommendations.md, docs/budget.md).
"""

import dataclasses
import logging
from collections import defaultdict
from time import perf_counter

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.models import Course
from tna.infra.bulk.mode import bulk_write_mode
from tna.infra.bulk.rows import db_now, insert_rows
from tna.models import Cycle, TalentPlacement, TalentPolicy
from tna.talent.boxes import BOXES, LEADERSHIP_BOXES, DevelopmentAction, box_actions
from tna.talent.ladder import LeadershipProgramme, leadership_programme_for

from ..models import DevelopmentItem, DevelopmentSource, DevelopmentStatus, JpCredit

logger = logging.getLogger("latih.lms")

LEADERSHIP = DevelopmentAction.LEADERSHIP_TRAINING.value
COACHING = DevelopmentAction.COACHING.value
INSERT_FIELDS = ("cycle", "employee", "action", "source", "box", "course", "priority", "status", "note",
                 "created_at", "updated_at")
# Ids per UPDATE or DELETE (below SQLite's oldest limit of 999 parameters).
ID_CHUNK = 900


@dataclasses.dataclass
class DevelopmentSummary:
    """What one write did: items created, updated, deleted and left alone, and leadership courses."""

    cycle: int
    agency: str
    placements: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    # Supervisors' items, and items under way or done that the new box no longer implies.
    kept: int = 0
    # Leadership-training items of the placed people with a course, and without one (none published).
    with_course: int = 0
    without_course: int = 0
    # Whether a leadership course or its priority changed: the cycle's recommendations are then stale.
    leadership_changed: bool = False
    seconds: float = 0.0

    def as_dict(self):
        return dataclasses.asdict(self)


def leadership_priority(agency):
    """The agency's ``TalentPolicy.leadership_priority``, or the model's default without a policy."""
    stored = TalentPolicy.objects.filter(agency=agency).values_list("leadership_priority", flat=True).first()
    return stored if stored is not None else TalentPolicy._meta.get_field("leadership_priority").default


def completed_programmes(*, cycle, agency):
    """{employee id: frozenset of leadership programme codes} their JP ledger shows completed, for
    the people placed in ``cycle`` by ``agency``."""
    placed = TalentPlacement.objects.filter(cycle=cycle, agency=agency).values("employee_id")
    done = {}
    for employee, programme in (JpCredit.objects.filter(employee_id__in=placed)
                                .exclude(course__isnull=True).exclude(course__leadership_programme="")
                                .order_by().values_list("employee_id", "course__leadership_programme").distinct()):
        done.setdefault(employee, set()).add(programme)
    return {employee: frozenset(programmes) for employee, programmes in done.items()}


def programme_courses(agency):
    """{programme code: course id}: for each leadership programme the published course to send people
    to, from ``agency``'s own catalogue first, then any agency's; the cheapest (cost per participant
    plus a full class's share of the fixed cost), then the lowest id."""
    rows = Course.objects.live().exclude(leadership_programme="").order_by().values_list(
        "pk", "agency_id", "leadership_programme", "cost_per_participant", "fixed_cost_per_class", "max_participants")
    best = {}
    for pk, owner, programme, per_participant, fixed, size in rows:
        key = (owner != agency.pk, per_participant + fixed / max(size or 1, 1), pk)
        if programme not in best or key < best[programme][0]:
            best[programme] = (key, pk)
    return {programme: pk for programme, (_key, pk) in best.items()}


def _missing_notes():
    """The note of a leadership item without a course, per programme (None: no programme fits), in
    the site's language (it is stored)."""
    with translation.override(django_settings.LANGUAGE_CODE):
        notes = {programme: _("No published course of the leadership programme %(programme)s yet; the plan "
                              "needs one.") % {"programme": label}
                 for programme, label in LeadershipProgramme.choices}
        notes[None] = _("No leadership programme above the person's position is left to take.")
    return notes


def development_plan_write(*, cycle, agency):
    """Write the development plans of everyone ``agency`` placed in the 9-box of ``cycle``; returns a
    ``DevelopmentSummary``.

    In one transaction and in bulk (no query per person): each placement's box gives its actions
    (``box_actions``); an item that exists keeps its status; a planned item the box no longer
    implies is deleted, one under way, done or dropped stays; a supervisor's item is never
    touched. Leadership training names the course of the programme that fits (none: the item
    says which programme is missing); its priority, and coaching's in boxes 7–9, is the agency's
    leadership priority; other items have priority 0. The course and note of a leadership item are
    refreshed only while it is planned.
    """
    started = perf_counter()
    summary = DevelopmentSummary(cycle=cycle.year, agency=agency.code)
    priority = leadership_priority(agency)
    placements = list(TalentPlacement.objects.filter(cycle=cycle, agency=agency).order_by()
                      .values_list("employee_id", "box", "job_type"))
    summary.placements = len(placements)
    completed = completed_programmes(cycle=cycle, agency=agency)
    courses = programme_courses(agency)
    notes = _missing_notes()

    # (employee, action) → (box, priority, course id, note) the placement asks for.
    wanted = {}
    programme_of = {}  # (job type, completed) → programme: a handful of combinations
    nothing = frozenset()
    actions_of = {box: [action.value for action in box_actions(box)] for box in BOXES}
    for employee, box, job_type in placements:
        leadership_box = box in LEADERSHIP_BOXES
        for action in actions_of.get(box, ()):
            if action == LEADERSHIP:
                key = (job_type, completed.get(employee, nothing))
                if key not in programme_of:
                    programme_of[key] = leadership_programme_for(job_type, key[1])
                programme = programme_of[key]
                course = courses.get(programme) if programme else None
                wanted[(employee, action)] = (box, priority, course, "" if course else notes[programme])
            elif action == COACHING and leadership_box:
                wanted[(employee, action)] = (box, priority, None, "")
            else:
                wanted[(employee, action)] = (box, 0, None, "")

    now, stamp = db_now(), timezone.now()
    # The values are known valid (actions of the checked box table, boxes 1–9, priorities 0–100): SQLite need
    # not evaluate the CHECK constraints row by row.
    with bulk_write_mode(ignore_check_constraints=True), transaction.atomic():
        # Writes of one cycle take turns with each other and with the cycle's other bulk writers.
        list(Cycle.objects.select_for_update().filter(pk=cycle.pk).values_list("pk"))
        placed = TalentPlacement.objects.filter(cycle=cycle, agency=agency).values("employee_id")
        existing = (DevelopmentItem.objects.filter(Q(employee__agency=agency) | Q(employee_id__in=placed), cycle=cycle)
                    .order_by().values_list("pk", "employee_id", "action", "source", "status", "box", "priority",
                                            "course_id", "note"))
        # Changed items grouped by their new values: one UPDATE per group (and chunk of ids), not per
        # item; course and note only where they change (an UPDATE naming the course FK costs more).
        updates, deletes = defaultdict(list), []
        changed = False
        for pk, employee, action, source, status, box, old_priority, course, note in existing.iterator(chunk_size=20_000):
            want = wanted.pop((employee, action), None)
            if source != DevelopmentSource.TALENT:
                summary.kept += 1  # a supervisor's item: never touched, and not doubled
                continue
            if want is None:
                if status == DevelopmentStatus.PLANNED:
                    deletes.append(pk)
                    changed |= action == LEADERSHIP and course is not None
                else:
                    summary.kept += 1
                continue
            new_box, new_priority, new_course, new_note = want
            if action != LEADERSHIP or status != DevelopmentStatus.PLANNED:
                new_course, new_note = course, note  # under way, done or dropped: what it was about stays
            if (new_course, new_note) != (course, note):
                updates[(new_box, new_priority, new_course, new_note)].append(pk)
            elif (new_box, new_priority) != (box, old_priority):
                updates[(new_box, new_priority)].append(pk)
            else:
                continue
            changed |= action == LEADERSHIP and (
                new_course != course or (new_course is not None and new_priority != old_priority))
        for start in range(0, len(deletes), ID_CHUNK):
            # No model points at an item and none has delete signals: one DELETE per chunk.
            DevelopmentItem.objects.filter(pk__in=deletes[start:start + ID_CHUNK]).delete()
        for values, pks in updates.items():
            fields = dict(zip(("box", "priority", "course_id", "note"), values, strict=False), updated_at=stamp)
            for start in range(0, len(pks), ID_CHUNK):
                DevelopmentItem.objects.filter(pk__in=pks[start:start + ID_CHUNK]).update(**fields)
        # In the unique index's order, so the inserts append to its B-tree.
        cycle_id, talent, planned = cycle.pk, DevelopmentSource.TALENT.value, DevelopmentStatus.PLANNED.value
        fresh = [(cycle_id, employee, action, talent, box, course, item_priority, planned, note, now, now)
                 for (employee, action), (box, item_priority, course, note) in sorted(wanted.items())]
        insert_rows(DevelopmentItem, INSERT_FIELDS, fresh)
        changed |= any(row[2] == LEADERSHIP and row[5] is not None for row in fresh)
    summary.created, summary.updated, summary.deleted = len(fresh), sum(map(len, updates.values())), len(deletes)
    summary.leadership_changed = changed
    leadership = DevelopmentItem.objects.filter(cycle=cycle, employee_id__in=placed, action=LEADERSHIP,
                                                source=DevelopmentSource.TALENT)
    summary.with_course = leadership.filter(course__isnull=False).count()
    summary.without_course = leadership.filter(course__isnull=True).count()
    summary.seconds = round(perf_counter() - started, 3)
    logger.info("Development plans %s %s: %s", cycle.year, agency.code, summary.as_dict())
    return summary
