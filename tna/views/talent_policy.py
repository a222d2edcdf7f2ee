"""The agency's talent policy, set by HR: the weight of leadership development and whether people see
their own box (docs/talent.md#who-sees-the-9-box)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ..models import Agency, TalentPolicy
from ..roles import TRAINING_ADMIN, employee_of, has_role
from ..services.talent import talent_policy_set


class TalentPolicyForm(forms.Form):
    leadership_priority = forms.IntegerField(
        label=gettext_lazy("Priority of leadership development"), min_value=0, max_value=100,
        help_text=gettext_lazy("0–100, on the scale of gap priorities: how strongly recommendations and the budget "
                               "plan favour the leadership training of boxes 7–9."),
    )
    show_own_box = forms.BooleanField(
        label=gettext_lazy("People see their own box on their career page"), required=False,
        help_text=gettext_lazy("Off by default: the box is for HR and the talent committee. Supervisors never see "
                               "their team's boxes."),
    )


def _agency(request):
    """The training admin's agency, or the superuser's choice (``?agency=CODE``); 403 for anyone else."""
    user = request.user
    if user.is_superuser:
        code = request.GET.get("agency") or ""
        agency = Agency.objects.filter(code=code).first() if code else Agency.objects.order_by("name").first()
        return agency, list(Agency.objects.order_by("name"))
    me = employee_of(user)
    if me is None or not has_role(user, TRAINING_ADMIN):
        raise PermissionDenied(_("The talent policy is set by the agency's training admins (HR)."))
    return me.agency, []


@login_required
@require_http_methods(["GET", "POST"])
def talent_policy(request):
    """HR's form for the agency's talent policy; saving rewrites the latest development plans."""
    agency, agencies = _agency(request)
    policy = TalentPolicy.objects.filter(agency=agency).first() or TalentPolicy(agency=agency)
    form = TalentPolicyForm(request.POST or None, initial={
        "leadership_priority": policy.leadership_priority, "show_own_box": policy.show_own_box})
    if request.method == "POST" and form.is_valid():
        try:
            talent_policy_set(agency=agency, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The talent policy of %(agency)s is saved; development plans follow it.")
                             % {"agency": agency.name})
            query = "?agency=%s" % agency.code if request.user.is_superuser else ""
            return redirect(reverse("tna:talent_policy") + query)
    return render(request, "tna/talent/policy.html", {"agency": agency, "agencies": agencies, "form": form})
