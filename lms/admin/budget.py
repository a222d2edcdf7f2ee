"""The planner's budget dashboard in the Wagtail admin: envelopes, plans, allocation, comparison, what-if, export.

Planners see and plan their own agency; superusers choose any. Every write goes through
``lms.services.budget``.
"""

import time

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from tna.infra.formats import format_rupiah, seconds_text
from tna.infra.forms import RupiahField
from tna.models import Agency, CompetencyGroup, TopicCategory, Unit
from tna.roles import PLANNER, has_role, user_agency

from ..budget.accounts import TRAINING
from ..budget.summary import allocation, totals
from ..models import Envelope, PlanMethod, TrainingPlan
from ..models.budget import ACCOUNT_CHOICES
from ..services import budget as service
from . import charts
from .budget_export import CONTENT_TYPES, plan_csv, plan_xlsx

BREAKDOWNS = (("unit_name", gettext_lazy("Allocation by unit")), ("category", gettext_lazy("Allocation by category")),
              ("competency_code", gettext_lazy("Allocation by competency")),
              ("competency_type", gettext_lazy("Allocation by competency type")),
              ("account", gettext_lazy("Allocation by account")))
FACTORS = (("1.0", gettext_lazy("The envelopes as they are")), ("0.8", gettext_lazy("Budget cut by 20%")),
           ("1.2", gettext_lazy("Budget raised by 20%")))


def is_planner(user):
    return bool(getattr(user, "is_active", False) and (user.is_superuser or has_role(user, PLANNER)))


class EnvelopeForm(forms.Form):
    account = forms.ChoiceField(label=gettext_lazy("Account"), choices=ACCOUNT_CHOICES, initial=TRAINING)
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.none(), required=False,
                                  empty_label=gettext_lazy("Whole agency"))
    amount = RupiahField(label=gettext_lazy("Amount"))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(agency=agency, parent__isnull=True).order_by("name")


def envelope_label(envelope):
    """"5.1.02.02.12 Training — Unit": how the what-if names an envelope."""
    label = str(envelope.get_account_display())
    return "%s — %s" % (label, envelope.unit.name) if envelope.unit_id else label


class WhatIfForm(forms.Form):
    """One rupiah amount per envelope of the year (``amount_<id>``); left empty, the stored amount counts."""

    def __init__(self, *args, envelopes, **kwargs):
        super().__init__(*args, **kwargs)
        for envelope in envelopes:
            self.fields["amount_%d" % envelope.pk] = RupiahField(
                label=envelope_label(envelope), initial=envelope.amount, required=False, help_text="")

    def amounts(self):
        """{envelope id: rupiah} of the amounts filled in."""
        return {int(name[7:]): value for name, value in self.cleaned_data.items() if value is not None}


def errors_text(form):
    """A form's errors as one line, each after its field's label."""
    return "; ".join("%s: %s" % (form.fields[name].label if name in form.fields else _("Form"), " ".join(errors))
                     for name, errors in form.errors.items())


class PlanForm(forms.Form):
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=PlanMethod.choices, initial=PlanMethod.OPTIMISED)
    factor = forms.ChoiceField(label=gettext_lazy("Budget"), choices=FACTORS, initial="1.0")
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120, required=False)


class BudgetMixin(WagtailAdminTemplateMixin):
    """Planners (own agency) and superusers (any, by ``agency`` code); the agency and year in view."""

    header_icon = "table"
    page_title = gettext_lazy("Training budget")

    def dispatch(self, request, *args, **kwargs):
        if not is_planner(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def resolve(self, data):
        user = self.request.user
        if user.is_superuser:
            code = data.get("agency") or ""
            agency = Agency.objects.filter(code=code).first() if code else Agency.objects.order_by("name").first()
            if code and agency is None:
                raise Http404(_("There is no agency with code %(code)s.") % {"code": code})
        else:
            agency = user_agency(user)
        if agency is None:
            raise PermissionDenied(_("This account belongs to no agency."))
        try:
            year = int(data.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        return agency, year

    def dashboard_url(self, agency, year, **extra):
        query = {"agency": agency.code, "year": year, **{k: v for k, v in extra.items() if v}}
        return reverse("lms_budget") + "?" + urlencode(query)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse("lms_budget"), "label": _("Training budget")}]


