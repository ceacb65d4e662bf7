"""Full-text search of a site's articles in one language: the index (models.py, kept in step by
the newsroom's article events), one backend per database (backend.py, sqlite.py, postgres.py)
and the query language (query.py). Pages ask through services.search_articles."""
