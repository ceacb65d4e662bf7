"""After a change to articles is committed, tell whoever keeps copies of them.

The search index today, page caches and front-cache purges later: each is a function named in
settings.MASTHEAD_ARTICLE_LISTENERS, called with the changed ids once the transaction commits
(never before: a rolled-back change must not reach them). A listener that fails is logged and
does not undo the change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


@cache
def _listeners() -> list[Callable[..., None]]:
    return [import_string(path) for path in settings.MASTHEAD_ARTICLE_LISTENERS]


def article_changed(*, article_ids: list[int]) -> None:
    ids = list(article_ids)

    def dispatch() -> None:
        for listener in _listeners():
            try:
                listener(article_ids=ids)
            except Exception:
                log.exception("article listener %s failed for %s", listener.__name__, ids)

    transaction.on_commit(dispatch)