class BudgetDashboardView(BudgetMixin, TemplateView):
    """Envelopes, plans of the year, the chosen plan's allocation with charts, and a comparison.

    The forms that post here (envelope, what-if, plan) come back to this page with their errors
    and what was typed when an amount is refused, never with a number silently changed.
    """

    template_name = "lms/budget/dashboard.html"

    @property
    def params(self):
        return self.request.POST if self.request.method == "POST" else self.request.GET

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.params
        agency, year = self.resolve(params)
        plans = list(TrainingPlan.objects.of_year(agency, year).select_related(
            "created_by__employee", "submitted_by__employee", "approved_by__employee"))
        chosen = _pick(plans, params.get("plan")) or (plans[0] if plans else None)
        other = _pick(plans, params.get("compare"))
        envelopes = list(Envelope.objects.filter(agency=agency, fiscal_year=year)
                         .select_related("unit", "updated_by__employee"))
        context.update({
            "agency": agency, "year": year, "agencies": Agency.objects.order_by("name") if self.request.user.is_superuser else [],
            "envelopes": envelopes, "envelope_form": kwargs.get("envelope_form") or EnvelopeForm(agency=agency),
            "whatif_form": kwargs.get("whatif_form") or WhatIfForm(envelopes=envelopes),
            "plan_form": PlanForm(), "plans": plans, "plan": chosen,
            "compare": other, "units": Unit.objects.filter(agency=agency, parent__isnull=True).order_by("name"),
            "categories": TopicCategory.choices, "filter_unit": params.get("unit", ""),
            "filter_category": params.get("category", ""), "can_plan": service.can_plan(self.request.user, agency),
        })
        context["envelope_total"] = sum(e.amount for e in envelopes)
        if chosen:
            context.update(self.plan_context(chosen, params))
        if chosen and other:
            context["comparison"] = comparison(chosen, other)
        context["whatif"] = kwargs.get("whatif")
        return context

    def refused(self, message, **forms):
        """The dashboard again, with ``message`` on top and the refused ``forms`` showing their errors."""
        messages.error(self.request, message)
        return TemplateResponse(self.request, self.template_name, self.get_context_data(**forms))

    def plan_context(self, plan, params):
        seats = service.plan_seats(plan)
        staff, reaching = service.reaching_minimum(plan, seats)
        summary = totals(seats, staff=staff, reaching=reaching)
        if params.get("unit"):
            seats = seats[seats["unit"].astype(str) == params["unit"]]
        if params.get("category"):
            seats = seats[seats["category"] == params["category"]]
        # Each distinct code is translated once (a plan has tens of thousands of seats, a handful of codes).
        seats = seats.assign(category=_labels(seats["category"], TopicCategory.choices),
                             competency_type=_labels(seats["competency_type"], CompetencyGroup.choices))
        sections = []
        for column, title in BREAKDOWNS:
            table = allocation(seats, column)
            sections.append({"title": title, "rows": table.to_dict("records"), "label": column,
                             "chart": charts.allocation_chart(table, column, str(title)) if len(table) else ""})
        spent = service.planned_vs_spent(plan)
        return {
            "summary": summary, "sections": sections, "spent_rows": spent.to_dict("records"),
            "spent_chart": charts.planned_vs_spent_chart(spent, _("Planned vs committed vs spent (Rp million)"))
            if len(spent) else "",
            "events": plan.events.select_related("user__employee"), "items": service.plan_items(plan)[:200],
        }


def _labels(codes, choices):
    """``codes`` (a Series) as their choice labels in the active language; unknown codes as they are."""
    names = dict(choices)
    return codes.map({code: str(names.get(code, code)) for code in codes.unique()})


