"""Issue 13 leftovers: task titles in Polish order (ICU collation), indexed for the sort."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sales', '0004_deal_owners_and_polish_order'),
        ('tasks', '0005_task_search_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='task',
            name='title',
            field=models.CharField(db_collation='pl-x-icu', max_length=200, verbose_name='tytuł'),
        ),
        migrations.AddIndex(
            model_name='task',
            index=models.Index(fields=['title', 'id'], name='task_title_id_idx'),
        ),
        # The new collation rewrote the table: fresh statistics, or the global search of a
        # rare word walks the (done, due_at) index through every task (see sales 0004).
        migrations.RunSQL("ANALYZE tasks_task;", migrations.RunSQL.noop),
    ]
