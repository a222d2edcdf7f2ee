"""Give the role groups Wagtail admin access and the model permissions described in tna.permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Mirrors tna.permissions.ROLE_PERMISSIONS at the time of writing; migrations must not import app code.
ROLE_PERMISSIONS = {
    "training_admin": {
        "unit": ["add", "change", "view"],
        "position": ["add", "change", "view"],
        "requiredlevel": ["add", "change", "view"],
        "employee": ["add", "change", "view"],
        "cycle": ["add", "change", "view"],
        "unitsatisfaction": ["add", "change", "view"],
        "competency": ["view"],
        "competencylevel": ["view"],
    },
    "planner": {
        "unit": ["view"],
        "position": ["view"],
        "requiredlevel": ["view"],
        "employee": ["view"],
        "cycle": ["add", "change", "view"],
        "unitsatisfaction": ["add", "change", "view"],
        "competency": ["view"],
        "competencylevel": ["view"],
    },
}
ADMIN_ROLES = list(ROLE_PERMISSIONS)


def _permissions(apps, role):
    Permission = apps.get_model("auth", "Permission")
    codenames = [
        "%s_%s" % (action, model) for model, actions in ROLE_PERMISSIONS[role].items() for action in actions
    ]
    found = list(Permission.objects.filter(content_type__app_label="tna", codename__in=codenames))
    missing = set(codenames) - {p.codename for p in found}
    if missing:
        raise RuntimeError("tna permissions missing: %s" % ", ".join(sorted(missing)))
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    return [access_admin, *found]


def grant(apps, schema_editor):
    # Model permissions are normally created after migrate (post_migrate); create tna's now.
    tna = apps.get_app_config("tna")
    tna.models_module = True
    try:
        create_permissions(tna, apps=apps, verbosity=0)
    finally:
        tna.models_module = None
    Group = apps.get_model("auth", "Group")
    for role in ADMIN_ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*_permissions(apps, role))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ADMIN_ROLES:
        group = Group.objects.filter(name=role).first()
        if group is not None:
            group.permissions.remove(*_permissions(apps, role))


class Migration(migrations.Migration):
    dependencies = [
        ("tna", "0003_admin_clusters"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
