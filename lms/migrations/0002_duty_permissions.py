"""Let training admins and planners keep the duty data the scheduler reads (lms.admin.duty)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["training_admin", "planner"]
MODELS = ["unitduty", "agencyclosure", "staffabsence"]
ACTIONS = ["add", "change", "delete", "view"]
CODENAMES = ["%s_%s" % (action, model) for model in MODELS for action in ACTIONS]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    found = list(Permission.objects.filter(content_type__app_label="lms", codename__in=CODENAMES))
    missing = set(CODENAMES) - {p.codename for p in found}
    if missing:
        raise RuntimeError("lms permissions missing: %s" % ", ".join(sorted(missing)))
    return found


def grant(apps, schema_editor):
    # Model permissions are normally created after migrate (post_migrate); create lms's now.
    lms = apps.get_app_config("lms")
    lms.models_module = True
    try:
        create_permissions(lms, apps=apps, verbosity=0)
    finally:
        lms.models_module = None
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0001_initial"),
        ("tna", "0004_role_permissions"),  # the role groups, with admin access
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
