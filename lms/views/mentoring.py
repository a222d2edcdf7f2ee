"""The people's mentoring pages (``/mentoring/``): my pairs as mentee and mentor, one pair, offering to mentor,
applying for a mentor, and the closing feedback.

A pair's page is for its mentor and mentee; HR (training admins) of the programme's agency and
superusers read it without the private notes or any form; everyone else gets a 404, as for a pair
that does not exist. Every write goes through ``lms.services.mentoring_people``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tna.infra.formats import number
from tna.models import Competency
from tna.roles import TRAINING_ADMIN, employee_of, has_role

from ..models.mentoring import (
    MentoringApplication,
    MentoringPair,
    MentoringProgramme,
    MentorOffer,
    PairFeedback,
)
from ..selectors import mentoring as selectors
from ..selectors.coaching import conversations_received
from ..services.mentoring import CAPACITY_MAX
from ..services.mentoring_people import (
    application_create,
    application_withdraw,
    offer_opt_in,
    offer_withdraw,
    pair_feedback_save,
    role_in,
)

LEVELS = [(n, str(n)) for n in range(1, 6)]


def _error_text(error):
    return " ".join(error.messages)


def _add_service_error(form, error):
    """Show a service's ``ValidationError`` at its field, or above the form."""
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, error)


def _me(request):
    """The signed-in employee, or a 404 page for an account without an active employee record."""
    me = employee_of(request.user)
    if me is None or not me.active:
        raise Http404(_("Your account is not linked to an active employee."))
    return me


# --- pages -------------------------------------------------------------------------------------

@login_required
@require_GET
def mine(request):
    """My mentoring: my pairs as mentee and as mentor, my offers and applications, the programmes I can join."""
    me = employee_of(request.user)
    if me is None:
        return render(request, "lms/mentoring/mine.html", {"no_employee": True}, status=403)
    view = selectors.overview(me)
    received = conversations_received(me)
    coaching = {"count": received.count(), "latest": received.first()}
    return render(request, "lms/mentoring/mine.html", {"employee": me, "view": view, "coaching": coaching})


def reason_sentences(pair):
    """Why the matcher made ``pair``, in sentences of the active language (empty for a pair made by hand)."""
    reason = pair.reason if isinstance(pair.reason, dict) else {}
    competency = "%s %s" % (pair.competency.code, pair.competency.display_name)
    out = []
    if reason.get("gap") is not None:
        out.append(_("The TNA found a gap of %(gap)s levels in %(competency)s, at priority %(priority)s of 100.")
                   % {"gap": number(reason["gap"]), "competency": competency,
                      "priority": number(reason.get("priority") or 0, 0)})
    if reason.get("mentor_level") is not None:
        out.append(_("The mentor's observed level in it is %(level)s.") % {"level": number(reason["mentor_level"])})
    if "same_location" in reason:
        place = (_("They work in the same place") if reason["same_location"]
                 else _("They work in different places"))
        unit = _("in different units") if reason.get("cross_unit") else _("in the same unit")
        out.append(_("%(place)s, %(unit)s.") % {"place": place, "unit": unit})
    if reason.get("locked"):
        out.append(_("HR chose to keep this pair."))
    return out


def _pair_or_404(request, pair_id):
    """(pair, role, me): the pair with its page's loads; role ``mentor``/``mentee``, or "" for HR and
    superusers reading it; 404 for anyone else."""
    pair = selectors.pair_detail(pair_id)
    if pair is None:
        raise Http404(_("There is no such mentoring pair."))
    me = employee_of(request.user)
    role = role_in(pair, me) if me is not None and me.active else None
    if role is not None:
        return pair, role, me
    if request.user.is_superuser or (me is not None and has_role(request.user, TRAINING_ADMIN)
                                     and me.agency_id == pair.programme.agency_id):
        return pair, "", me
    raise Http404(_("There is no such mentoring pair."))


class FeedbackForm(forms.Form):
    """One side's closing word on a pair (the mentor also judges the level reached)."""

    usefulness = forms.TypedChoiceField(
        label=gettext_lazy("How useful was the mentoring?"), coerce=int, widget=forms.RadioSelect,
        choices=LEVELS)
    goal_met = forms.TypedChoiceField(
        label=gettext_lazy("Was the goal met?"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("Not yet"))])
    level_reached = forms.TypedChoiceField(
        label=gettext_lazy("Level your mentee has reached"), coerce=int, empty_value=None, required=False,
        widget=forms.RadioSelect, choices=LEVELS,
        help_text=gettext_lazy("Required when the goal is met: it is credited as evidence for the next TNA, "
                               "never above your own level."))
    comment = forms.CharField(label=gettext_lazy("Comment (optional)"), required=False, max_length=3000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, role, competency=None, **kwargs):
        super().__init__(*args, **kwargs)
        if role != PairFeedback.Role.MENTOR:
            del self.fields["level_reached"]
            self.fields["goal_met"].label = _("Did you reach your goal?")
        elif competency is not None:
            descriptors = {level.level: level.display_descriptor for level in competency.levels.all()}
            self.fields["level_reached"].choices = [
                (n, descriptors.get(n, "")) for n in range(1, 6)]


