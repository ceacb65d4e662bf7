"""The search index: one entry per published article, kept in step by the newsroom's events."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """What search reads: an article's place (site, language, date) and its indexed text.

    On PostgreSQL `document` holds the weighted tsvector (GIN-indexed). On SQLite the text is
    indexed by an FTS5 table (`reader_search_fts`, created by a migration) keyed by the same id.
    The text itself is not kept here: the article has it (snippets are cut from there).
    """

    article = models.OneToOneField(
        "newsroom.Article", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    site = models.ForeignKey("network.Site", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=12)
    published_at = models.DateTimeField()
    document = SearchVectorField(null=True)

    class Meta:
        indexes = [models.Index(fields=["site", "language", "-published_at"], name="search_site")]

    def __str__(self) -> str:
        return f"{self.language}: article {self.article_id}"
