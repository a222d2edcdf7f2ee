"""The course review workflow and its task are named in the site's default language (Indonesian).

Workflow and task names are data that the Wagtail admin shows as they are; migration 0002 named
them in English. Renamed only where they still carry the names 0002 gave them."""

from django.db import migrations

NAMES = {"workflow": ("Course review", "Tinjauan pelatihan"), "task": ("Agency review", "Tinjauan instansi")}


def rename(apps, schema_editor, *, reverse=False):
    for model, app_label, key in (("Workflow", "wagtailcore", "workflow"), ("AgencyReviewTask", "courses", "task")):
        old, new = NAMES[key]
        if reverse:
            old, new = new, old
        apps.get_model(app_label, model).objects.filter(name=old).update(name=new)


class Migration(migrations.Migration):
    dependencies = [("courses", "0004_catalogue_log_entry"), ("wagtailcore", "0001_initial")]

    operations = [
        migrations.RunPython(rename, lambda apps, schema_editor: rename(apps, schema_editor, reverse=True)),
    ]
