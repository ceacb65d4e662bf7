"""Editor actions on one article: edit, pin, unpin. Each keeps a revision."""

from __future__ import annotations

import difflib
import html
from collections.abc import Mapping
from datetime import datetime
from typing import Any, get_args

from django.db import transaction
from django.utils import timezone

from masthead.core.errors import MastheadError
from masthead.core.html import BlockType, clean_inline, plain_text
from masthead.newsroom.models import Article, ArticleStatus, Correction
from masthead.newsroom.services.audit import audit_record
from masthead.newsroom.services.story import revision_record
from masthead.newsroom.services.text import block_text, body_summary

BLOCK_TYPES = set(get_args(BlockType))


class ArticleEditError(MastheadError):
    pass


def article_body_clean(body: Any) -> list[dict[str, str]]:
    """An editor's body, checked block by block and sanitised like agency copy."""
    if not isinstance(body, list):
        raise ArticleEditError("body: expected a list of blocks")
    blocks = []
    for index, block in enumerate(body, start=1):
        if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
            raise ArticleEditError(
                f'body block {index}: expected {{"type": one of {sorted(BLOCK_TYPES)}, '
                '"html": "..."}'
            )
        html = clean_inline(str(block.get("html", "")))
        if html:
            blocks.append({"type": block["type"], "html": html})
    if not blocks:
        raise ArticleEditError("body: an article needs at least one non-empty block")
    return blocks


def article_status_refusal(*, old: str, new: str) -> str:
    """Why an edit may not move an article from status `old` to `new`; "" when it may.

    A kill is final (the wire treats a cancelled story as final, and its pages answer 410),
    and it is made for the whole story by the kill action, never on one article by an edit.
    """
    if old == new:
        return ""
    if old == ArticleStatus.KILLED:
        return (
            "a killed story cannot be republished; a kill is final. To publish this text "
            "again, it has to come as a new story."
        )
    if new == ArticleStatus.KILLED:
        return (
            "an article is not killed by an edit; use the action “Kill the story on every "
            "site” in the article list."
        )
    return ""


@transaction.atomic
def article_edit(*, article: Article, editor: str, note: str = "") -> Article:
    """Save an editor's change to headline, body, section or status, with a revision.

    The caller sets the new values on `article`; this cleans them, stamps the change and keeps
    the revision, so an edit from the admin, the API or a command is recorded the same way.
    Only a change of text (headline or body) stamps `updated_at`, the readers' "Updated";
    a value the editor set there is kept.
    """
    article.headline = plain_text(article.headline, limit=300)
    if not article.headline:
        raise ArticleEditError("headline: must not be empty")
    article.body = article_body_clean(article.body)
    article.standfirst = plain_text(article.standfirst, limit=600)
    article.summary = body_summary(article.body)
    before = (  # as stored, held until the edit is in (a kill from the wire waits for it)
        Article.objects.select_for_update()
        .filter(pk=article.pk)
        .values(
            "headline", "body", "status", "updated_at", "section_id", "picture_id", "standfirst"
        )
        .first()
        if article.pk is not None
        else None
    )
    if before is not None:
        refusal = article_status_refusal(old=before["status"], new=article.status)
        if refusal:
            raise ArticleEditError(f"status: {refusal}")
    text_changed = before is None or not _same_text(article, before)
    if before is not None:
        # What the editor changed here stays as they made it when the agency sends again.
        changed = {
            "headline": article.headline != before["headline"] and text_changed,
            "body": article.body != before["body"] and text_changed,
            "section": article.section_id != before["section_id"],
            "picture": article.picture_id != before["picture_id"],
            "status": article.status != before["status"],
            "standfirst": article.standfirst != before["standfirst"],
        }
        article.edited_fields = sorted(
            set(article.edited_fields or []) | {name for name, yes in changed.items() if yes}
        )
        if changed["status"]:
            article.editor_status = article.status
    stamp_set_by_editor = before is not None and article.updated_at != before["updated_at"]
    now = timezone.now()
    if article.status == ArticleStatus.PUBLISHED:
        if article.published_at is None:
            article.published_at = now
        elif text_changed and not stamp_set_by_editor:
            article.updated_at = now
    article.save()
    revision_record(article=article, source=f"editor {editor}"[:200], note=note)
    changed_now = [name for name, yes in changed.items() if yes] if before is not None else []
    audit_record(
        actor=editor,
        action="edit" if before is not None else "create",
        article=article,
        detail="; ".join(filter(None, [", ".join(changed_now), note])),
    )
    return article


