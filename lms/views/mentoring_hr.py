"""HR's mentoring programme pages (``/mentoring/programmes/``): the agency's programmes, a programme's form,
and the programme page with its coverage charts, the matching, the pairs HR locks, vetoes, starts and
ends, the mentors HR names or removes, and the applications waiting (docs/mentoring.md#hrs-programme-pages).

For the training admins (HR) of the programme's agency and superusers: anyone else signed in gets a
403, and HR of another agency a 404, as for a programme that does not exist. Every write goes
through ``lms.services.mentoring_programmes`` or ``lms.services.mentor_matching``.
"""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tna.infra.formats import number
from tna.models import Agency, Competency, Employee
from tna.roles import employee_of

from ..models.mentoring import MentoringPair, MentoringProgramme, MentorOffer
from ..selectors import mentoring_programmes as selectors
from ..services.mentor_matching import MatchingViolation, match_programme, pair_lock, pair_veto
from ..services.mentoring import CAPACITY_MAX
from ..services.mentoring_programmes import (
    TARGET_JP_MAX,
    offer_nominate,
    offer_remove,
    pair_activate,
    pair_end,
    programme_activate_all,
    programme_save,
)

PAGE_SIZE = 50
Status = MentoringPair.Status
SUMMARY_KEY = "lms_mentoring_match_%d"
# What a pairs-list query string may hold when an action sends HR back to it.
SAFE_QUERY = re.compile(r"^[A-Za-z0-9_=&%.+-]{0,200}$")
LEVELS = [(n, str(n)) for n in range(1, 6)]


# --- who ---------------------------------------------------------------------------------------------

def _require_hr(user):
    if not selectors.manages_programmes(user):
        raise PermissionDenied(_("The mentoring programme pages are for your agency's training admins."))


def _agency(request):
    """(agency, agencies): a superuser's choice (``?agency=CODE``, else the first agency with a programme, else
    the first), or the agency of the training admin."""
    _require_hr(request.user)
    if not request.user.is_superuser:
        return employee_of(request.user).agency, []
    agencies = list(Agency.objects.order_by("name"))
    code = request.GET.get("agency") or ""
    if code:
        agency = next((a for a in agencies if a.code == code), None)
        if agency is None:
            raise Http404(_("There is no agency with code %(code)s.") % {"code": code})
        return agency, agencies
    with_programme = set(MentoringProgramme.objects.values_list("agency_id", flat=True).distinct())
    return next((a for a in agencies if a.pk in with_programme), agencies[0] if agencies else None), agencies


def _programme(request, pk):
    _require_hr(request.user)
    return get_object_or_404(selectors.hr_programmes(request.user), pk=pk)


def _pair(request, pair_id):
    _require_hr(request.user)
    pairs = MentoringPair.objects.filter(programme__in=selectors.hr_programmes(request.user))
    return get_object_or_404(pairs.select_related("programme__agency"), pk=pair_id)


def _back(request, programme, anchor="pairs"):
    """Back to the programme page, with the pairs list's filters the form carried (``back``)."""
    query = request.POST.get("back", "")
    url = reverse("lms_mentoring:programme", args=[programme.pk])
    if query and SAFE_QUERY.match(query):
        url += "?" + query
    return redirect(url + "#" + anchor)


def _error_text(error):
    return " ".join(error.messages)


# --- the programmes ----------------------------------------------------------------------------------

@login_required
@require_GET
def programmes(request):
    """The agency's programmes, newest first, with their competencies, mentors, needs and coverage."""
    agency, agencies = _agency(request)
    rows = []
    if agency is not None:
        rows = selectors.programme_rows(selectors.hr_programmes(request.user).filter(agency=agency).order_by(
            "-starts_on", "code"), agency)
    return render(request, "lms/mentoring/hr/programmes.html", {
        "agency": agency, "agencies": agencies, "rows": rows, "cycle": rows[0]["cycle"] if rows else None,
    })


