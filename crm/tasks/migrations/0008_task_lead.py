# Tasks about leads (crm.leads). The tasks table exists in every company, so
# (docs/migrations.md): the column is nullable and added without its foreign key, which is
# added NOT VALID and validated in 0009, where the index is built concurrently.

import django.db.models.deletion
from django.db import migrations, models


def _lead(*, constraint: bool) -> models.ForeignKey:
    return models.ForeignKey(
        blank=True,
        null=True,
        db_index=False,
        db_constraint=constraint,
        on_delete=django.db.models.deletion.CASCADE,
        related_name='tasks',
        to='leads.lead',
        verbose_name='lead',
    )


class Migration(migrations.Migration):

    dependencies = [
        ('leads', '0001_initial'),
        ('tasks', '0007_task_hourly_rate_task_milestone_task_project'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AddField(model_name='task', name='lead', field=_lead(constraint=False)),
                migrations.RunSQL(
                    "ALTER TABLE tasks_task ADD CONSTRAINT tasks_task_lead_id_fk_leads_lead_id FOREIGN KEY (lead_id) "
                    "REFERENCES leads_lead (id) DEFERRABLE INITIALLY DEFERRED NOT VALID",
                    "ALTER TABLE tasks_task DROP CONSTRAINT IF EXISTS tasks_task_lead_id_fk_leads_lead_id",
                ),
            ],
            state_operations=[
                migrations.AddField(model_name='task', name='lead', field=_lead(constraint=True)),
            ],
        ),
    ]
