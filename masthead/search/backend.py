"""Full-text search of a site's articles in one language.

One backend per database (SQLite FTS5, PostgreSQL full-text search), behind SearchBackend. Both
rank, both stem for the language, both take phrases ("...") and prefixes (word*); snippets are
cut and highlighted the same way for both, in Python, from the stored text.
"""

from functools import cache

from django.conf import settings

from masthead.core.plugins import plugin_load
from masthead.search.base import SearchBackend


@cache
def search_backend() -> SearchBackend:
    backend: SearchBackend = plugin_load(settings.MASTHEAD_SEARCH, base=SearchBackend)
    return backend