def _pick(plans, pk):
    try:
        return next((p for p in plans if p.pk == int(pk)), None) if pk else None
    except ValueError:
        return None


def comparison(first, second):
    """Two plans side by side: headline figures, and cost and closure per unit."""
    rows, per_unit = [], {}
    for plan in (first, second):
        seats = service.plan_seats(plan)
        staff, reaching = service.reaching_minimum(plan, seats)
        rows.append({"plan": plan, "summary": totals(seats, staff=staff, reaching=reaching),
                     "figures": plan.figures or {}})
        per_unit[plan.pk] = allocation(seats, "unit_name").set_index("unit_name")
    # Units by the first plan's money, most first, then any only the second plan funds.
    units = list(per_unit[first.pk].index) + sorted(set(per_unit[second.pk].index) - set(per_unit[first.pk].index))
    cost = [(p.name, [per_unit[p.pk]["cost"].get(u, 0) / 1e6 for u in units]) for p in (first, second)]
    closure = [(p.name, [per_unit[p.pk]["expected_closure"].get(u, 0) for u in units]) for p in (first, second)]
    a, b = rows[0]["summary"], rows[1]["summary"]
    return {
        "rows": rows, "units": units,
        "difference": {"cost": b["cost"] - a["cost"], "expected_closure": b["expected_closure"] - a["expected_closure"],
                       "reaching_minimum": b["reaching_minimum"] - a["reaching_minimum"]},
        "cost_chart": charts.compare_chart(units, cost, _("Cost per unit (Rp million)"), _("Rp million")),
        "closure_chart": charts.compare_chart(units, closure, _("Gap closed per unit"), _("priority-weighted levels")),
    }


class EnvelopeSaveView(BudgetDashboardView):
    """Set an envelope; a refused amount comes back in the form with how to write it."""

    http_method_names = ["post"]

    def post(self, request):
        agency, year = self.resolve(request.POST)
        form = EnvelopeForm(request.POST, agency=agency)
        if not form.is_valid():
            return self.refused(_("The envelope was not saved: %(errors)s") % {"errors": errors_text(form)},
                                envelope_form=form)
        try:
            envelope = service.envelope_set(agency=agency, fiscal_year=year, user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Envelope saved: %(amount)s on %(envelope)s.") % {
                "amount": format_rupiah(envelope.amount), "envelope": envelope_label(envelope)})
        return redirect(self.dashboard_url(agency, year))


def _whatif_form(request, agency, year):
    envelopes = Envelope.objects.filter(agency=agency, fiscal_year=year).select_related("unit")
    return WhatIfForm(request.POST, envelopes=envelopes)


class PlanCreateView(BudgetDashboardView):
    """Draw up a draft plan (optimised or greedy, at a budget factor, or against what-if amounts)."""

    http_method_names = ["post"]

    def post(self, request):
        agency, year = self.resolve(request.POST)
        form = PlanForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a method and a budget."))
            return redirect(self.dashboard_url(agency, year))
        amounts = _whatif_form(request, agency, year)
        if not amounts.is_valid():
            return self.refused(_("No plan was drawn up: %(errors)s") % {"errors": errors_text(amounts)},
                                whatif_form=amounts)
        started = time.perf_counter()
        try:
            plan = service.plan_budget(agency=agency, fiscal_year=year, user=request.user,
                                       method=form.cleaned_data["method"], factor=float(form.cleaned_data["factor"]),
                                       name=form.cleaned_data["name"], amounts=amounts.amounts() or None)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(self.dashboard_url(agency, year))
        messages.success(request, _("Draft plan “%(name)s” drawn up in %(duration)s.") % {
            "name": plan.name, "duration": seconds_text(time.perf_counter() - started)})
        return redirect(self.dashboard_url(agency, year, plan=plan.pk))


