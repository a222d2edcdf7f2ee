"""The audit trail: which records django-auditlog follows, and the part of it each person may read.

Ratings, appraisals, enrollment decisions, attendance, JP credits (completion), certificates,
budget envelopes, training plans, mentoring pairs (HR's locks, vetoes and starts) and supervisors'
coaching conversations with their levels masked as ratings' are. Each audited model says which agency a record belongs to
(``get_additional_data``); the agency is stored with every entry, so HR reads their own agency's
entries even after a record is deleted. A rating's level is never stored: the trail tells who
changed a rating and when, not what a rater said (docs/security.md).
"""

from django.apps import apps

from tna.roles import PLANNER, TRAINING_ADMIN, employee_of, has_role, user_agency

HIDDEN = "•••"

# (app label, model, django-auditlog options)
AUDITED = (
    ("tna", "Rating", {"mask_fields": ["level"], "mask_callable": "cms.audit.hide"}),
    ("tna", "Appraisal", {}),
    ("lms", "Enrollment", {}),
    ("lms", "Attendance", {}),
    ("lms", "JpCredit", {}),
    ("lms", "Certificate", {}),
    ("lms", "Envelope", {}),
    ("lms", "TrainingPlan", {}),
    ("lms", "MentoringPair", {}),
    ("lms", "CoachingConversation", {}),
    ("lms", "CoachingRating", {"mask_fields": ["level"], "mask_callable": "cms.audit.hide"}),
)


def hide(value):
    """What the trail keeps of a masked value: nothing of it."""
    return HIDDEN


def audited_models():
    return [apps.get_model(app_label, name) for app_label, name, _options in AUDITED]


def register():
    """Have django-auditlog follow the audited models (called from CmsConfig.ready)."""
    from auditlog.registry import auditlog

    for (app_label, name, options) in AUDITED:
        model = apps.get_model(app_label, name)
        if not auditlog.contains(model):
            # The record's own columns only: following reverse one-to-ones (an enrollment's
            # certificate or pre-test) would query them on every save and cache "none yet".
            fields = [field.name for field in model._meta.concrete_fields]
            auditlog.register(model, **{"include_fields": fields, **options})


def may_read_audit_trail(user):
    """Superusers and the HR of an agency (training admins and planners)."""
    if not getattr(user, "is_active", False):
        return False
    if user.is_superuser:
        return True
    return (has_role(user, TRAINING_ADMIN) or has_role(user, PLANNER)) and user_agency(user) is not None


def audit_entries_for(user):
    """The audit entries ``user`` may read, newest first: every one for superusers, their agency's
    for HR, none for anyone else."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    types = ContentType.objects.get_for_models(*audited_models()).values()
    entries = (LogEntry.objects.filter(content_type__in=types)
               .select_related("content_type", "actor").order_by("-timestamp", "-pk"))
    if not may_read_audit_trail(user):
        return entries.none()
    if user.is_superuser:
        return entries
    return entries.filter(additional_data__agency=user_agency(user).pk)


def person_name(user):
    """The name of the person behind ``user`` (the employee's name, else the account's)."""
    if user is None:
        return ""
    employee = employee_of(user)
    if employee is not None:
        return employee.name
    return user.get_full_name() or user.get_username()

