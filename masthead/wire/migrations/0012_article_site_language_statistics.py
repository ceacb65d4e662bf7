"""PostgreSQL statistics over the article table's site, language and status together.

A member of staff's list of articles is filtered by their sites and languages, and often by a
language or status too. The planner, taking the columns as independent, expected 100,000
French articles on a site that has none, walked the published-time index through the whole
million rows, and took 4 s to show an empty list (issue 14, docs/performance.md "Desk"). With
the combinations known it reads the (site, language, status) index instead: 0.2 ms.

Kept in the wire app's migrations, which run after the newsroom's, so as not to take a number
among the newsroom's while its migrations are being written. Nothing to do on SQLite.
"""

from django.db import migrations

CREATE = (
    "CREATE STATISTICS IF NOT EXISTS article_site_language_status (mcv) "
    "ON site_id, language, status FROM newsroom_article"
)
DROP = "DROP STATISTICS IF EXISTS article_site_language_status"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0013_desk_roles_standfirst_breaking"),
        ("wire", "0011_wireitem_action_time"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
