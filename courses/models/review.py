"""The review step courses pass before they are public: a group approval limited to one agency."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, TaskState

from tna.roles import user_agency


def _same_agency(obj, user):
    """True when ``obj`` has no agency, or it is ``user``'s agency (superusers: always)."""
    agency_id = getattr(obj, "agency_id", None)
    if agency_id is None or user.is_superuser:
        return True
    agency = user_agency(user)
    return agency is not None and agency.pk == agency_id


class AgencyReviewTask(AbstractGroupApprovalTask):
    """Members of the chosen groups approve or reject — but only for objects of their own agency.

    Wagtail's plain group approval would let a planner of one regency publish another regency's
    course; this task keeps reviewing inside the agency (superusers review everywhere).
    """

    def user_can_access_editor(self, obj, user):
        return super().user_can_access_editor(obj, user) and _same_agency(obj, user)

    def locked_for_user(self, obj, user):
        return super().locked_for_user(obj, user) or not _same_agency(obj, user)

    def user_can_lock(self, obj, user):
        return super().user_can_lock(obj, user) and _same_agency(obj, user)

    def get_actions(self, obj, user):
        return super().get_actions(obj, user) if _same_agency(obj, user) else []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from .catalogue import Course

        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if user.is_superuser:
            return states
        agency = user_agency(user)
        if agency is None:
            return TaskState.objects.none()
        own = Course.objects.filter(agency=agency).annotate(pk_text=Cast("pk", CharField())).values("pk_text")
        course_type = ContentType.objects.get_for_model(Course)
        return states.filter(
            workflow_state__base_content_type=course_type, workflow_state__object_id__in=own
        ) | states.exclude(workflow_state__base_content_type=course_type)

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups approve, for their own agency only")

    class Meta:
        verbose_name = _("agency review task")
        verbose_name_plural = _("agency review tasks")
