"""Coaching pages (``/mentoring/coaching/``): a supervisor's direct reports and the conversations they
recorded, the form to record or change one, its deletion, and the coached person's own page.

Only the direct supervisor records a conversation (``lms.services.coaching``); people of another
agency, and their conversations, are not found (404).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tna.conf import settings as tna_settings
from tna.models import Employee
from tna.roles import SUPERVISOR, employee_of, has_role

from ..models.mentoring import CoachingConversation
from ..selectors import coaching as selectors
from ..services.coaching import (
    ACTIONS_LENGTH,
    MAX_MINUTES,
    MIN_MINUTES,
    RECORD_WINDOW_DAYS,
    TOPIC_LENGTH,
    coaching_delete,
    coaching_save,
    in_window,
    may_coach,
)

RECENT = 20
LEVEL_CHOICES = [("", gettext_lazy("Not discussed"))] + [(str(level), str(level)) for level in range(1, 6)]


class CoachingForm(forms.Form):
    """The conversation and a 1–5 choice (or none) for each competency of the person's position."""

    held_on = forms.DateField(label=gettext_lazy("Date"),
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    minutes = forms.IntegerField(label=gettext_lazy("Duration (minutes)"), min_value=MIN_MINUTES,
                                 max_value=MAX_MINUTES)
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=TOPIC_LENGTH)
    agreed_actions = forms.CharField(label=gettext_lazy("Agreed actions"), required=False, max_length=ACTIONS_LENGTH,
                                     widget=forms.Textarea(attrs={"rows": 4}),
                                     help_text=gettext_lazy("The person coached sees these, with the levels you give."))

    def __init__(self, *args, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for row in competencies:
            name = "level_%d" % row.competency.pk
            self.fields[name] = forms.TypedChoiceField(
                label=row.competency.display_name, choices=LEVEL_CHOICES, coerce=int, empty_value=None,
                required=False, widget=forms.RadioSelect,
            )
            self.rows.append((row, name))

    def competency_rows(self):
        """(CoachingCompetency, bound field) per competency, for the template."""
        return [(row, self[name]) for row, name in self.rows]

    def ratings(self):
        """{competency id: level} of the competencies rated."""
        return {row.competency.pk: self.cleaned_data[name] for row, name in self.rows if self.cleaned_data.get(name)}

    def add_service_error(self, error):
        """Show a ``ValidationError`` of the service at its field, or above the form."""
        if hasattr(error, "error_dict"):
            for name, texts in error.message_dict.items():
                self.add_error(name if name in self.fields else None, texts)
        else:
            self.add_error(None, error)


def _me(request):
    """The signed-in employee; 403 with an explanation for an account without one."""
    me = employee_of(request.user)
    if me is None:
        raise PermissionDenied(_("Your account is not linked to an employee record."))
    return me


def _in_scope(request, me, queryset, agency_field):
    """``queryset`` limited to ``me``'s agency (superusers: every agency)."""
    if request.user.is_superuser:
        return queryset
    return queryset.filter(**{agency_field: me.agency_id})


def _person(request, me, nip):
    """The active employee ``me`` coaches; 404 outside the agency, 403 for someone else's report."""
    person = get_object_or_404(_in_scope(request, me, Employee.objects.active(), "agency_id")
                               .select_related("agency", "position", "unit", "supervisor"), nip=nip)
    if not may_coach(me, person):
        raise PermissionDenied(_("Only %(name)s's direct supervisor can record their coaching.") % {
            "name": person.name})
    return person


def _conversation(request, me, pk):
    """A conversation ``me`` recorded; 404 outside the agency, 403 for another coach's."""
    conversation = get_object_or_404(
        _in_scope(request, me, CoachingConversation.objects.all(), "employee__agency_id")
        .select_related("employee__agency", "employee__position", "employee__unit", "coach"), pk=pk)
    if conversation.coach_id != me.pk:
        raise PermissionDenied(_("Only the supervisor who recorded a coaching conversation can change it."))
    return conversation


@login_required
@require_GET
def team(request):
    """The supervisor's direct reports with their latest coaching, and the conversations recorded lately."""
    me = _me(request)
    today = selectors.agency_today(me.agency)
    reports = list(selectors.direct_reports(me, year=today.year))
    if not reports and not has_role(request.user, SUPERVISOR):
        raise PermissionDenied(_("Coaching records are kept by supervisors for their direct reports."))
    recent = list(selectors.conversations_given(me)[:RECENT])
    for conversation in recent:
        conversation.editable = in_window(conversation.held_on, me.agency)
    return render(request, "lms/coaching/team.html", {
        "reports": reports, "recent": recent, "year": today.year, "window": RECORD_WINDOW_DAYS,
    })


def _form_page(request, me, person, *, conversation=None):
    cycle, rows = selectors.coaching_competencies(person)
    if conversation is None:
        initial = {"held_on": selectors.agency_today(person.agency)}
    else:
        initial = {"held_on": conversation.held_on, "minutes": conversation.minutes, "topic": conversation.topic,
                   "agreed_actions": conversation.agreed_actions,
                   **{"level_%d" % r.competency_id: str(r.level) for r in conversation.ratings.all()}}
    form = CoachingForm(request.POST if request.method == "POST" else None, initial=initial, competencies=rows)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            coaching_save(coach=me, employee=person, held_on=data["held_on"], minutes=data["minutes"],
                          topic=data["topic"], agreed_actions=data["agreed_actions"], ratings=form.ratings(),
                          conversation=conversation)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The coaching conversation with %(name)s has been saved.") % {
                "name": person.name})
            return redirect("lms_mentoring:coaching")
    return render(request, "lms/coaching/form.html", {
        "person": person, "form": form, "conversation": conversation, "cycle": cycle, "window": RECORD_WINDOW_DAYS,
    })


@login_required
def new(request, nip):
    """GET: the form to record a conversation with one direct report; POST: record it."""
    me = _me(request)
    return _form_page(request, me, _person(request, me, nip))


@login_required
def edit(request, pk):
    """GET: a recorded conversation in the form; POST: save the changes (within the window)."""
    me = _me(request)
    conversation = _conversation(request, me, pk)
    person = conversation.employee
    if not may_coach(me, person):
        raise PermissionDenied(_("Only %(name)s's direct supervisor can record their coaching.") % {
            "name": person.name})
    if not in_window(conversation.held_on, person.agency):
        messages.error(request, _("This conversation was held more than %(days)d days ago; it can no longer be "
                                  "changed.") % {"days": RECORD_WINDOW_DAYS})
        return redirect("lms_mentoring:coaching")
    return _form_page(request, me, person, conversation=conversation)


@login_required
@require_POST
def delete(request, pk):
    """Delete a conversation the signed-in supervisor recorded (within the window)."""
    me = _me(request)
    conversation = _conversation(request, me, pk)
    try:
        coaching_delete(conversation=conversation, by=me)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The coaching conversation with %(name)s has been deleted.") % {
            "name": conversation.employee.name})
    return redirect("lms_mentoring:coaching")


@login_required
@require_GET
def mine(request):
    """The conversations the signed-in person received, with the levels given, and their coaching JP."""
    me = _me(request)
    return render(request, "lms/coaching/mine.html", {
        "conversations": list(selectors.conversations_received(me)),
        "credits": list(selectors.coaching_credits(me)),
        "year": selectors.agency_today(me.agency).year,
        "jp_minutes": tna_settings.JP_MINUTES,
    })
