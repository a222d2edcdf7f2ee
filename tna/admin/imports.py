"""Admin views to upload an import file, preview it or see its errors, and confirm."""

from django import forms
from django.core.exceptions import PermissionDenied
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

from ..imports import FORMATS, ImportRejected, import_file
from ..imports.pending import pending_discard, pending_load, pending_save
from ..roles import TRAINING_ADMIN, has_role

SESSION_KEY = "tna_pending_import"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
ERRORS_SHOWN = 1000
EXTENSIONS = (".csv", ".xlsx")


def can_import(user):
    """Superusers and training admins (the latter for their own agency only)."""
    return bool(getattr(user, "is_active", False) and (user.is_superuser or has_role(user, TRAINING_ADMIN)))


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
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than %d MB; import it with the manage.py command.")
                                        % (MAX_UPLOAD_BYTES // (1024 * 1024)))
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

    def render_rejected(self, rejected, *, kind, filename):
        return self.render_page(
            "errors", kind_label=FORMATS[kind].label, filename=filename,
            errors=rejected.errors[:ERRORS_SHOWN], error_count=len(rejected.errors),
            hidden_errors=max(0, len(rejected.errors) - ERRORS_SHOWN), bad_rows=rejected.row_count,
        )


class ImportUploadView(ImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    """Choose the kind and the file; a dry run shows the errors or a preview to confirm."""

    form_class = ImportForm
    template_name = "tna/admin/imports/upload.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["formats"] = FORMATS.values()
        return context

    def form_valid(self, form):
        kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
        data = upload.read()
        try:
            result = import_file(kind=kind, file=data, filename=upload.name, user=self.request.user, dry_run=True)
        except ImportRejected as rejected:
            return self.render_rejected(rejected, kind=kind, filename=upload.name)
        except PermissionDenied as denied:
            messages.error(self.request, str(denied))
            return redirect("tna_import")
        previous = self.request.session.get(SESSION_KEY)
        if previous:
            pending_discard(previous.get("token"))
        token, sha256 = pending_save(data)
        self.request.session[SESSION_KEY] = {"token": token, "sha256": sha256, "kind": kind, "filename": upload.name}
        return self.render_page(
            "preview", result=result, kind=kind, kind_label=FORMATS[kind].label, filename=upload.name, token=token,
        )


class ImportConfirmView(ImportPermissionMixin, WagtailAdminTemplateMixin, View):
    """Write the previewed file; it is checked again, since the database may have moved on."""

    http_method_names = ["post"]

    def post(self, request):
        pending = request.session.get(SESSION_KEY) or {}
        token = request.POST.get("token", "")
        # Only the bytes this session previewed are written: the token must be the session's and
        # the stored file must still hash to what was checked; posted data is never used.
        mine = bool(token) and token == pending.get("token")
        data = pending_load(token, pending.get("sha256")) if mine else None
        if data is None:
            if mine:  # expired or altered on disk: it can never be confirmed now
                pending_discard(token)
                request.session.pop(SESSION_KEY, None)
            messages.error(request, _("That upload is no longer waiting for confirmation; upload the file again."))
            return redirect("tna_import")
        kind, filename = pending["kind"], pending["filename"]
        try:
            result = import_file(kind=kind, file=data, filename=filename, user=request.user)
        except ImportRejected as rejected:
            return self.render_rejected(rejected, kind=kind, filename=filename)
        finally:
            pending_discard(token)
            request.session.pop(SESSION_KEY, None)
        messages.success(request, _(
            "%(file)s imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged."
        ) % {"file": filename, "created": result.created, "updated": result.updated, "unchanged": result.unchanged})
        return redirect("tna_import")


class ImportsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


def imports_menu_item():
    return ImportsMenuItem(gettext_lazy("Imports"), reverse_lazy("tna_import"), name="tna-imports", icon_name="upload", order=850)


VIEWSETS = []
ADMIN_URLS = [
    path("latih/imports/", ImportUploadView.as_view(), name="tna_import"),
    path("latih/imports/confirm/", ImportConfirmView.as_view(), name="tna_import_confirm"),
]
MENU_ITEMS = [imports_menu_item]