class WhatIfView(BudgetDashboardView):
    """Re-plan against changed envelope amounts, without saving, with the value of the next Rp 10 million."""

    http_method_names = ["post"]

    def post(self, request):
        agency, year = self.resolve(request.POST)
        form = _whatif_form(request, agency, year)
        if not form.is_valid():
            return self.refused(_("Nothing was re-planned: %(errors)s") % {"errors": errors_text(form)},
                                whatif_form=form)
        amounts = form.amounts()
        started = time.perf_counter()
        try:
            base, rows = service.next_money_value(agency=agency, fiscal_year=year, user=request.user, amounts=amounts)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(self.dashboard_url(agency, year))
        envelopes = {e.pk: e for e in Envelope.objects.filter(agency=agency, fiscal_year=year).select_related("unit")}
        for row in rows:
            row["label"] = envelopes.get(row["envelope"])
        whatif = {
            "amounts": amounts, "total": sum(amounts.get(pk, e.amount) for pk, e in envelopes.items()),
            "value": base.value, "objective": base.objective, "spent": base.total_spent, "seats": base.seats_chosen,
            "reaching": base.reaching_minimum, "employees": base.employees, "gap": base.gap,
            "rows": sorted(rows, key=lambda r: -r["value"]), "seconds": time.perf_counter() - started,
        }
        return TemplateResponse(request, self.template_name, self.get_context_data(whatif=whatif, whatif_form=form))


class PlanMoveView(BudgetMixin, View):
    """Submit, approve or return a plan."""

    http_method_names = ["post"]
    moves = {"submit": service.plan_submit, "approve": service.plan_approve, "return": service.plan_return}
    done = {
        "submit": gettext_lazy("Plan “%(name)s” submitted."),
        "approve": gettext_lazy("Plan “%(name)s” approved."),
        "return": gettext_lazy("Plan “%(name)s” returned to draft."),
    }

    def post(self, request, pk, move):
        plan = get_object_or_404(TrainingPlan, pk=pk)
        if move not in self.moves:
            raise Http404
        try:
            self.moves[move](plan=plan, user=request.user, note=request.POST.get("note", ""))
            messages.success(request, self.done[move] % {"name": plan.name})
        except PermissionDenied:
            return permission_denied(request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(self.dashboard_url(plan.agency, plan.fiscal_year, plan=plan.pk))


class PlanExportView(BudgetMixin, View):
    """The plan as XLSX or CSV."""

    def get(self, request, pk, fmt):
        plan = get_object_or_404(TrainingPlan.objects.select_related("agency"), pk=pk)
        if not service.can_plan(request.user, plan.agency):
            return permission_denied(request)
        body = plan_xlsx(plan) if fmt == "xlsx" else plan_csv(plan)
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
        filename = f"rencana-{plan.agency.code}-{plan.fiscal_year}-{plan.pk}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class BudgetMenuItem(MenuItem):
    def is_shown(self, request):
        return is_planner(request.user)


def budget_menu_item():
    return BudgetMenuItem(gettext_lazy("Training budget"), reverse_lazy("lms_budget"), name="lms-budget", icon_name="table",
                          order=860)


ADMIN_URLS = [
    path("latih/budget/", BudgetDashboardView.as_view(), name="lms_budget"),
    path("latih/budget/envelopes/", EnvelopeSaveView.as_view(), name="lms_budget_envelope"),
    path("latih/budget/plans/", PlanCreateView.as_view(), name="lms_budget_plan"),
    path("latih/budget/what-if/", WhatIfView.as_view(), name="lms_budget_whatif"),
    path("latih/budget/plans/<int:pk>/<slug:move>/", PlanMoveView.as_view(), name="lms_budget_move"),
    path("latih/budget/plans/<int:pk>/export.xlsx", PlanExportView.as_view(), {"fmt": "xlsx"},
         name="lms_budget_export_xlsx"),
    path("latih/budget/plans/<int:pk>/export.csv", PlanExportView.as_view(), {"fmt": "csv"}, name="lms_budget_export_csv"),
]
MENU_ITEMS = [budget_menu_item]
