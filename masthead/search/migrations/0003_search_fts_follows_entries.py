"""On SQLite, the full-text rows go with their search entries: deleting an entry (an article
deleted in the admin, its story removed, a database flush) deletes its row in the FTS table
too, so no stale text stays searchable and a reused article id never collides."""

from django.db import migrations

TRIGGER = "reader_search_fts_follows_entry"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "DELETE FROM reader_search_fts WHERE rowid NOT IN "
        "(SELECT article_id FROM reader_searchentry)"
    )
    schema_editor.execute(
        f"CREATE TRIGGER IF NOT EXISTS {TRIGGER} AFTER DELETE ON reader_searchentry "
        "BEGIN DELETE FROM reader_search_fts WHERE rowid = old.article_id; END"
    )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [("reader", "0002_search_scope")]

    operations = [migrations.RunPython(create, drop)]