@transaction.atomic
def article_take_agency(*, article: Article, editor: str, headline_only: bool = False) -> Article:
    """Replace the editor's text with the agency's newest (whole, or its headline only): the
    desk's answer to "agency updated since your edit". From then on the wire's versions reach
    what was taken again."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not article.agency_updated and not article.agency_headline:
        raise ArticleEditError("no agency version is waiting for this article")
    taken = ["headline"] if headline_only else ["headline", "body"]
    if article.agency_headline:
        article.headline = article.agency_headline
    if not headline_only and article.agency_body:
        article.body = article.agency_body
    article.edited_fields = [f for f in article.edited_fields or [] if f not in taken]
    if headline_only and "body" in (article.edited_fields or []):
        article.agency_headline = ""  # the body's difference still waits for the desk
        article.agency_updated = bool(article.agency_body)
    else:
        article.agency_headline, article.agency_body, article.agency_updated = "", [], False
    if article.published_at is not None:
        article.updated_at = timezone.now()
    article.save()
    what = "the agency's headline" if headline_only else "the agency's version"
    revision_record(article=article, source=f"editor {editor}"[:200], note=f"took {what}")
    audit_record(actor=editor, action="take agency", article=article, detail=f"took {what}")
    return article


@transaction.atomic
def article_restore_revision(*, article: Article, number: int, editor: str) -> Article:
    """Put an earlier revision's headline and body back, as an edit of the editor's own (kept
    against later wire versions like any edit, and kept as a revision itself)."""
    revision = article.revisions.filter(number=number).first()
    if revision is None:
        raise ArticleEditError(f"revision {number}: no such revision of this article")
    article.headline = revision.headline
    article.body = revision.body
    return article_edit(article=article, editor=editor, note=f"restored revision {number}")


def revision_diff(*, article: Article, number: int, against: int | None = None) -> dict[str, str]:
    """Revision `number` against the article as it is (what restoring it would change), or
    against revision `against`: word by word, <del> for words only in the first, <ins> for
    words only in revision `number`."""
    revision = article.revisions.filter(number=number).first()
    if revision is None:
        raise ArticleEditError(f"revision {number}: no such revision of this article")
    base: Any = article
    if against is not None:
        base = article.revisions.filter(number=against).first()
        if base is None:
            raise ArticleEditError(f"revision {against}: no such revision of this article")
    return {
        "headline": word_diff(base.headline, revision.headline),
        "body": word_diff(_body_words(base.body), _body_words(revision.body)),
    }


def _body_words(body: Any) -> str:
    return " ".join(block_text(b.get("html", "")) for b in body or [] if isinstance(b, dict))


def article_agency_diff(*, article: Article) -> dict[str, str]:
    """Word-level differences between what the article shows and the agency's newest text,
    as HTML (<del> for the shown words the agency dropped, <ins> for the agency's own)."""
    return {
        "headline": word_diff(article.headline, article.agency_headline or article.headline),
        "body": (
            word_diff(_body_words(article.body), _body_words(article.agency_body))
            if article.agency_body
            else ""
        ),
    }


def word_diff(old: str, new: str) -> str:
    """`old` against `new`, word by word, as escaped HTML with <del> and <ins>."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(html.escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{html.escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{html.escape(' '.join(b[j1:j2]))}</ins>")
    return " ".join(out)


def _same_text(article: Article, before: Mapping[str, Any]) -> bool:
    """The (cleaned) headline and body are those stored, or those stored once cleaned."""
    if (article.headline, article.body) == (before["headline"], before["body"]):
        return True
    try:
        stored = (plain_text(before["headline"], limit=300), article_body_clean(before["body"]))
    except ArticleEditError:
        return False
    return (article.headline, article.body) == stored


@transaction.atomic
def article_correct(*, article: Article, note: str, editor: str) -> Correction:
    """Make a correction known on the article: shown with its date, in its JSON-LD, and the
    article stamped as updated (feeds mark the item updated), with a revision and an entry in
    the audit log."""
    text = plain_text(note, limit=2000)
    if not text:
        raise ArticleEditError("correction: the note must not be empty")
    now = timezone.now()
    correction = Correction.objects.create(article=article, note=text, at=now, editor=editor)
    if article.published_at is not None:
        article.updated_at = now
        article.save(update_fields=["updated_at", "modified_at"])
    revision_record(article=article, source=f"editor {editor}"[:200], note=f"correction: {text}")
    audit_record(actor=editor, action="correct", article=article, detail=text)
    return correction


def article_schedule_refusal(*, publish_at: Any, unpublish_at: Any) -> str:
    """Why a schedule cannot be kept; "" when it can."""
    if publish_at and unpublish_at and unpublish_at <= publish_at:
        return "unpublish_at: must come after publish_at"
    return ""


def articles_release_scheduled(*, now: datetime | None = None) -> list[Article]:
    """Carry out the editors' schedules that are due (the worker, every minute): a draft
    whose publish_at has come is published at that time; a published article whose
    unpublish_at has come goes back to draft. Each change is a revision."""
    now = now or timezone.now()
    done: list[Article] = []
    with transaction.atomic():
        due = Article.objects.select_for_update().filter(
            status=ArticleStatus.DRAFT, publish_at__lte=now
        )
        for article in due:
            when = article.publish_at or now
            article.status = ArticleStatus.PUBLISHED
            article.published_at = article.published_at or when
            article.publish_at = None
            _schedule_done(article, note=f"published as scheduled for {when:%Y-%m-%d %H:%M} UTC")
            done.append(article)
        ending = Article.objects.select_for_update().filter(
            status=ArticleStatus.PUBLISHED, unpublish_at__lte=now
        )
        for article in ending:
            when = article.unpublish_at or now
            article.status = ArticleStatus.DRAFT
            article.unpublish_at = None
            _schedule_done(article, note=f"taken off as scheduled for {when:%Y-%m-%d %H:%M} UTC")
            done.append(article)
    return done


def _schedule_done(article: Article, *, note: str) -> None:
    # The editor's visibility: a later wire version does not undo it.
    article.edited_fields = sorted({*(article.edited_fields or []), "status"})
    article.editor_status = article.status
    article.save()
    revision_record(article=article, source="schedule", note=note)
    audit_record(actor="schedule", action="schedule", article=article, detail=note)


@transaction.atomic
def article_pin(*, article: Article, pinned: bool, editor: str) -> Article:
    article.pinned = pinned
    article.save(update_fields=["pinned", "modified_at"])
    revision_record(
        article=article, source=f"editor {editor}", note="pinned" if pinned else "unpinned"
    )
    audit_record(actor=editor, action="pin" if pinned else "unpin", article=article)
    return article
