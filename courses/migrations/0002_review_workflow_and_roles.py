"""Courses go through review: a "Course review" workflow (agency review by planners) and role permissions.

training_admin: edits their agency's providers, courses (submits them for review, cannot publish)
and sessions. planner: reviews and publishes their agency's courses, sees sessions. Deleting is
left to superusers: sessions are cancelled, courses unpublished.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "training_admin": {
        "provider": ["add", "change", "view"],
        "course": ["add", "change", "view", "lock", "unlock"],
        "session": ["add", "change", "view"],
    },
    "planner": {
        "provider": ["view"],
        "course": ["change", "view", "publish"],
        "session": ["view"],
    },
}
# Wagtail creates these for snippets after migrate; the groups need them now.
EXTRA = {"publish": "Can publish", "lock": "Can lock", "unlock": "Can unlock"}


def _permission(apps, model, action):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="courses", model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="%s_%s" % (action, model),
        defaults={"name": "%s %s" % (EXTRA.get(action, "Can " + action), model)},
    )
    return permission


def forwards(apps, schema_editor):
    courses = apps.get_app_config("courses")
    courses.models_module = True
    try:
        create_permissions(courses, apps=apps, verbosity=0)
    finally:
        courses.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for role, models in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(access_admin, *[
            _permission(apps, model, action) for model, actions in models.items() for action in actions
        ])

    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    AgencyReviewTask = apps.get_model("courses", "AgencyReviewTask")
    course_type, _ = ContentType.objects.get_or_create(app_label="courses", model="course")
    if WorkflowContentType.objects.filter(content_type=course_type).exists():
        return
    task_type, _ = ContentType.objects.get_or_create(app_label="courses", model="agencyreviewtask")
    task = AgencyReviewTask.objects.create(name="Agency review", content_type=task_type, active=True)
    task.groups.add(Group.objects.get(name="planner"))
    workflow = Workflow.objects.create(name="Course review", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowContentType.objects.create(workflow=workflow, content_type=course_type)


def backwards(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Workflow.objects.filter(name="Course review").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("tna", "0002_roles"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
