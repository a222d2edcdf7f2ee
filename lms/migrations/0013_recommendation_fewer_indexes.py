"""Two fewer indexes on recommendations: the unique (cycle, employee, course) serves lookups by cycle
and by (cycle, employee), and each index is maintained for every row a run writes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lms', '0012_schedulerun_state'),
        ('tna', '0013_gap_fewer_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='recommendation',
            name='lms_rec_cycle_employee',
        ),
        migrations.AlterField(
            model_name='recommendation',
            name='cycle',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='recommendations', to='tna.cycle'),
        ),
    ]
