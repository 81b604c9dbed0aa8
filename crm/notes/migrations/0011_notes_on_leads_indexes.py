# The lead indexes of notes and files, built without locking the tables, and the target
# check and foreign keys added NOT VALID in 0010 validated (reads and writes go on meanwhile).

from django.contrib.postgres.operations import AddIndexConcurrently, ValidateConstraint
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('notes', '0010_notes_on_leads'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='attachment',
            index=models.Index(fields=['lead', '-created_at'], name='attachment_lead_idx'),
        ),
        AddIndexConcurrently(
            model_name='note',
            index=models.Index(fields=['lead', '-created_at'], name='note_lead_idx'),
        ),
        ValidateConstraint(model_name='attachment', name='attachment_has_target'),
        ValidateConstraint(model_name='note', name='note_has_target'),
        migrations.RunSQL(
            "ALTER TABLE notes_attachment VALIDATE CONSTRAINT notes_attachment_lead_id_fk_leads_lead_id",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "ALTER TABLE notes_note VALIDATE CONSTRAINT notes_note_lead_id_fk_leads_lead_id",
            migrations.RunSQL.noop,
        ),
    ]
