# Notes and files on leads (crm.leads). The notes and attachments tables exist in every
# company, so (docs/migrations.md): the column is nullable and added without its foreign key,
# which is then added NOT VALID like the widened target check; both are validated in 0011,
# where the indexes are built concurrently.

import django.db.models.deletion
from django.contrib.postgres.operations import AddConstraintNotValid
from django.db import migrations, models

TARGETS = models.Q(
    ("customer__isnull", False),
    ("task__isnull", False),
    ("offer__isnull", False),
    ("invoice__isnull", False),
    ("contract__isnull", False),
    ("ticket__isnull", False),
    ("project__isnull", False),
    ("lead__isnull", False),
    ("deal__isnull", False),
    _connector="OR",
)


def _lead(*, constraint: bool) -> models.ForeignKey:
    return models.ForeignKey(
        blank=True,
        null=True,
        db_index=False,
        db_constraint=constraint,
        on_delete=django.db.models.deletion.CASCADE,
        related_name='+',
        to='leads.lead',
        verbose_name='lead',
    )


def _foreign_key(table: str) -> migrations.RunSQL:
    name = f"{table}_lead_id_fk_leads_lead_id"
    return migrations.RunSQL(
        f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY (lead_id) REFERENCES leads_lead (id) "
        "DEFERRABLE INITIALLY DEFERRED NOT VALID",
        f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}",
    )


class Migration(migrations.Migration):

    dependencies = [
        ('leads', '0001_initial'),
        ('notes', '0009_notes_on_projects_and_tickets'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AddField(model_name='attachment', name='lead', field=_lead(constraint=False)),
                migrations.AddField(model_name='note', name='lead', field=_lead(constraint=False)),
                _foreign_key("notes_attachment"),
                _foreign_key("notes_note"),
            ],
            state_operations=[
                migrations.AddField(model_name='attachment', name='lead', field=_lead(constraint=True)),
                migrations.AddField(model_name='note', name='lead', field=_lead(constraint=True)),
            ],
        ),
        migrations.RemoveConstraint(
            model_name='attachment',
            name='attachment_has_target',
        ),
        migrations.RemoveConstraint(
            model_name='note',
            name='note_has_target',
        ),
        AddConstraintNotValid(
            model_name='attachment',
            constraint=models.CheckConstraint(condition=TARGETS, name='attachment_has_target'),
        ),
        AddConstraintNotValid(
            model_name='note',
            constraint=models.CheckConstraint(condition=TARGETS, name='note_has_target'),
        ),
    ]
