"""Covering indexes for the user-activity report, on tables of the tasks and notes
apps (created here with IF NOT EXISTS, so those apps' migrations stay theirs):

- done tasks by completion time with the columns of the visibility rule, so "tasks
  done per user" is an index-only scan of the done tasks instead of the whole table;
- notes by creation time and author, for "notes added per user"."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0002_customer_facts_index"),
        ("tasks", "0001_initial"),
        ("notes", "0002_notes_and_attachments"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE INDEX IF NOT EXISTS dash_task_done_idx ON tasks_task "
                "(completed_at, assignee_id, created_by_id, visibility) WHERE done"
            ),
            reverse_sql="DROP INDEX IF EXISTS dash_task_done_idx",
        ),
        migrations.RunSQL(
            sql="CREATE INDEX IF NOT EXISTS dash_note_activity_idx ON notes_note (created_at, author_id)",
            reverse_sql="DROP INDEX IF EXISTS dash_note_activity_idx",
        ),
    ]
