"""Search entries keep no copy of the article's text: each backend indexes it in its own form
(SQLite's FTS5 stems, PostgreSQL's tsvector) and snippets are cut from the article. On SQLite
this was a third copy of every body; VACUUM gives the space back to the disk.

Plain DROP COLUMN on both databases: Django's own way on SQLite may copy the table into a new
one, which would drop the trigger that keeps the full-text rows in step (migration 0003). Going
back adds the columns empty; run `masthead search rebuild` after it."""

from django.db import migrations

FIELDS = ("headline", "body", "captions")


class Migration(migrations.Migration):
    dependencies = [("reader", "0003_search_fts_follows_entries")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"ALTER TABLE reader_searchentry DROP COLUMN {name}",
                    reverse_sql=f"ALTER TABLE reader_searchentry ADD COLUMN {name} text "
                    "NOT NULL DEFAULT ''",
                )
                for name in FIELDS
            ],
            state_operations=[
                migrations.RemoveField(model_name="searchentry", name=name) for name in FIELDS
            ],
        )
    ]
