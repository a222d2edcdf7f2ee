"""Evidence entered by people themselves: the "Penilaian saya" hub, rating forms, peer lists, the survey."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..forms import AppraisalForm, CompetencyLevelsForm, PeerAssignmentForm, SurveyForm
from ..models import (
    Appraisal,
    Competency,
    Cycle,
    Employee,
    PeerAssignment,
    RaterRole,
    Rating,
    RequiredLevel,
    SurveyResponse,
)
from ..models.evidence import PREDIKAT, ExpectationRating
from ..roles import employee_of
from ..services.evidence import (
    PEERS_MAX,
    PEERS_MIN,
    appraisal_submit,
    may_assign_peers,
    peer_assignments_set,
    rater_role_for,
    rating_submit,
    required_competencies,
    survey_submit,
)

PREDIKAT_ORDER = ["below", "meets", "above"]


@dataclass
class Task:
    """One thing the signed-in person still has to do (or has done) in a cycle."""

    title: str
    url: str
    done: bool
    details: list = field(default_factory=list)


@dataclass
class TaskGroup:
    """Tasks shown under one heading of the hub."""

    title: str
    tasks: list


def current_cycle():
    """The newest open cycle, else the newest cycle (read-only), else None."""
    return Cycle.objects.order_by("-is_open", "-year").first()


def evidence_tasks(me, cycle):
    """The person's own tasks for ``cycle``, grouped for the hub, in a fixed number of queries."""
    reports = list(Employee.objects.active().filter(supervisor=me).select_related("position"))
    supervisor = me.supervisor if me.supervisor_id and me.supervisor.active else None
    related_ids = {me.pk, *(r.pk for r in reports), *([supervisor.pk] if supervisor else [])}
    peers = [
        a.ratee for a in PeerAssignment.objects.filter(cycle=cycle, rater=me, ratee__active=True)
        .exclude(ratee__in=related_ids).select_related("ratee__position").order_by("ratee__name")
    ]
    ratees = [me, *reports, *peers, *([supervisor] if supervisor else [])]
    required = dict(
        RequiredLevel.objects.filter(position__in={p.position_id for p in ratees}, competency__active=True)
        .values("position").annotate(n=Count("pk")).values_list("position", "n")
    )
    rated = dict(
        Rating.objects.filter(
            cycle=cycle, rater=me, ratee__in=ratees, competency__active=True,
            competency__required_levels__position=F("ratee__position"),
        ).values("ratee").annotate(n=Count("pk")).values_list("ratee", "n")
    )
    appraised = set(Appraisal.objects.filter(cycle=cycle, employee__in=reports).values_list("employee", flat=True))
    peer_counts = dict(
        PeerAssignment.objects.filter(cycle=cycle, ratee__in=reports)
        .values("ratee").annotate(n=Count("pk")).values_list("ratee", "n")
    )
    surveyed = SurveyResponse.objects.filter(cycle=cycle, employee=me).exists()

    def rating(person, title, url_name, *extra):
        needed, done = required.get(person.position_id, 0), rated.get(person.pk, 0)
        details = [_("Competencies rated: %(done)s of %(needed)s") % {"done": min(done, needed), "needed": needed}]
        url = reverse("tna:" + url_name, args=[cycle.year, *extra])
        return Task(title, url, done >= needed > 0, details)

    own = [
        rating(me, _("Self-assessment"), "evidence_self"),
        Task(_("Training-needs survey"), reverse("tna:evidence_survey", args=[cycle.year]), surveyed),
    ]
    team = []
    for report in reports:
        task = rating(report, _("Rate and appraise %(name)s") % {"name": report.name}, "evidence_report", report.nip)
        task.details.append(_("SKP appraisal: done") if report.pk in appraised else _("SKP appraisal: not yet"))
        task.done = task.done and report.pk in appraised
        team.append(task)
        chosen = peer_counts.get(report.pk, 0)
        team.append(Task(
            _("Choose peers for %(name)s") % {"name": report.name},
            reverse("tna:evidence_peers", args=[cycle.year, report.nip]),
            chosen >= PEERS_MIN, [_("Peers chosen: %(n)s") % {"n": chosen}],
        ))
    colleagues = [
        rating(peer, _("Rate %(name)s (peer)") % {"name": peer.name}, "evidence_colleague", peer.nip) for peer in peers
    ]
    if supervisor:
        colleagues.append(rating(
            supervisor, _("Rate %(name)s (your supervisor)") % {"name": supervisor.name},
            "evidence_colleague", supervisor.nip,
        ))
    groups = [TaskGroup(_("Your own"), own), TaskGroup(_("Your team"), team), TaskGroup(_("Colleagues"), colleagues)]
    return [group for group in groups if group.tasks]


