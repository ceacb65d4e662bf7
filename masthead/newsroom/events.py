"""After a change to articles is committed, tell whoever keeps copies of them.

The search index, the page cache and the caches or CDNs in front: each is a function named in
settings.MASTHEAD_ARTICLE_LISTENERS, called with the changed ids once the transaction commits
(never before: a rolled-back change must not reach them). A listener that fails is logged and
does not undo the change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from masthead.core.hooks import hooks

log = logging.getLogger(__name__)


# Inside `article_events_batched()`: the ids committed so far, told to listeners at its end.
_batch: ContextVar[list[int] | None] = ContextVar("article_events_batch", default=None)


def _dispatch(ids: list[int]) -> None:
    for listener in hooks("MASTHEAD_ARTICLE_LISTENERS"):
        try:
            listener(article_ids=ids)
        except Exception:
            log.exception("article listener %s failed for %s", listener.__name__, ids)


def article_changed(*, article_ids: list[int]) -> None:
    ids = list(article_ids)

    def committed() -> None:
        batch = _batch.get()
        if batch is None:
            _dispatch(ids)
        else:
            batch.extend(ids)

    transaction.on_commit(committed)


@contextmanager
def article_events_batched() -> Iterator[None]:
    """Within this block, listeners hear of committed changes once, at its end, for all of
    them together: one search-index pass and one purge for a batch of wire items instead of
    one per item. Each change still commits on its own; what a rollback undoes is never told."""
    if _batch.get() is not None:  # already batching: the outer block tells
        yield
        return
    batch: list[int] = []
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
        if batch:
            _dispatch(list(dict.fromkeys(batch)))


def breaking_changed(*, site_codes: list[str]) -> None:
    """A breaking-news strip went up or came down on these sites: once the transaction
    commits, the listeners in settings.MASTHEAD_BREAKING_LISTENERS purge their pages (every
    page of a site shows its strip, so no narrower set of pages would do)."""
    codes = sorted(set(site_codes))
    if not codes:
        return

    def committed() -> None:
        for listener in hooks("MASTHEAD_BREAKING_LISTENERS"):
            try:
                listener(site_codes=codes)
            except Exception:
                log.exception("breaking listener %s failed for %s", listener.__name__, codes)

    transaction.on_commit(committed)
