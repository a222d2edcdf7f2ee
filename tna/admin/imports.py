"""Admin views to upload an import file, follow its check, see its preview or errors, and confirm.

Small files are checked and written while the page loads; larger ones
(``LATIH_IMPORT_BACKGROUND_BYTES``) by background tasks, followed on a status page that
reloads itself (docs/imports.md#limits).
"""

import csv
import uuid

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..conf import settings
from ..imports import FORMATS
from ..infra.formats import integer, number
from ..infra.row_errors import RowError
from ..models import ImportJob
from ..roles import TRAINING_ADMIN, has_role
from ..tasks import import_confirm, import_start

ERRORS_SHOWN = 1000
EXTENSIONS = (".csv", ".xlsx")
RECENT_JOBS = 10
REFRESH_SECONDS = 2
Status = ImportJob.Status
STAGES = {
    "read": gettext_lazy("Reading and checking rows"),
    "check supervisors": gettext_lazy("Checking the supervisor chains"),
    "write": gettext_lazy("Writing rows"),
    "link supervisors": gettext_lazy("Linking supervisors"),
}


def can_import(user):
    """Superusers and training admins (the latter for their own agency only)."""
    return bool(getattr(user, "is_active", False) and (user.is_superuser or has_role(user, TRAINING_ADMIN)))


def file_size(size):
    """``64 MB``, ``1.5 MB`` or ``200 KB`` in the active language."""
    if size >= 1024 * 1024:
        return "%s MB" % number(size / (1024 * 1024), 0 if size >= 10 * 1024 * 1024 else 1)
    return "%s KB" % number(size / 1024, 0)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), widget=forms.RadioSelect)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (UTF-8, separated by , or ;) or Excel .xlsx; the first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (kind, "%s — %s" % (fmt.label, ", ".join(fmt.required))) for kind, fmt in FORMATS.items()
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        # Refused on its size alone, before a byte of it is read.
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_(
                "The file is %(size)s; one upload may hold at most %(limit)s. Split it into smaller "
                "files, or ask an administrator to import it with the manage.py command."
            ) % {"size": file_size(upload.size), "limit": file_size(settings.IMPORT_MAX_BYTES)})
        return upload


class ImportPermissionMixin:
    header_icon = "upload"
    page_title = gettext_lazy("Imports")

    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse("tna_import"), "label": _("Imports")}]

    def render_page(self, name, **context):
        """Render ``tna/admin/imports/<name>.html`` in the admin's frame."""
        return TemplateResponse(self.request, "tna/admin/imports/%s.html" % name, self.get_context_data(**context))

    def render_job(self, job):
        """The page that fits where ``job`` is: its progress, preview, errors or outcome."""
        context = {"job": job, "kind_label": FORMATS[job.kind].label if job.kind in FORMATS else job.kind,
                   "filename": job.filename}
        if job.status == Status.CHECKED:
            result = job.result
            return self.render_page(
                "preview", result=result, token=job.token, background=job.size > settings.IMPORT_BACKGROUND_BYTES,
                warnings=[RowError(*w) for w in result.get("warnings", [])], **context,
            )
        if job.status == Status.REJECTED:
            errors = [RowError(*e) for e in job.errors[:ERRORS_SHOWN]]
            return self.render_page(
                "errors", errors=errors, error_count=job.error_count, bad_rows=job.bad_rows,
                hidden_errors=max(0, job.error_count - len(errors)), listed=len(job.errors), **context,
            )
        if job.working:
            response = self.render_page("status", stage=STAGES.get(job.stage, ""), refresh=REFRESH_SECONDS,
                                        percent=min(100, round(100 * job.done / job.total)) if job.total else None,
                                        done=integer(job.done), total=integer(job.total), **context)
            # The page reloads itself (no script: the admin's CSP allows none inline).
            response["Refresh"] = str(REFRESH_SECONDS)
            return response
        return self.render_page("status", **context)

    def own_job(self, token):
        try:
            return ImportJob.objects.select_related("requested_by").get(token=token, requested_by=self.request.user)
        except (ImportJob.DoesNotExist, ValueError):
            raise Http404(_("No such upload.")) from None


