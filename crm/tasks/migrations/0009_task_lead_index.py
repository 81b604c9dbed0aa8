# The index of tasks by lead, built without locking the table, and the foreign key added
# NOT VALID in 0008 validated (reads and writes go on meanwhile).

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('tasks', '0008_task_lead'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='task',
            index=models.Index(condition=models.Q(('lead__isnull', False)), fields=['lead'], name='task_lead_idx'),
        ),
        migrations.RunSQL(
            "ALTER TABLE tasks_task VALIDATE CONSTRAINT tasks_task_lead_id_fk_leads_lead_id",
            migrations.RunSQL.noop,
        ),
    ]