class ProgrammeForm(forms.Form):
    agency = forms.ModelChoiceField(Agency.objects.order_by("name"), label=gettext_lazy("Agency"),
                                    to_field_name="code")
    code = forms.CharField(label=gettext_lazy("Code"), max_length=60,
                           help_text=gettext_lazy("Letters, digits and hyphens, such as mentor-2026; the mentors "
                                                  "import names the programme by it."))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    competencies = forms.ModelMultipleChoiceField(Competency.objects.none(), label=gettext_lazy("Competencies"),
                                                  widget=forms.CheckboxSelectMultiple)
    # A date input takes and gives ISO dates whatever the language; the browser shows them its own way.
    starts_on = forms.DateField(label=gettext_lazy("Starts"), input_formats=["%Y-%m-%d"],
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(label=gettext_lazy("Ends"), input_formats=["%Y-%m-%d"],
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    target_jp = forms.IntegerField(label=gettext_lazy("Target JP per pair"), min_value=1, max_value=TARGET_JP_MAX,
                                   initial=10)
    min_mentor_level = forms.TypedChoiceField(
        label=gettext_lazy("Lowest level of a mentor"), choices=LEVELS, coerce=int, initial=4,
        help_text=gettext_lazy("A mentor's observed level in the competency (from the TNA) must be at least this; "
                               "a mentor's job level must also be at or above the mentee's."))
    default_capacity = forms.IntegerField(label=gettext_lazy("Mentees per mentor"), min_value=0,
                                          max_value=CAPACITY_MAX, initial=2)
    prefer_cross_unit = forms.BooleanField(label=gettext_lazy("Prefer mentors from another unit"), required=False,
                                           initial=True)
    credit_mentor = forms.BooleanField(label=gettext_lazy("Credit JP to the mentor too"), required=False)

    def __init__(self, *args, with_agency=False, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_agency:
            del self.fields["agency"]
        # Active competencies, and any inactive one the programme names already.
        chosen = list(programme.competencies.values_list("pk", flat=True)) if programme is not None else []
        self.fields["competencies"].queryset = Competency.objects.filter(Q(active=True) | Q(pk__in=chosen)).order_by(
            "sort_order", "code")
        self.fields["competencies"].label_from_instance = lambda c: "%s %s" % (c.code, c.display_name)


def _programme_form(request, *, agency=None, programme=None):
    """The new-programme and edit forms: one body, saved through ``programme_save``."""
    initial = {}
    if programme is not None:
        initial = {name: getattr(programme, name) for name in (
            "code", "name", "starts_on", "ends_on", "target_jp", "min_mentor_level", "default_capacity",
            "prefer_cross_unit", "credit_mentor")}
        initial["competencies"] = list(programme.competencies.all())
    elif agency is not None:
        initial["agency"] = agency
    form = ProgrammeForm(request.POST or None, initial=initial, programme=programme,
                         with_agency=programme is None and request.user.is_superuser)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        target = data.pop("agency", None) or agency
        try:
            saved = programme_save(agency=target, programme=programme, **data)
        except ValidationError as error:
            for name, texts in error.message_dict.items():
                form.add_error(name if name in form.fields else None, texts)
        else:
            messages.success(request, (_("Programme %(code)s created.") if programme is None
                                       else _("Programme %(code)s saved.")) % {"code": saved.code})
            return redirect("lms_mentoring:programme", pk=saved.pk)
    return render(request, "lms/mentoring/hr/programme_form.html", {
        "form": form, "programme": programme, "agency": programme.agency if programme else agency,
    })


@login_required
@require_http_methods(["GET", "POST"])
def programme_new(request):
    """A new programme of HR's agency (a superuser picks the agency in the form)."""
    agency, _agencies = _agency(request)
    return _programme_form(request, agency=agency)


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request, pk):
    """Edit a programme's name, competencies, period and rules."""
    return _programme_form(request, programme=_programme(request, pk))


# --- the programme page ------------------------------------------------------------------------------

def reason_text(reason):
    """Why the matcher made a pair, in one sentence of the active language (from the reason's numbers)."""
    if not isinstance(reason, dict) or reason.get("gap") is None:
        return _("Made by hand, not by the matching.")
    parts = [_("gap %(gap)s at priority %(priority)s (weight %(weight)s)") % {
        "gap": number(reason.get("gap"), 1), "priority": number(reason.get("priority"), 0),
        "weight": number(reason.get("weight"), 2)}]
    if reason.get("applied"):
        parts.append(_("applied for a mentor"))
    if reason.get("mentor_level") is not None:
        parts.append(_("mentor at level %(level)s") % {"level": number(reason["mentor_level"], 1)})
    parts.append(_("same location") if reason.get("same_location") else _("another location"))
    parts.append(_("another unit") if reason.get("cross_unit") else _("same unit"))
    if reason.get("locked"):
        parts.append(_("locked by HR"))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def _filters(request, competencies, units):
    """The pairs list's filters from the query: (status, competency id, top unit id, query string)."""
    status = request.GET.get("status") or ""
    if status not in Status.values:
        status = ""
    competency = _known_id(request.GET.get("competency"), {c.pk for c in competencies})
    unit = _known_id(request.GET.get("unit"), {pk for pk, _name in units})
    query = "&".join("%s=%s" % (k, v) for k, v in (("status", status), ("competency", competency or ""),
                                                    ("unit", unit or "")) if v)
    return status, competency, unit, query


def _known_id(value, known):
    if value and value.isdigit() and len(value) <= 12 and int(value) in known:
        return int(value)
    return None


class NominateForm(forms.Form):
    nip = forms.RegexField(label=gettext_lazy("NIP of the mentor"), regex=r"^\s*[0-9]{18}\s*$", max_length=24,
                           error_messages={"invalid": gettext_lazy("A NIP is 18 digits.")})
    competencies = forms.ModelMultipleChoiceField(Competency.objects.none(), label=gettext_lazy("Competencies"),
                                                  widget=forms.CheckboxSelectMultiple)
    capacity = forms.IntegerField(label=gettext_lazy("Mentees at once"), min_value=0, max_value=CAPACITY_MAX,
                                  required=False, help_text=gettext_lazy("Empty: the programme's default."))

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = programme.competencies.order_by("sort_order", "code")
        self.fields["competencies"].label_from_instance = lambda c: "%s %s" % (c.code, c.display_name)
        self.fields["nip"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})


def _pair_rows(page):
    return [{"pair": pair, "reason": reason_text(pair.reason),
             "end_reason": pair.end_reason}
            for pair in page.object_list]


@login_required
@require_GET
def programme_detail(request, pk):
    """The programme page: coverage by competency and unit, the matching, the pairs, the mentors, the applications."""
    programme = _programme(request, pk)
    cycle = selectors.needs_cycle(programme.agency)
    coverage = selectors.programme_coverage(programme, cycle)
    competencies = [row["competency"] for row in coverage["competencies"]]
    units = selectors.top_unit_choices(programme.agency)
    status, competency, unit, query = _filters(request, competencies, units)
    pairs = Paginator(selectors.programme_pairs(programme, status=status, competency=competency, top_unit=unit),
                      PAGE_SIZE).get_page(request.GET.get("page"))
    mentors = Paginator(selectors.programme_mentors(programme), PAGE_SIZE).get_page(request.GET.get("mentors"))
    loads = selectors.mentor_loads(programme, [offer.mentor_id for offer in mentors.object_list])
    applications = Paginator(selectors.open_applications(programme), PAGE_SIZE).get_page(
        request.GET.get("applications"))
    return render(request, "lms/mentoring/hr/programme.html", {
        "programme": programme, "cycle": cycle, "coverage": coverage,
        "summary": request.session.pop(SUMMARY_KEY % programme.pk, None),
        "proposed": selectors.proposed_count(programme),
        "statuses": Status.choices, "competencies": competencies, "units": units,
        "status": status, "competency": competency, "unit": unit, "query": query,
        "pairs": pairs, "pair_rows": _pair_rows(pairs),
        "mentors": mentors, "mentor_rows": [{"offer": offer, "load": loads[offer.mentor_id]}
                                            for offer in mentors.object_list],
        "nominate": NominateForm(programme=programme, initial={"capacity": programme.default_capacity}),
        "applications": applications,
    })


# --- writes ------------------------------------------------------------------------------------------

def _summary_data(summary):
    """What the page shows of a run, as plain JSON values for the session (the refused locks with names)."""
    nips = {lock["mentor_nip"] for lock in summary.locks_refused} | {lock["mentee_nip"] for lock in
                                                                     summary.locks_refused}
    names = dict(Employee.objects.filter(nip__in=nips).values_list("nip", "name")) if nips else {}
    return {
        "cycle": getattr(summary.cycle, "year", None), "pairs": summary.pairs, "needs": summary.needs,
        "mentors": summary.mentors, "covered": summary.covered, "greedy_covered": summary.greedy_covered,
        "applications": summary.applications, "applications_matched": summary.applications_matched,
        "infeasible_locks": summary.infeasible_locks, "seconds": summary.seconds,
        "gain": summary.covered - summary.greedy_covered,
        "refused": [{"mentor": names.get(lock["mentor_nip"], lock["mentor_nip"]),
                     "mentee": names.get(lock["mentee_nip"], lock["mentee_nip"]),
                     "competency": lock["competency"], "reason": str(lock["reason"])}
                    for lock in summary.locks_refused[:50]],
    }


@login_required
@require_POST
def programme_match(request, pk):
    """Run the matching now (seconds even for a large agency): locked and active pairs stay, the rest is proposed
    anew. A checker violation or a missing TNA writes nothing and is shown as an error."""
    programme = _programme(request, pk)
    try:
        summary = match_programme(programme=programme)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    except MatchingViolation as error:
        messages.error(request, _("The matching broke %(n)d rule(s), so nothing was written: %(first)s") % {
            "n": len(error.violations), "first": "; ".join(error.violations[:3])})
    else:
        request.session[SUMMARY_KEY % programme.pk] = _summary_data(summary)
        messages.success(request, ngettext("The matching proposed %(n)d pair.", "The matching proposed %(n)d pairs.",
                                           summary.pairs) % {"n": summary.pairs})
    return redirect(reverse("lms_mentoring:programme", args=[programme.pk]) + "#matching")


@login_required
@require_POST
def programme_activate(request, pk):
    """Make every proposed pair of the programme active (locked or not)."""
    programme = _programme(request, pk)
    started, refused = programme_activate_all(programme=programme)
    messages.success(request, ngettext("%(n)d pair is active now; both people are e-mailed.",
                                       "%(n)d pairs are active now; both people are e-mailed.",
                                       len(started)) % {"n": len(started)})
    for pair, why in refused[:10]:
        messages.warning(request, _("%(mentor)s → %(mentee)s stays proposed: %(why)s") % {
            "mentor": pair.mentor.name, "mentee": pair.mentee.name, "why": why})
    if len(refused) > 10:
        messages.warning(request, _("%(n)d more pairs stay proposed.") % {"n": len(refused) - 10})
    return _back(request, programme)


@login_required
@require_POST
def pair_lock_view(request, pair_id):
    """Lock (``locked=1``) or unlock (``locked=0``) a proposed pair, so a new matching keeps it."""
    pair = _pair(request, pair_id)
    locked = request.POST.get("locked")
    if locked not in ("0", "1"):
        messages.error(request, _("Say whether to lock or unlock the pair."))
    else:
        try:
            pair_lock(pair=pair, locked=locked == "1")
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Pair locked: a new matching keeps it.") if locked == "1"
                             else _("Pair unlocked: a new matching may change it."))
    return _back(request, pair.programme)


