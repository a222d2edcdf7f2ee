"""Admin pages of the site's security: the audit trail, and sign-ins locked after failures (with
a way to unlock them). HR see their own agency; superusers every agency and every address."""

from datetime import datetime, time

from axes.models import AccessAttempt
from axes.utils import reset
from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Max, Q, Sum
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from tna.models import Employee
from tna.roles import user_agency

from .audit import audit_entries_for, audited_models, may_read_audit_trail, person_name

ENTRIES_PER_PAGE = 50


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Record"), required=False)
    person = forms.CharField(label=gettext_lazy("Changed by (name or NIP)"), required=False)
    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All records"))] + [
            (model._meta.label_lower, model._meta.verbose_name_plural.capitalize()) for model in audited_models()
        ]

    def apply(self, entries):
        """``entries`` narrowed by the valid filters."""
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["kind"]:
            app_label, model = data["kind"].split(".")
            entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
        if data["person"]:
            text = data["person"].strip()
            entries = entries.filter(Q(actor__username__icontains=text) | Q(actor__employee__name__icontains=text))
        zone = timezone.get_current_timezone()
        if data["since"]:
            entries = entries.filter(timestamp__gte=datetime.combine(data["since"], time.min, zone))
        if data["until"]:
            entries = entries.filter(timestamp__lte=datetime.combine(data["until"], time.max, zone))
        return entries


class AgencyHROnly:
    """Refuses everyone but the HR of an agency and superusers (the readers of the audit trail)."""

    def dispatch(self, request, *args, **kwargs):
        if not may_read_audit_trail(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class AuditTrailView(AgencyHROnly, WagtailAdminTemplateMixin, TemplateView):
    """Who changed what and when, newest first, filtered by record, person and dates."""

    template_name = "cms/admin/audit_trail.html"
    page_title = gettext_lazy("Audit trail")
    header_icon = "history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AuditFilterForm(self.request.GET or None)
        entries = form.apply(audit_entries_for(self.request.user)).select_related("actor__employee")
        page = Paginator(entries, ENTRIES_PER_PAGE).get_page(self.request.GET.get("p"))
        context.update(form=form, page=page, rows=[_row(entry) for entry in page.object_list])
        return context


def _row(entry):
    """What one line of the trail shows."""
    changes = []
    for field, (old, new) in (entry.changes_display_dict or {}).items():
        changes.append({"field": field, "old": old, "new": new})
    return {
        "when": entry.timestamp,
        "who": person_name(entry.actor) if entry.actor_id else _("the system"),
        "kind": entry.content_type.model_class()._meta.verbose_name if entry.content_type.model_class() else "",
        "record": entry.object_repr,
        "action": entry.get_action_display(),
        "changes": changes,
    }


def locked_accounts(user):
    """Accounts locked now, with their failures and the last one, as far as ``user`` may see:
    their agency's staff for HR, every account for superusers."""
    threshold = timezone.now() - timezone.timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempts = AccessAttempt.objects.filter(attempt_time__gte=threshold)
    if not user.is_superuser:
        agency = user_agency(user)
        nips = Employee.objects.filter(agency=agency).values("user__username")
        attempts = attempts.filter(username__in=nips)
    return list(
        attempts.values("username").annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.LATIH_SIGNIN_FAILURES_PER_ACCOUNT).order_by("-last")
    )


def locked_addresses():
    """Addresses locked now (superusers only: an address is not one agency's)."""
    threshold = timezone.now() - timezone.timedelta(hours=settings.AXES_COOLOFF_TIME)
    return list(
        AccessAttempt.objects.filter(attempt_time__gte=threshold).values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.LATIH_SIGNIN_FAILURES_PER_ADDRESS).order_by("-last")
    )


class SignInLocksView(AgencyHROnly, WagtailAdminTemplateMixin, TemplateView):
    """Locked accounts (and, for superusers, addresses), each with an Unlock button."""

    template_name = "cms/admin/signin_locks.html"
    page_title = gettext_lazy("Locked sign-ins")
    header_icon = "lock"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        accounts = locked_accounts(self.request.user)
        names = dict(Employee.objects.filter(user__username__in=[a["username"] for a in accounts])
                     .values_list("user__username", "name"))
        for account in accounts:
            account["name"] = names.get(account["username"], "")
        context.update(accounts=accounts,
                       addresses=locked_addresses() if self.request.user.is_superuser else [],
                       account_limit=settings.LATIH_SIGNIN_FAILURES_PER_ACCOUNT,
                       address_limit=settings.LATIH_SIGNIN_FAILURES_PER_ADDRESS)
        return context

    def post(self, request):
        username, address = request.POST.get("username", ""), request.POST.get("ip_address", "")
        if username and any(a["username"] == username for a in locked_accounts(request.user)):
            reset(username=username)
            messages.success(request, _("Account %(username)s can sign in again.") % {"username": username})
        elif address and request.user.is_superuser:
            reset(ip=address)
            messages.success(request, _("Sign-ins from %(address)s are open again.") % {"address": address})
        else:
            messages.error(request, _("There is no such lock you may open."))
        return redirect("cms_signin_locks")


def admin_urls():
    return [
        path("security/audit/", AuditTrailView.as_view(), name="cms_audit_trail"),
        path("security/locks/", SignInLocksView.as_view(), name="cms_signin_locks"),
    ]


class _SecurityItem(MenuItem):
    def is_shown(self, request):
        return may_read_audit_trail(request.user)


def security_menu_item():
    """The Security submenu: the audit trail and locked sign-ins, for HR and superusers."""
    menu = Menu(items=[
        _SecurityItem(_("Audit trail"), reverse("cms_audit_trail"), icon_name="history", order=100),
        _SecurityItem(_("Locked sign-ins"), reverse("cms_signin_locks"), icon_name="lock", order=200),
    ])
    return _SecuritySubmenu(_("Security"), menu, icon_name="lock", order=9000)


class _SecuritySubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return may_read_audit_trail(request.user)
