from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('notes', '0011_notes_on_leads_indexes')]
    operations = [migrations.AddField('timelineevent', 'bench_scale_note', models.TextField(null=True))]