def _pair_write(request, pair_id, write, done):
    """Run ``write(pair)`` on one of the agency's pairs; its refusal or ``done`` as the message, back to the programme."""
    pair = _pair(request, pair_id)
    try:
        write(pair)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done)
    return _back(request, pair.programme)


@login_required
@require_POST
def pair_veto_view(request, pair_id):
    """Veto a pair: no matching proposes it again."""
    return _pair_write(request, pair_id, lambda pair: pair_veto(pair=pair), _(
        "Pair vetoed: no matching proposes it again. Run the matching to find another mentor."))


@login_required
@require_POST
def pair_activate_view(request, pair_id):
    """Start a proposed pair."""
    return _pair_write(request, pair_id, lambda pair: pair_activate(pair=pair),
                       _("The pair is active; both people are e-mailed."))


@login_required
@require_POST
def pair_end_view(request, pair_id):
    """End an active pair early, with a reason."""
    return _pair_write(request, pair_id, lambda pair: pair_end(pair=pair, reason=request.POST.get("reason", "")),
                       _("The pair has ended."))


@login_required
@require_POST
def offer_nominate_view(request, pk):
    """HR names a mentor (by NIP) for some of the programme's competencies, or changes what they offer."""
    programme = _programme(request, pk)
    form = NominateForm(request.POST, programme=programme)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(request, programme, "mentors")
    nip = form.cleaned_data["nip"].strip()
    mentor = Employee.objects.filter(nip=nip, agency=programme.agency).first()
    if mentor is None:
        messages.error(request, _("Nobody in %(agency)s has NIP %(nip)s.") % {"agency": programme.agency.name,
                                                                           "nip": nip})
        return _back(request, programme, "mentors")
    try:
        _offer, action = offer_nominate(programme=programme, mentor=mentor,
                                        competencies=form.cleaned_data["competencies"],
                                        capacity=form.cleaned_data["capacity"])
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, {"create": _("%(name)s is a mentor in the programme now."),
                                   "update": _("%(name)s's offer is updated."),
                                   "unchanged": _("%(name)s's offer was already so.")}[action] % {"name": mentor.name})
    return _back(request, programme, "mentors")


@login_required
@require_POST
def offer_remove_view(request, offer_id):
    """Take a mentor out of the programme: their proposed pairs go, their active pairs go on."""
    _require_hr(request.user)
    offer = get_object_or_404(MentorOffer.objects.filter(programme__in=selectors.hr_programmes(request.user))
                              .select_related("programme", "mentor"), pk=offer_id)
    removed = offer_remove(offer=offer)
    messages.success(request, ngettext(
        "%(name)s is no longer a mentor in the programme; %(n)d proposed pair went too.",
        "%(name)s is no longer a mentor in the programme; %(n)d proposed pairs went too.", removed) % {
        "name": offer.mentor.name, "n": removed})
    return _back(request, offer.programme, "mentors")
