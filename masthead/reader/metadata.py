"""What an article page tells search engines and social sites: JSON-LD, Open Graph, hreflang."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from masthead.newsroom.models import Article
from masthead.newsroom.services.text import block_text


def article_description(article: Article, *, limit: int = 200) -> str:
    """The standfirst an editor wrote, else the first paragraph, cut at a word."""
    first = next((b for b in article.body if b.get("type") == "paragraph"), None)
    text = article.standfirst or (block_text(first["html"]) if first else "")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def article_json_ld(request: HttpRequest, article: Article) -> SafeString:
    """schema.org NewsArticle, as a string safe to put inside a <script> element."""
    url = request.build_absolute_uri(article.get_absolute_url())
    modified = article.updated_at or article.published_at
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline[:110],
        "inLanguage": article.language,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": modified.isoformat() if modified else None,
        "author": {"@type": "Person", "name": article.signature},
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": article.site.name,
            "url": request.build_absolute_uri(f"/{article.language}/"),
        },
        "articleSection": article.section.name,
        "description": article_description(article),
        "sourceOrganization": {"@type": "Organization", "name": article.source_agency},
    }
    corrections = list(article.corrections.all())
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": c.note, "datePublished": c.at.isoformat()}
            for c in corrections
        ]
    if article.picture:
        data["image"] = [
            {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(article.picture.fallback_url),
                "width": article.picture.width,
                "height": article.picture.height,
                "caption": article.picture.caption,
                "creditText": article.picture.credit,
            }
        ]
    text = json.dumps({k: v for k, v in data.items() if v is not None}, ensure_ascii=False)
    # "<" never appears raw, so no "</script>" or "<!--" in agency text can end the element.
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