def _feedback_initial(feedback):
    if feedback is None:
        return None
    return {"usefulness": feedback.usefulness, "goal_met": "yes" if feedback.goal_met else "no",
            "level_reached": feedback.level_reached, "comment": feedback.comment}


def _pair_context(pair, role, *, form=None):
    """What pair.html and feedback.html show; ``role`` "" (HR, superusers) gets no form and no notes."""
    given = {feedback.role: feedback for feedback in pair.feedback.all()}
    mentor_feedback, mentee_feedback = given.get(PairFeedback.Role.MENTOR), given.get(PairFeedback.Role.MENTEE)
    own = given.get(role) if role else None
    other_side = {PairFeedback.Role.MENTOR: PairFeedback.Role.MENTEE, PairFeedback.Role.MENTEE: PairFeedback.Role.MENTOR}
    active = pair.status == MentoringPair.Status.ACTIVE
    if form is None and role and active:
        form = FeedbackForm(role=role, competency=pair.competency, initial=_feedback_initial(own))
    return {
        "pair": pair, "programme": pair.programme, "role": role, "me_role": role, "read_only": not role,
        "reasons": reason_sentences(pair),
        "sessions": list(pair.sessions.order_by("starts_at", "pk")),
        "form": form if role and active else None,
        "my_feedback": own,
        "other_given": bool(role) and other_side[role] in given,
        "closed": pair.status in (MentoringPair.Status.COMPLETED, MentoringPair.Status.ENDED),
        "mentor_feedback": mentor_feedback, "mentee_feedback": mentee_feedback,
        "feedback_sides": [("mentor", mentor_feedback), ("mentee", mentee_feedback)],
    }


