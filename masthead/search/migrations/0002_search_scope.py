"""The SQLite search table gets a `scope` column (site and language as one token), so FTS5
filters on them from its own index. The table is rebuilt from the stored entries."""

from django.db import migrations


def rebuild(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    from masthead.search.query import stems_of

    schema_editor.execute("DROP TABLE IF EXISTS reader_search_fts")
    schema_editor.execute(
        "CREATE VIRTUAL TABLE reader_search_fts USING fts5("
        "scope, headline, body, captions, tokenize = 'unicode61 remove_diacritics 2')"
    )
    entry_model = apps.get_model("reader", "SearchEntry")
    with schema_editor.connection.cursor() as cursor:
        for entry in entry_model.objects.iterator(chunk_size=2000):
            cursor.execute(
                "INSERT INTO reader_search_fts (rowid, scope, headline, body, captions) "
                "VALUES (%s, %s, %s, %s, %s)",
                [
                    entry.article_id,
                    f"s{entry.site_id}{entry.language.replace('-', '')}",
                    stems_of(entry.headline, entry.language),
                    stems_of(entry.body, entry.language),
                    stems_of(entry.captions, entry.language),
                ],
            )


class Migration(migrations.Migration):
    dependencies = [("reader", "0001_search")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
