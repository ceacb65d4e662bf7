"""Article listeners hear of committed changes only; a batch tells them once, together."""

import pytest
from django.db import transaction

from masthead.newsroom import events

HEARD: list[list[int]] = []


def listener(*, article_ids: list[int]) -> None:
    HEARD.append(article_ids)


@pytest.fixture(autouse=True)
def _only_this_listener(settings):
    settings.MASTHEAD_ARTICLE_LISTENERS = [f"{__name__}.listener"]
    HEARD.clear()


@pytest.mark.django_db(transaction=True)
def test_each_commit_is_told_at_once_and_a_rollback_never() -> None:
    with transaction.atomic():
        events.article_changed(article_ids=[1])
        assert HEARD == []  # not before the commit
    assert HEARD == [[1]]
    with pytest.raises(RuntimeError), transaction.atomic():
        events.article_changed(article_ids=[2])
        raise RuntimeError
    assert HEARD == [[1]]


@pytest.mark.django_db(transaction=True)
def test_a_batch_is_told_once_at_its_end() -> None:
    with events.article_events_batched():
        for ids in ([1, 2], [2, 3]):
            with transaction.atomic():
                events.article_changed(article_ids=ids)
        with pytest.raises(RuntimeError), transaction.atomic():
            events.article_changed(article_ids=[9])
            raise RuntimeError
        # Nested: the outer block tells.
        with events.article_events_batched(), transaction.atomic():
            events.article_changed(article_ids=[4])
        assert HEARD == []
    assert HEARD == [[1, 2, 3, 4]]
    with transaction.atomic():
        events.article_changed(article_ids=[5])
    assert HEARD == [[1, 2, 3, 4], [5]]
