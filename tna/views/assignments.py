"""Project participation entered by supervisors: their team's assignments in a cycle, and one person's.

Every write goes through ``tna.services.assignments`` (``assignment_save``, ``assignment_delete``),
which the ``assignments`` import uses as well; who may enter whose assignments is decided there
(``may_enter_assignments``): anyone above the person in the supervisor chain, and a training
admin of their agency.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Assignment, AssignmentRole, Competency, Cycle, Employee
from ..roles import employee_of
from ..services.assignments import TITLE_MAX, assignment_delete, assignment_save, may_enter_assignments


class CompetencyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return "%s %s" % (obj.code, obj.display_name)


class AssignmentForm(forms.Form):
    """One assignment: the project, the person's role in it, its dates and the competencies it develops."""

    title = forms.CharField(label=gettext_lazy("Project or team"), max_length=TITLE_MAX,
                            help_text=gettext_lazy("As the team's decree (SK) names it."))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=AssignmentRole.choices, widget=forms.RadioSelect,
                             initial=AssignmentRole.MEMBER)
    start = forms.DateField(label=gettext_lazy("Start"),
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=gettext_lazy("End"), required=False,
                          help_text=gettext_lazy("Leave empty while the assignment goes on."),
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    competencies = CompetencyChoiceField(
        label=gettext_lazy("Competencies it develops"), queryset=Competency.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = Competency.objects.filter(active=True).order_by("sort_order", "code")
        self.read_only = read_only
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The assignment ends before it starts."))
        return data

    def add_service_error(self, error):
        """Show a ``ValidationError`` of the service at its field, or above the form."""
        if hasattr(error, "error_dict"):
            for name, messages_ in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages_)
        else:
            self.add_error(None, error)


def _me(request):
    me = employee_of(request.user)
    if me is None or not me.active:
        raise Http404(_("Your account is not linked to an active employee."))
    return me


def _person(me, nip):
    """The employee with ``nip`` when ``me`` may enter their assignments; 404 for anyone else."""
    person = get_object_or_404(Employee.objects.select_related("position", "unit"), nip=nip, active=True)
    if not may_enter_assignments(by=me, employee=person):
        raise Http404(_("You cannot enter project assignments for this person."))
    return person


def _person_url(cycle, person):
    return reverse("tna:assignments_person", args=[cycle.year, person.nip])


def _assignments(cycle, people):
    return (Assignment.objects.filter(cycle=cycle, employee__in=people)
            .prefetch_related("competencies").order_by("employee__name", "-start", "title"))


def _refuse_closed(request, cycle, url):
    messages.error(request, _("Cycle %(year)s is closed; its answers can only be read.") % {"year": cycle.year})
    return redirect(url)


def _save(request, form, *, me, cycle, person, assignment=None):
    """Save a valid ``form`` through the service; True when saved (the errors are on the form otherwise)."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        assignment_save(employee=person, cycle=cycle, title=data["title"], role=data["role"], start=data["start"],
                        end=data["end"], competencies=list(data["competencies"]), entered_by=me,
                        assignment=assignment)
    except ValidationError as error:
        form.add_service_error(error)
        return False
    return True


@login_required
def assignments_team(request, year):
    """The supervisor's direct reports and their project assignments in the cycle."""
    me, cycle = _me(request), get_object_or_404(Cycle, year=year)
    reports = list(Employee.objects.active().filter(supervisor=me).select_related("position").order_by("name"))
    by_person = {}
    for assignment in _assignments(cycle, reports):
        by_person.setdefault(assignment.employee_id, []).append(assignment)
    context = {"cycle": cycle, "rows": [(report, by_person.get(report.pk, [])) for report in reports]}
    return render(request, "tna/assignments/team.html", context)


@login_required
def assignments_person(request, year, nip):
    """One person's assignments in the cycle, and a form to add one."""
    me, cycle = _me(request), get_object_or_404(Cycle, year=year)
    person = _person(me, nip)
    url = _person_url(cycle, person)
    data = request.POST if request.method == "POST" and cycle.is_open else None
    form = AssignmentForm(data, read_only=not cycle.is_open)
    if request.method == "POST":
        if not cycle.is_open:
            return _refuse_closed(request, cycle, url)
        if _save(request, form, me=me, cycle=cycle, person=person):
            messages.success(request, _("The project assignment of %(name)s has been saved.") % {"name": person.name})
            return redirect(url)
    context = {"cycle": cycle, "person": person, "form": form, "assignments": _assignments(cycle, [person])}
    return render(request, "tna/assignments/person.html", context)


def _assignment(cycle, person, pk):
    return get_object_or_404(Assignment, pk=pk, cycle=cycle, employee=person)


@login_required
def assignments_edit(request, year, nip, pk):
    """Change one of the person's assignments."""
    me, cycle = _me(request), get_object_or_404(Cycle, year=year)
    person = _person(me, nip)
    assignment = _assignment(cycle, person, pk)
    url = _person_url(cycle, person)
    initial = {"title": assignment.title, "role": assignment.role, "start": assignment.start, "end": assignment.end,
               "competencies": list(assignment.competencies.values_list("pk", flat=True))}
    data = request.POST if request.method == "POST" and cycle.is_open else None
    form = AssignmentForm(data, initial=initial, read_only=not cycle.is_open)
    if request.method == "POST":
        if not cycle.is_open:
            return _refuse_closed(request, cycle, url)
        if _save(request, form, me=me, cycle=cycle, person=person, assignment=assignment):
            messages.success(request, _("The project assignment of %(name)s has been saved.") % {"name": person.name})
            return redirect(url)
    context = {"cycle": cycle, "person": person, "form": form, "assignment": assignment}
    return render(request, "tna/assignments/edit.html", context)


@login_required
def assignments_delete(request, year, nip, pk):
    """Ask, then delete one of the person's assignments."""
    me, cycle = _me(request), get_object_or_404(Cycle, year=year)
    person = _person(me, nip)
    assignment = _assignment(cycle, person, pk)
    url = _person_url(cycle, person)
    if request.method == "POST":
        if not cycle.is_open:
            return _refuse_closed(request, cycle, url)
        try:
            assignment_delete(assignment=assignment, deleted_by=me)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The project assignment %(title)s has been deleted.") % {
                "title": assignment.title})
        return redirect(url)
    return render(request, "tna/assignments/delete.html", {"cycle": cycle, "person": person, "assignment": assignment})