class ImportUploadView(ImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    """Choose the kind and the file; a dry run shows the errors or a preview to confirm."""

    form_class = ImportForm
    template_name = "tna/admin/imports/upload.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["formats"] = FORMATS.values()
        context["recent"] = [
            (job, FORMATS[job.kind].label if job.kind in FORMATS else job.kind)
            for job in ImportJob.objects.filter(requested_by=self.request.user)[:RECENT_JOBS]
        ]
        context["limits"] = {
            "bytes": file_size(settings.IMPORT_MAX_BYTES), "rows": integer(settings.IMPORT_MAX_ROWS),
            "background": file_size(settings.IMPORT_BACKGROUND_BYTES),
        }
        return context

    def form_valid(self, form):
        kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
        try:
            job = import_start(kind=kind, upload=upload, user=self.request.user)
        except PermissionDenied as denied:
            messages.error(self.request, str(denied))
            return redirect("tna_import")
        if job.status == Status.FAILED:
            messages.error(self.request, job.failure)
            return redirect("tna_import")
        if job.working or job.size > settings.IMPORT_BACKGROUND_BYTES:
            return redirect("tna_import_job", token=job.token)
        return self.render_job(job)


class ImportJobView(ImportPermissionMixin, WagtailAdminTemplateMixin, View):
    """Where one upload stands: a page that reloads while it is checked or written."""

    http_method_names = ["get"]

    def get(self, request, token):
        return self.render_job(self.own_job(token))


class ImportConfirmView(ImportPermissionMixin, WagtailAdminTemplateMixin, View):
    """Write the previewed file; it is checked again, since the database may have moved on."""

    http_method_names = ["post"]

    def post(self, request):
        # Only the bytes the uploader checked are written: the job must be theirs, still waiting,
        # and its stored file must hash to what was checked; posted data is never used.
        job = ImportJob.objects.filter(token=_uuid(request.POST.get("token")), requested_by=request.user).first()
        try:
            if job is None:
                raise PermissionDenied
            job = import_confirm(job=job, user=request.user)
        except PermissionDenied:
            messages.error(request, _("That upload is no longer waiting for confirmation; upload the file again."))
            return redirect("tna_import")
        if job.working or job.size > settings.IMPORT_BACKGROUND_BYTES:
            return redirect("tna_import_job", token=job.token)
        if job.status == Status.DONE:
            result = job.result
            messages.success(request, _(
                "%(file)s imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged."
            ) % {"file": job.filename, "created": result["created"], "updated": result["updated"],
                 "unchanged": result["unchanged"]})
            return redirect("tna_import")
        return self.render_job(job)


class ImportErrorsCsvView(ImportPermissionMixin, View):
    """The problems of a rejected upload as a CSV, to work through in a spreadsheet."""

    http_method_names = ["get"]

    def get(self, request, token):
        job = self.own_job(token)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="%s"' % ("errors-%s.csv" % job.token.hex[:8])
        response.write("\ufeff")  # Excel reads the file as UTF-8 only with a BOM
        writer = csv.writer(response)
        writer.writerow([_("Row"), _("Column"), _("Value"), _("Problem")])
        writer.writerows(job.errors)
        return response


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


class ImportsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


def imports_menu_item():
    return ImportsMenuItem(gettext_lazy("Imports"), reverse_lazy("tna_import"), name="tna-imports", icon_name="upload", order=850)


VIEWSETS = []
ADMIN_URLS = [
    path("latih/imports/", ImportUploadView.as_view(), name="tna_import"),
    path("latih/imports/confirm/", ImportConfirmView.as_view(), name="tna_import_confirm"),
    path("latih/imports/<uuid:token>/", ImportJobView.as_view(), name="tna_import_job"),
    path("latih/imports/<uuid:token>/errors.csv", ImportErrorsCsvView.as_view(), name="tna_import_errors"),
]
MENU_ITEMS = [imports_menu_item]
