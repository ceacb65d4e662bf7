"""Full-text search of a site's articles in one language.

One backend per database (SQLite FTS5, PostgreSQL full-text search), behind SearchBackend. Both
rank, both stem for the language, both take phrases ("...") and prefixes (word*); snippets are
cut and highlighted the same way for both, in Python, from the stored text.
"""

from functools import cache

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from masthead.reader.search.base import SearchBackend

BACKENDS = {
    "sqlite": "masthead.reader.search.sqlite.SqliteSearch",
    "postgresql": "masthead.reader.search.postgres.PostgresSearch",
}


@cache
def search_backend() -> SearchBackend:
    path = getattr(settings, "MASTHEAD_SEARCH_BACKEND", "") or BACKENDS[connection.vendor]
    backend: SearchBackend = import_string(path)()
    return backend
