"""Create the talent committee's group: it sees and calibrates the agency's 9-box (tna.roles)."""

from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="talent_committee")


class Migration(migrations.Migration):
    dependencies = [("tna", "0011_talent")]
    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
