"""Admin views to start a TNA run as a background task and follow its state.

Planners (their own agency) and superusers (any agency, or all at once) pick a cycle and start
a run; all agencies at once queue one run per agency (``tna_cycle_start``), which the workers
share. The page lists the runs with their state, counts, duration and error, counts those still
waiting or running, and reloads itself while any is.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..models import Agency, Cycle, TnaRun
from ..roles import PLANNER, has_role, user_agency
from ..tasks import tna_cycle_start, tna_run_start

RUNS_SHOWN = 50
RELOAD_SECONDS = 5


def can_run_tna(user):
    """Superusers and planners; a planner only for their own agency (see ``agencies_for``)."""
    if not getattr(user, "is_active", False):
        return False
    return user.is_superuser or (has_role(user, PLANNER) and user_agency(user) is not None)


def agencies_for(user):
    """The agencies ``user`` may run the analysis for."""
    if user.is_superuser:
        return Agency.objects.order_by("name")
    agency = user_agency(user)
    return Agency.objects.filter(pk=agency.pk) if agency else Agency.objects.none()


def runs_for(user):
    """The runs ``user`` may see: all for superusers, their agency's for planners."""
    runs = TnaRun.objects.select_related("cycle", "agency", "requested_by__employee").order_by("-created_at", "-pk")
    return runs if user.is_superuser else runs.filter(agency=user_agency(user))


class StartRunForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=gettext_lazy("Cycle"), queryset=Cycle.objects.order_by("-year"), empty_label=None,
    )
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Agency"), queryset=Agency.objects.none(), required=False,
        empty_label=gettext_lazy("All agencies"),
        help_text=gettext_lazy("A run for one agency leaves the other agencies' results as they are. All agencies "
                               "queues one run per agency, which the background workers share."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["agency"]
        field.queryset = agencies_for(user)
        if not user.is_superuser:
            field.required, field.empty_label = True, None
            field.initial = user_agency(user)

    def clean_agency(self):
        agency = self.cleaned_data["agency"]
        if agency is None and not self.user.is_superuser:
            raise ValidationError(_("Choose your agency."))
        return agency


class TnaRunsView(WagtailAdminTemplateMixin, FormView):
    """Start a run; see the runs so far."""

    form_class = StartRunForm
    template_name = "tna/admin/analysis/runs.html"
    page_title = gettext_lazy("TNA runs")
    header_icon = "cogs"

    def dispatch(self, request, *args, **kwargs):
        if not can_run_tna(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse("tna_runs"), "label": _("TNA runs")}]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = runs_for(self.request.user)
        runs = list(visible[:RUNS_SHOWN])
        for run in runs:
            run.duration = (run.finished_at - run.started_at).total_seconds() if run.started_at and run.finished_at else None
            run.error_summary = run.error.split("\n", 1)[0]
        # A whole cycle is one run per agency: more than the page lists, so count what is still under way.
        under_way = dict(visible.filter(status__in=[TnaRun.Status.QUEUED, TnaRun.Status.RUNNING]).order_by()
                         .values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
        context.update(
            runs=runs,
            queued=under_way.get(TnaRun.Status.QUEUED, 0),
            running=under_way.get(TnaRun.Status.RUNNING, 0),
            active=bool(under_way),
            reload_seconds=RELOAD_SECONDS,
            has_cycles=Cycle.objects.exists(),
        )
        return context

    def form_valid(self, form):
        cycle, agency = form.cleaned_data["cycle"], form.cleaned_data["agency"]
        try:
            if agency is None:
                runs = tna_cycle_start(cycle=cycle, requested_by=self.request.user)
            else:
                run = tna_run_start(cycle=cycle, agency=agency, requested_by=self.request.user)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect("tna_runs")
        if agency is None:
            self.report_cycle(cycle, runs)
            return redirect("tna_runs")
        scope = agency.name
        if run.status == TnaRun.Status.FAILED:
            # With an immediate task backend the run is already over; the list shows its error.
            messages.error(self.request, _("The TNA run for %(cycle)s (%(scope)s) failed; see the error below.")
                           % {"cycle": cycle.year, "scope": scope})
        elif run.status == TnaRun.Status.SUCCEEDED:
            messages.success(self.request, _("TNA %(cycle)s (%(scope)s) done: %(employees)d employees, %(gaps)d gaps.")
                             % {"cycle": cycle.year, "scope": scope, "employees": run.employees, "gaps": run.gaps})
        else:
            messages.success(self.request, _("TNA %(cycle)s (%(scope)s) started in the background; this page shows "
                                             "its progress.") % {"cycle": cycle.year, "scope": scope})
        return redirect("tna_runs")

    def report_cycle(self, cycle, runs):
        """The message after queueing every agency: done (an immediate backend), failed, or queued."""
        failed = sum(run.status == TnaRun.Status.FAILED for run in runs)
        values = {"cycle": cycle.year, "runs": len(runs), "failed": failed,
                  "employees": sum(run.employees for run in runs), "gaps": sum(run.gaps for run in runs)}
        if not runs:
            messages.error(self.request, _("No agency has active staff to analyse."))
        elif failed:
            messages.error(self.request, ngettext(
                "TNA %(cycle)s: %(failed)d of %(runs)d agency run failed; see the errors below.",
                "TNA %(cycle)s: %(failed)d of %(runs)d agency runs failed; see the errors below.", len(runs)) % values)
        elif all(run.status == TnaRun.Status.SUCCEEDED for run in runs):
            messages.success(self.request, ngettext(
                "TNA %(cycle)s (all agencies) done in %(runs)d agency run: %(employees)d employees, %(gaps)d gaps.",
                "TNA %(cycle)s (all agencies) done in %(runs)d agency runs: %(employees)d employees, %(gaps)d gaps.",
                len(runs)) % values)
        else:
            messages.success(self.request, ngettext(
                "TNA %(cycle)s queued as %(runs)d agency run; the background workers share them and this page "
                "shows their progress.",
                "TNA %(cycle)s queued as %(runs)d agency runs; the background workers share them and this page "
                "shows their progress.", len(runs)) % values)


class TnaRunsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_run_tna(request.user)


class HeatmapMenuItem(MenuItem):
    """A link to the site's planner heatmap, shown when the host site includes tna's URLs."""

    def __init__(self, label, **kwargs):
        super().__init__(label, "", **kwargs)

    def heatmap_url(self):
        try:
            return reverse("tna:planner")
        except NoReverseMatch:
            return ""

    def is_shown(self, request):
        return can_run_tna(request.user) and bool(self.heatmap_url())

    def render_component(self, request):
        self.url = self.heatmap_url()
        return super().render_component(request)


class TnaSubmenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return can_run_tna(request.user)


def tna_menu_item():
    return TnaSubmenuItem(
        gettext_lazy("TNA"),
        Menu(items=[
            TnaRunsMenuItem(gettext_lazy("Runs"), reverse_lazy("tna_runs"), name="tna-runs", icon_name="cogs", order=100),
            HeatmapMenuItem(gettext_lazy("Gap heatmap"), name="tna-heatmap", icon_name="table", order=200),
        ]),
        name="tna", icon_name="cogs", order=230,
    )


VIEWSETS = []
ADMIN_URLS = [path("latih/tna-runs/", TnaRunsView.as_view(), name="tna_runs")]
MENU_ITEMS = [tna_menu_item]