@login_required
@require_GET
def pair(request, pair_id):
    """One pair: who, what for and why, its sessions, progress towards the programme's JP, and the closing."""
    found, role, _me_ = _pair_or_404(request, pair_id)
    return render(request, "lms/mentoring/pair.html", _pair_context(found, role))


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request, pair_id):
    """GET: the closing feedback form on its own; POST: give or change it (the pair may close)."""
    found, role, me = _pair_or_404(request, pair_id)
    if not role:
        raise Http404(_("There is no such mentoring pair."))
    if found.status != MentoringPair.Status.ACTIVE:
        messages.info(request, _("This pair is closed: its feedback can only be read."))
        return redirect("lms_mentoring:pair", pair_id=found.pk)
    form = FeedbackForm(request.POST or None, role=role, competency=found.competency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pair_feedback_save(pair=found, by=me, usefulness=data["usefulness"], goal_met=data["goal_met"],
                               comment=data["comment"], level_reached=data.get("level_reached"))
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            found.refresh_from_db(fields=["status"])
            if found.status == MentoringPair.Status.COMPLETED:
                messages.success(request, _("Thank you. The pair is completed: the mentoring is in the mentee's "
                                            "learning record and counts as evidence in the next TNA."))
            else:
                messages.success(request, _("Thank you, your feedback is saved. The pair closes once the mentor "
                                            "says the goal is met and both of you have given feedback."))
            return redirect("lms_mentoring:pair", pair_id=found.pk)
    context = _pair_context(found, role, form=form)
    return render(request, "lms/mentoring/feedback.html", context, status=400 if request.method == "POST" else 200)


# --- offering to mentor ------------------------------------------------------------------------

class CompetencyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return "%s %s" % (obj.code, obj.display_name)


class OfferForm(forms.Form):
    """The competencies a mentor offers in a programme and how many mentees they take at once."""

    competencies = CompetencyChoiceField(label=gettext_lazy("Competencies I can mentor"),
                                         queryset=Competency.objects.none(),
                                         widget=forms.CheckboxSelectMultiple)
    capacity = forms.IntegerField(
        label=gettext_lazy("Mentees at once"), min_value=0, max_value=CAPACITY_MAX,
        help_text=gettext_lazy("0 keeps your offer but takes no new mentee for now."))

    def __init__(self, *args, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = competencies


def _open_programme(me, programme_id):
    """A programme of ``me``'s agency (404 otherwise), with its competencies."""
    return get_object_or_404(MentoringProgramme.objects.select_related("agency").prefetch_related("competencies"),
                             pk=programme_id, agency_id=me.agency_id)


def _choice_of(me, programme):
    """The ``ProgrammeChoice`` of ``programme`` for ``me`` (their levels, gaps, offer, applications)."""
    view = selectors.overview(me)
    choice = next((c for c in view.programmes if c.programme.pk == programme.pk), None)
    return view, choice


@login_required
@require_http_methods(["GET", "POST"])
def offer(request, programme_id):
    """GET: offer myself as a mentor (or change my offer), with my level in each competency; POST: save."""
    me = _me(request)
    programme = _open_programme(me, programme_id)
    view, choice = _choice_of(me, programme)
    if choice is None:
        messages.error(request, _("This programme has ended: it takes no new mentors."))
        return redirect("lms_mentoring:mine")
    eligible = [c.competency.pk for c in choice.competencies if c.can_mentor]
    queryset = programme.competencies.filter(pk__in=eligible).order_by("sort_order", "code")
    initial = ({"competencies": [c.pk for c in choice.offer.competencies.all()], "capacity": choice.offer.capacity}
               if choice.offer else {"competencies": eligible, "capacity": programme.default_capacity})
    form = OfferForm(request.POST or None, competencies=queryset, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _offer, action = offer_opt_in(programme=programme, mentor=me,
                                          competencies=list(form.cleaned_data["competencies"]),
                                          capacity=form.cleaned_data["capacity"])
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Thank you for offering to mentor. HR proposes pairs from the programme's "
                                        "needs; you will see your mentees here once HR starts a pair.")
                             if action == "create" else _("Your offer is saved."))
            return redirect("lms_mentoring:mine")
    return render(request, "lms/mentoring/offer.html", {
        "programme": programme, "choice": choice, "cycle": view.cycle, "form": form,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def offer_withdraw_view(request, offer_id):
    """Withdraw my offer to mentor (refused while I mentor someone in the programme)."""
    me = _me(request)
    found = get_object_or_404(MentorOffer, pk=offer_id, mentor=me)
    try:
        removed = offer_withdraw(offer=found)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        text = _("Your offer to mentor is withdrawn.")
        if removed:
            text += " " + ngettext("%(n)d proposed pair was removed.", "%(n)d proposed pairs were removed.",
                                   removed) % {"n": removed}
        messages.success(request, text)
    return redirect("lms_mentoring:mine")


# --- applying for a mentor ---------------------------------------------------------------------

class ApplyForm(forms.Form):
    """The competency a person asks a mentor for, and what they want to learn."""

    competency = forms.TypedChoiceField(label=gettext_lazy("Competency"), coerce=int, widget=forms.RadioSelect)
    note = forms.CharField(label=gettext_lazy("What I want to learn (optional)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = choices


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, programme_id):
    """GET: ask for a mentor in one of the programme's competencies (my gap in each shown); POST: apply."""
    me = _me(request)
    programme = _open_programme(me, programme_id)
    view, choice = _choice_of(me, programme)
    if choice is None:
        messages.error(request, _("This programme has ended: it takes no new applications."))
        return redirect("lms_mentoring:mine")
    open_ = [c for c in choice.competencies if c.can_apply]
    by_id = {c.competency.pk: c for c in open_}
    initial = next((c.competency.pk for c in open_ if c.has_gap), None)
    if request.GET.get("competency", "").isdigit() and int(request.GET["competency"]) in by_id:
        initial = int(request.GET["competency"])
    form = ApplyForm(request.POST or None, choices=[(c.competency.pk, str(c.competency.pk)) for c in open_],
                     initial={"competency": initial})
    if request.method == "POST" and form.is_valid():
        try:
            application_create(programme=programme, employee=me,
                               competency=by_id[form.cleaned_data["competency"]].competency,
                               note=form.cleaned_data["note"])
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Your application is sent. The next matching looks for a mentor for you; "
                                        "you will see the pair here once HR starts it."))
            return redirect("lms_mentoring:mine")
    options = [{"choice": c, "radio": radio} for c, radio in zip(open_, form["competency"], strict=True)]
    return render(request, "lms/mentoring/apply.html", {
        "programme": programme, "choice": choice, "cycle": view.cycle, "form": form, "options": options,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def application_withdraw_view(request, application_id):
    """Withdraw my open application for a mentor."""
    me = _me(request)
    found = get_object_or_404(MentoringApplication, pk=application_id, employee=me)
    try:
        application_withdraw(application=found)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("lms_mentoring:mine")
