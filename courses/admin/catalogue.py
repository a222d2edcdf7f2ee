"""Wagtail admin for the catalogue: providers, courses (reviewed before publishing) and sessions.

Every view is limited to the user's agency (superusers see all): listings and choosers through
``AgencyPermissionPolicy.scope``, the site history through ``CatalogueLogEntry``, and every URL that names an object (edit, history, revisions,
preview, lock, workflow…) through ``_scoped`` — another agency's object is a 404, whatever view
Wagtail adds later. Forms offer only the user's agency, its providers and its courses.
"""

from functools import wraps

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import ListingButton
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from tna.roles import user_agency

from .. import services
from ..forms import CourseForm, ProviderForm, SessionForm
from ..models import Course, Provider, Session, SessionStatus
from .choosers import AgencyScopedChooserViewSet


class AgencyScopedSnippetViewSet(SnippetViewSet):
    """A snippet viewset whose listing, chooser and object URLs stop at the user's agency."""

    chooser_viewset_class = AgencyScopedChooserViewSet

    def get_queryset(self, request):
        base = self.model._default_manager.all()
        return policy_registry.get_by_type(self.model).scope(base, request.user)

    def get_urlpatterns(self):
        return [self._scoped(pattern) for pattern in super().get_urlpatterns()]

    def _scoped(self, pattern):
        if not isinstance(pattern, URLPattern) or "<" not in str(pattern.pattern) or "pk>" not in str(pattern.pattern):
            return pattern
        view, viewset = pattern.callback, self

        @wraps(view)
        def scoped_view(request, *args, **kwargs):
            if not request.user.is_superuser:
                visible = viewset.get_queryset(request).filter(pk=unquote(str(kwargs["pk"])))
                if not visible.exists():
                    raise Http404
            return view(request, *args, **kwargs)

        return URLPattern(pattern.pattern, scoped_view, pattern.default_args, pattern.name)


class ProviderViewSet(AgencyScopedSnippetViewSet):
    model = Provider
    icon = "group"
    menu_label = _("Providers")
    list_display = ["name", "kind", "agency", "accredited"]
    list_filter = ["kind", "accredited"]
    search_fields = None  # the model's search index
    copy_view_enabled = False

    @property
    def edit_handler(self):
        return ObjectList(Provider.panels, base_form_class=ProviderForm)


class CourseViewSet(AgencyScopedSnippetViewSet):
    model = Course
    icon = "doc-full"
    menu_label = _("Courses")
    list_display = ["title", "code", "category", "mode", "jp", Column("status_string", label=_("status"))]
    list_filter = ["category", "mode", "route", "live"]
    # The model's own search index (titles, code, descriptions): naming fields here breaks SQLite's FTS.
    search_fields = None
    copy_view_enabled = True

    @property
    def edit_handler(self):
        return ObjectList(Course.panels, base_form_class=CourseForm)


class ServiceErrorsOnFormMixin:
    """The catalogue services refuse bad sessions with a ValidationError: show it on the form."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)


class SessionCreateView(ServiceErrorsOnFormMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        session = services.session_create(
            course=data["course"], meetings=data["slots"], capacity=data["capacity"], place=data.get("place", ""),
            online_url=data.get("online_url", ""), label=data.get("label", ""), trainer=data.get("trainer", ""),
            enrollment_opens=data.get("enrollment_opens"), enrollment_closes=data.get("enrollment_closes"),
            user=self.request.user,
        )
        log(session, "wagtail.create", user=self.request.user)
        return session


class SessionEditView(ServiceErrorsOnFormMixin, EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.object.status in (SessionStatus.SCHEDULED, SessionStatus.POSTPONED):
            buttons.append(Button(_("Cancel session"), url=reverse("courses_session_status", args=["cancel", self.object.pk]),
                                  icon_name="cross", priority=30))
        if self.object.status == SessionStatus.SCHEDULED:
            buttons.append(Button(_("Postpone"), url=reverse("courses_session_status", args=["postpone", self.object.pk]),
                                  icon_name="time", priority=31))
        return buttons

    def save_instance(self):
        data = self.form.cleaned_data
        fields = {name: data.get(name) for name in services.EDITABLE_FIELDS if name in self.form.fields}
        session = services.session_update(
            session=self.object, meetings=data["slots"], user=self.request.user, **fields
        )
        log(session, "wagtail.edit", user=self.request.user)
        return session


class SessionIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.status in (SessionStatus.SCHEDULED, SessionStatus.POSTPONED):
            buttons.append(ListingButton(
                _("Cancel"), url=reverse("courses_session_status", args=["cancel", instance.pk]), icon_name="cross",
                priority=40,
            ))
        return buttons


class SessionViewSet(AgencyScopedSnippetViewSet):
    model = Session
    icon = "date"
    menu_label = _("Sessions")
    list_display = ["course", "label", Column("starts_at", label=_("starts")), "capacity", "status"]
    list_filter = ["status"]
    search_fields = None
    copy_view_enabled = False
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView

    @property
    def edit_handler(self):
        return ObjectList([
            FieldPanel("course"),
            FieldRowPanel([FieldPanel("label"), FieldPanel("trainer")]),
            MultiFieldPanel([
                FieldPanel("schedule"),
                FieldRowPanel([FieldPanel("pattern_first_day"), FieldPanel("pattern_count")]),
                FieldPanel("pattern_weekdays"),
                FieldRowPanel([FieldPanel("pattern_start"), FieldPanel("pattern_end")]),
            ], heading=_("Schedule")),
            FieldRowPanel([FieldPanel("place"), FieldPanel("online_url")]),
            FieldRowPanel([FieldPanel("capacity"), FieldPanel("enrollment_opens"), FieldPanel("enrollment_closes")]),
        ], base_form_class=SessionForm)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("course", "course__agency")


def session_status_view(request, action, pk):
    """Cancel or postpone a session with a reason (admin); the session and its history stay."""
    operations = {"cancel": services.session_cancel, "postpone": services.session_postpone}
    if action not in operations:
        raise Http404
    session = get_object_or_404(Session.objects.select_related("course__agency"), pk=pk)
    if not request.user.is_superuser and user_agency(request.user) != session.course.agency:
        raise Http404
    if not policy_registry.get_by_type(Session).user_has_permission_for_instance(request.user, "change", session):
        raise PermissionDenied
    error = None
    if request.method == "POST":
        try:
            operations[action](session=session, reason=request.POST.get("reason", ""), user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            log(session, "wagtail.edit", user=request.user)
            messages.success(request, _("The session is %(status)s; participants' calendars will show it.") % {
                "status": (SessionStatus.CANCELLED if action == "cancel" else SessionStatus.POSTPONED).label.lower()})
            return redirect("wagtailsnippets_courses_session:edit", session.pk)
    return TemplateResponse(request, "courses/admin/session_status.html", {
        "session": session, "action": action, "error": error,
        "title": _("Cancel session") if action == "cancel" else _("Postpone session"),
    })


ADMIN_URLS = [
    path("courses/session/<str:action>/<int:pk>/", session_status_view, name="courses_session_status"),
]


class CatalogueViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Catalogue")
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (CourseViewSet, SessionViewSet, ProviderViewSet)


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