def _me(request):
    me = employee_of(request.user)
    if me is None or not me.active:
        raise Http404(_("Your account is not linked to an active employee."))
    return me


def _cycle(year):
    return get_object_or_404(Cycle, year=year)


def _colleague(nip):
    return get_object_or_404(Employee.objects.select_related("position", "unit"), nip=nip, active=True)


def _hub_url(cycle):
    return reverse("tna:evidence_cycle", args=[cycle.year])


def _refuse_closed(request, cycle):
    messages.error(request, _("Cycle %(year)s is closed; its answers can only be read.") % {"year": cycle.year})
    return redirect(request.path)


@login_required
def evidence_hub(request, year=None):
    """What the signed-in person still has to enter for a cycle, with done/pending status."""
    me = employee_of(request.user)
    cycle = _cycle(year) if year is not None else current_cycle()
    context = {
        "me": me, "cycle": cycle,
        "cycles": Cycle.objects.order_by("-year")[:10],
        "groups": evidence_tasks(me, cycle) if me and me.active and cycle else [],
    }
    return render(request, "tna/entry/hub.html", context)


def _levels_form(request, *, cycle, rater, ratee):
    competencies = required_competencies(ratee).prefetch_related("levels")
    # Only this rater's own answers are loaded: nobody sees what other raters said.
    initial = {
        CompetencyLevelsForm.field_name(competency_id): level
        for competency_id, level in Rating.objects.filter(cycle=cycle, rater=rater, ratee=ratee)
        .values_list("competency_id", "level")
    }
    data = request.POST if request.method == "POST" and cycle.is_open else None
    return CompetencyLevelsForm(data, competencies=competencies, initial=initial, read_only=not cycle.is_open)


def _rating_page(request, *, cycle, rater, ratee, role, title, success):
    """Show and save the competency ratings of ``ratee`` by ``rater`` (not the appraisal)."""
    form = _levels_form(request, cycle=cycle, rater=rater, ratee=ratee)
    if request.method == "POST":
        if not cycle.is_open:
            return _refuse_closed(request, cycle)
        if form.is_valid():
            try:
                rating_submit(cycle=cycle, rater=rater, ratee=ratee, levels=form.levels())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, success)
                return redirect(_hub_url(cycle))
    context = {"cycle": cycle, "ratee": ratee, "role": role, "title": title, "form": form}
    return render(request, "tna/entry/rate.html", context)


@login_required
def evidence_self(request, year):
    """Self-assessment against the dictionary's level descriptors."""
    me, cycle = _me(request), _cycle(year)
    return _rating_page(
        request, cycle=cycle, rater=me, ratee=me, role=RaterRole.SELF, title=_("Self-assessment"),
        success=_("Your self-assessment has been saved."),
    )


@login_required
def evidence_colleague(request, year, nip):
    """Rating an assigned peer, or one's own supervisor (upward feedback)."""
    me, cycle, ratee = _me(request), _cycle(year), _colleague(nip)
    role = rater_role_for(cycle=cycle, rater=me, ratee=ratee)
    if role not in (RaterRole.PEER, RaterRole.SUBORDINATE):
        raise Http404(_("You are not asked to rate this person."))
    return _rating_page(
        request, cycle=cycle, rater=me, ratee=ratee, role=role, title=_("Rate %(name)s") % {"name": ratee.name},
        success=_("Your rating of %(name)s has been saved.") % {"name": ratee.name},
    )


@login_required
def evidence_report(request, year, nip):
    """A supervisor rates a direct report's competencies and gives the SKP appraisal."""
    me, cycle, ratee = _me(request), _cycle(year), _colleague(nip)
    if ratee.supervisor_id != me.pk:
        raise Http404(_("This person does not report to you."))
    form = _levels_form(request, cycle=cycle, rater=me, ratee=ratee)
    appraisal = Appraisal.objects.filter(cycle=cycle, employee=ratee).first()
    initial = {}
    if appraisal:
        initial = {f: getattr(appraisal, f) for f in ("results", "behaviour", "discipline", "quality", "innovation")}
    data = request.POST if request.method == "POST" and cycle.is_open else None
    appraisal_form = AppraisalForm(data, initial=initial, read_only=not cycle.is_open)
    if request.method == "POST":
        if not cycle.is_open:
            return _refuse_closed(request, cycle)
        if form.is_valid() and appraisal_form.is_valid():
            try:
                with transaction.atomic():
                    if form.competencies:
                        rating_submit(cycle=cycle, rater=me, ratee=ratee, levels=form.levels())
                    appraisal = appraisal_submit(cycle=cycle, rater=me, employee=ratee, **appraisal_form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your rating of %(name)s has been saved; SKP predikat: %(predikat)s.") % {
                    "name": ratee.name, "predikat": appraisal.predikat,
                })
                return redirect(_hub_url(cycle))
    context = {
        "cycle": cycle, "ratee": ratee, "role": RaterRole.SUPERVISOR, "form": form,
        "title": _("Rate %(name)s") % {"name": ratee.name},
        "appraisal_form": appraisal_form, "appraisal": appraisal,
        "predikat_matrix": {f"{r}|{b}": value for (r, b), value in PREDIKAT.items()},
        "predikat_columns": [ExpectationRating(b).label for b in PREDIKAT_ORDER],
        "predikat_table": [
            (ExpectationRating(r).label, [PREDIKAT[(r, b)] for b in PREDIKAT_ORDER]) for r in reversed(PREDIKAT_ORDER)
        ],
    }
    return render(request, "tna/entry/rate.html", context)


