"""Competency levels and required levels become inline children (modelcluster ParentalKey) for the admin."""

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('tna', '0002_roles'),
    ]

    operations = [
        migrations.AlterField(
            model_name='competencylevel',
            name='competency',
            field=modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='levels', to='tna.competency'),
        ),
        migrations.AlterField(
            model_name='requiredlevel',
            name='position',
            field=modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='required_levels', to='tna.position'),
        ),
    ]
