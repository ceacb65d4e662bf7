"""The article list's filters at archive scale: choices read from the network's small tables
instead of a DISTINCT over every article (see core/paging.py for the rest)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from masthead.core.paging import ValuesFieldListFilter
from masthead.network.models import Site
from masthead.newsroom.selectors import user_site_ids


class SiteLanguagesFieldListFilter(ValuesFieldListFilter):
    """The languages of the sites the user works on (their `languages`), not those found in
    the articles: the same choices, read from the network's few rows."""

    def values(self, request: Any, model_admin: Any) -> Iterable[Any]:
        sites = Site.objects.all()
        allowed = user_site_ids(user=request.user)
        if allowed is not None:
            sites = sites.filter(pk__in=allowed)
        return {
            language
            for languages in sites.values_list("languages", flat=True)
            for language in languages or ()
        }