@login_required
def evidence_peers(request, year, nip):
    """The supervisor chooses the colleagues who rate one of their reports as peers."""
    me, cycle, ratee = _me(request), _cycle(year), _colleague(nip)
    if not may_assign_peers(by=me, ratee=ratee):
        raise Http404(_("You cannot choose peers for this person."))
    current = list(PeerAssignment.objects.filter(cycle=cycle, ratee=ratee).values_list("rater_id", flat=True))
    # Offered: the same unit and others with the same supervisor; anyone else in the agency by NIP.
    nearby = Q(unit=ratee.unit_id) | Q(pk__in=current)
    if ratee.supervisor_id:
        nearby |= Q(supervisor=ratee.supervisor_id)
    candidates = (
        Employee.objects.active().filter(nearby, agency=ratee.agency_id)
        .exclude(pk__in=[ratee.pk, ratee.supervisor_id or 0]).exclude(supervisor=ratee)
        .select_related("position").order_by("name")
    )
    data = request.POST if request.method == "POST" and cycle.is_open else None
    form = PeerAssignmentForm(
        data, candidates=candidates, agency=ratee.agency_id, initial={"peers": current}, read_only=not cycle.is_open,
    )
    if request.method == "POST":
        if not cycle.is_open:
            return _refuse_closed(request, cycle)
        if form.is_valid():
            try:
                peers = peer_assignments_set(cycle=cycle, ratee=ratee, raters=form.chosen(), by=me)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Peers of %(name)s saved: %(peers)s.") % {
                    "name": ratee.name, "peers": ", ".join(p.name for p in peers) or _("none"),
                })
                return redirect(_hub_url(cycle))
    context = {"cycle": cycle, "ratee": ratee, "form": form, "peers_min": PEERS_MIN, "peers_max": PEERS_MAX}
    return render(request, "tna/entry/peers.html", context)


@login_required
def evidence_survey(request, year):
    """The training-needs survey: wanted competencies, preferred mode and time, blocked days."""
    me, cycle = _me(request), _cycle(year)
    required_ids = set(required_competencies(me).values_list("pk", flat=True))
    competencies = sorted(
        Competency.objects.filter(active=True),
        key=lambda c: (c.pk not in required_ids, c.sort_order, c.code),
    )
    answers = list(SurveyResponse.objects.filter(cycle=cycle, employee=me))
    initial = {SurveyForm.field_name(a.competency_id): a.priority for a in answers}
    if answers:
        first = answers[0]
        initial.update(mode=first.mode, time=first.time, blocked_days=first.blocked_days, note=first.note)
    else:
        initial.update(mode="", time="")
    data = request.POST if request.method == "POST" and cycle.is_open else None
    form = SurveyForm(data, competencies=competencies, initial=initial, read_only=not cycle.is_open)
    if request.method == "POST":
        if not cycle.is_open:
            return _refuse_closed(request, cycle)
        if form.is_valid():
            try:
                survey_submit(
                    cycle=cycle, employee=me, needs=form.needs(), mode=form.cleaned_data["mode"],
                    time=form.cleaned_data["time"], blocked_days=form.cleaned_data["blocked_days"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your training needs have been saved."))
                return redirect(_hub_url(cycle))
    rows = form.rows()
    sections = [
        (_("Required by your position"), [row for row in rows if row[0].pk in required_ids]),
        (_("Other competencies"), [row for row in rows if row[0].pk not in required_ids]),
    ]
    context = {"cycle": cycle, "form": form, "sections": sections}
    return render(request, "tna/entry/survey.html", context)
