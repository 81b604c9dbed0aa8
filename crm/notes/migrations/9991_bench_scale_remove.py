from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('notes', '9990_bench_scale_add')]
    operations = [migrations.RemoveField('timelineevent', 'bench_scale_note')]
