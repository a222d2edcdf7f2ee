"""The participant's evaluation pages: rating a course they attended (level 1), and the follow-up some
months after completion (level 3) that the learner and their direct supervisor each answer."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tna.infra.formats import localized
from tna.roles import employee_of

from ..models.follow_up import Respondent
from ..selectors import delivery as selectors
from ..selectors.evaluation import reaction_questions
from ..services.evaluation import evaluation_refusal, evaluation_submit
from ..services.follow_up import follow_up_refusal, follow_up_submit

SCORES = [(i, str(i)) for i in range(1, 6)]


def _score_field(label, **kwargs):
    return forms.TypedChoiceField(label=label, choices=SCORES, coerce=int, widget=forms.RadioSelect, **kwargs)


def _me(request):
    me = employee_of(request.user)
    if me is None:
        raise Http404(_("Your account is not linked to an employee record."))
    return me


# --- level 1: rating the course ------------------------------------------------------------------

class EvaluationForm(forms.Form):
    """The four questions every agency asks, then the agency's own (``question-<id>``), then comments."""

    relevance = _score_field(gettext_lazy("Relevant to my work"))
    trainer = _score_field(gettext_lazy("Trainer quality"))
    organisation = _score_field(gettext_lazy("How the course was organised"))
    overall = _score_field(gettext_lazy("Overall"))
    comment = forms.CharField(label=gettext_lazy("Comments"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        comment = self.fields.pop("comment")
        self.questions = {}
        for question in questions:
            name = "question-%d" % question.pk
            self.fields[name] = _score_field(localized(question, "text"))
            self.questions[name] = question.pk
        self.fields["comment"] = comment

    def submission(self):
        """The cleaned data as ``evaluation_submit`` takes it: the four scores, ``answers`` and comment."""
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.questions}
        data["answers"] = {pk: self.cleaned_data[name] for name, pk in self.questions.items()}
        return data


@login_required
@require_http_methods(["GET", "POST"])
def evaluation(request, enrollment_id):
    """Rate a course I attended (1–5 on the four standard questions and the agency's own, and comments);
    refused to non-attendees; saved whole or not at all."""
    me = _me(request)
    enrollment = get_object_or_404(selectors.own_enrollments(me), pk=enrollment_id)
    refusal = evaluation_refusal(enrollment)
    if refusal:
        return render(request, "lms/delivery/evaluation.html", {"enrollment": enrollment, "refusal": refusal},
                      status=403)
    form = EvaluationForm(request.POST or None, questions=reaction_questions(enrollment.session.course.agency_id))
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_submit(enrollment=enrollment, user=request.user, **form.submission())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Thank you for rating %(course)s.") % {
                "course": enrollment.session.course.display_title})
            return redirect("lms:my-training")
    return render(request, "lms/delivery/evaluation.html", {"enrollment": enrollment, "form": form})


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- level 3: the follow-up ----------------------------------------------------------------------

class FollowUpForm(forms.Form):
    score = _score_field(gettext_lazy("How much of this training do you use at work?"),
                         help_text=gettext_lazy("1 is not at all, 5 is a great deal."))
    example = forms.CharField(
        label=gettext_lazy("An example"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("A task where you used it, or what stands in the way."),
    )

    def __init__(self, *args, respondent, learner=None, **kwargs):
        super().__init__(*args, **kwargs)
        if respondent == Respondent.SUPERVISOR:
            self.fields["score"].label = _("How much of this training does %(name)s use at work?") % {"name": learner}
            self.fields["example"].help_text = _("A task where you saw them use it, or what stands in the way.")


def _follow_up_page(request, enrollment, respondent):
    context = {"enrollment": enrollment, "respondent": respondent}
    refusal = follow_up_refusal(enrollment, respondent=respondent)
    if refusal:
        return render(request, "lms/delivery/follow_up.html", {**context, "refusal": refusal}, status=403)
    form = FollowUpForm(request.POST or None, respondent=respondent, learner=enrollment.employee.name)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_submit(enrollment=enrollment, respondent=respondent, user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Thank you for your answer on %(course)s.") % {
                "course": enrollment.session.course.display_title})
            return redirect(_next(request, respondent))
    return render(request, "lms/delivery/follow_up.html", {**context, "form": form, "next": request.GET.get("next", "")})


def _next(request, respondent):
    """Where to go after answering: the page that sent us (a ``next`` on this site), else the learner's
    record or the supervisor's team requests."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return "lms:my-training" if respondent == Respondent.LEARNER else "lms:enrollment-approvals"


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request, enrollment_id):
    """The learner's follow-up of a course they completed: how much of it they use at work, and an example."""
    me = _me(request)
    enrollment = get_object_or_404(selectors.own_enrollments(me), pk=enrollment_id)
    return _follow_up_page(request, enrollment, Respondent.LEARNER)


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_team(request, enrollment_id):
    """The direct supervisor's follow-up of a report's completed course; nobody else's report exists here."""
    me = _me(request)
    enrollment = get_object_or_404(selectors.reports_enrollments(me), pk=enrollment_id)
    return _follow_up_page(request, enrollment, Respondent.SUPERVISOR)
