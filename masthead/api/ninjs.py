"""An article as ninjs 2.x, the IPTC's JSON news format (https://iptc.org/standards/ninjs/).

ninjs 2.2 allows no property of its own, so what the pages show goes where the standard has a
place for it:

- `uri`: the article's address in this API on the host asked (stable: a new slug or section
  moves the page, not this), and `renditions` the page itself, `web`, as `text/html`;
- `headlines`, `bodies` (the blocks as the reader renders them, `text/html`), `descriptions`
  (`summary`: the standfirst, else the body's first sentences; `correction`: each correction,
  dated, as the page prints it);
- `by`: the house signature; `subjects`: the story's codes (IPTC media topics and subject codes
  as their URIs) and the article's section, `rel` "section";
- `associations`: the picture (`featureimage`, its renditions with sizes and types) and the
  story's other published languages on this site (`alternate-<lang>`, as the page's
  hreflang links), each a ninjs object of type text with its own `uri` and page.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from typing import Any

from django.core.files.storage import default_storage

from masthead.newsroom.models import Article, ArticleStatus, Correction, Picture
from masthead.reader.blocks import blocks_html

# Subject codes whose scheme has a public URI for each code.
SUBJECT_SCHEMES = {
    "medtop": "http://cv.iptc.org/newscodes/mediatopic/",
    "subj": "http://cv.iptc.org/newscodes/subjectcode/",
}
RENDITION_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg"}
# ninjs knows three: what is not public yet (a draft, withheld or embargoed copy, which only a
# `read-private` token sees) is "withheld", with `embargoed` its time when it has one.
PUBSTATUS: dict[str, str] = {ArticleStatus.PUBLISHED: "usable", ArticleStatus.KILLED: "canceled"}


def api_path(*, language: str, story_id: int) -> str:
    return f"/api/v1/articles/{language}/{story_id}"


def article_ninjs(
    article: Article,
    *,
    origin: str,
    alternates: Iterable[Article] = (),
    full: bool = True,
    corrections: Iterable[Correction] | None = None,
) -> dict[str, Any]:
    """`origin` is scheme and host ("https://jdb.example.org"); `full`: with the body (one
    article), else the partial item lists give. The article's section, picture, story and
    corrections (given, or prefetched) should be loaded with it: nothing here queries per
    article but those."""
    story = article.story
    modified = article.updated_at or article.published_at
    item: dict[str, Any] = {
        "uri": origin + api_path(language=article.language, story_id=article.story_id),
        "type": "text",
        "representationtype": "full" if full else "partial",
        "language": article.language,
        "pubstatus": PUBSTATUS.get(article.status, "withheld"),
        "urgency": story.urgency,
        "firstcreated": article.published_at,
        "versioncreated": modified,
        "headlines": [{"role": "main", "value": article.headline}],
        "by": article.signature or None,
        "altids": [{"role": "story", "value": str(article.story_id)}],
        "infosources": [{"name": article.source_agency, "role": "source"}]
        if article.source_agency
        else None,
        "subjects": [*_subjects(story.subjects), _section(article)],
        "renditions": [
            {
                "name": "web",
                "href": origin + article.get_absolute_url(),
                "contenttype": "text/html",
                "title": article.headline,
            }
        ],
    }
    descriptions = []
    summary = article.standfirst or article.summary
    if summary:
        descriptions.append({"role": "summary", "contenttype": "text/plain", "value": summary})
    for correction in article.corrections.all() if corrections is None else corrections:
        descriptions.append(
            {
                "role": "correction",
                "contenttype": "text/plain",
                "value": f"Correction, {correction.at:%Y-%m-%d}: {correction.note}",
            }
        )
    item["descriptions"] = descriptions or None
    if full:
        item["bodies"] = [
            {"role": "main", "contenttype": "text/html", "value": str(blocks_html(article.body))}
        ]
    associations = []
    if article.picture_id and article.picture is not None:
        associations.append(picture_ninjs(article.picture, origin=origin))
    for other in alternates:
        associations.append(
            {
                "name": f"alternate-{other.language}",
                "uri": origin + api_path(language=other.language, story_id=other.story_id),
                "type": "text",
                "language": other.language,
                "headlines": [{"role": "main", "value": other.headline}],
                "renditions": [
                    {
                        "name": "web",
                        "href": origin + other.get_absolute_url(),
                        "contenttype": "text/html",
                    }
                ],
            }
        )
    item["associations"] = associations or None
    if article.status == ArticleStatus.EMBARGOED and article.embargo_until is not None:
        item["embargoed"] = article.embargo_until
    return item


def picture_ninjs(picture: Picture, *, origin: str) -> dict[str, Any]:
    original = _absolute(origin, picture.file.url)
    renditions: list[dict[str, Any]] = [
        {
            "name": "original",
            "href": original,
            "contenttype": mimetypes.guess_type(picture.file.name)[0] or "image/jpeg",
            "width": picture.width,
            "height": picture.height,
            "sizeinbytes": picture.size,
        }
    ]
    for made in picture.renditions:
        for kind, contenttype in RENDITION_TYPES.items():
            if made.get(kind):
                renditions.append(
                    {
                        "name": f"{kind}-{made['width']}",
                        "href": _absolute(origin, default_storage.url(made[kind])),
                        "contenttype": contenttype,
                        "width": made["width"],
                        "height": made.get("height") or None,
                    }
                )
    descriptions = [
        {"role": role, "contenttype": "text/plain", "value": text}
        for role, text in (("caption", picture.caption), ("alt", picture.alt))
        if text
    ]
    return {
        "name": "featureimage",
        "uri": original,
        "type": "picture",
        "by": picture.credit or None,
        "descriptions": descriptions or None,
        "renditions": renditions,
    }


def _absolute(origin: str, url: str) -> str:
    # MEDIA_URL may name another host (a CDN): then the URL is absolute already.
    return url if "://" in url else origin + url


def _subjects(codes: Iterable[str]) -> list[dict[str, Any]]:
    out = []
    for code in codes:
        scheme, _, local = str(code).partition(":")
        subject: dict[str, Any] = {"literal": code}
        if scheme in SUBJECT_SCHEMES and local.isascii() and local.isalnum():
            subject["uri"] = SUBJECT_SCHEMES[scheme] + local
        out.append(subject)
    return out


def _section(article: Article) -> dict[str, Any]:
    return {
        "name": article.section.name,
        "rel": "section",
        "literal": f"section:{article.section.name}",
    }
