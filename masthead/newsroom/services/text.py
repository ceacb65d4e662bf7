"""Small text helpers for articles: slugs and signatures."""

from __future__ import annotations

import hashlib

from django.utils.text import slugify

# Letters NFKD cannot decompose into ASCII; without these "Straße" would become "strae".
_TRANSLIT = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "þ": "th",
    }
)


def article_slug(headline: str, *, limit: int = 80) -> str:
    slug = slugify(headline.translate(_TRANSLIT))
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "article"


def signature_pick(*, signatures: list[str], code: str, key: str) -> str:
    """The house signature for a story on a site: stable for the story, spread over the list."""
    if not signatures:
        return f"--{code}"
    index = int(hashlib.sha256(f"{key}:{code}".encode()).hexdigest(), 16) % len(signatures)
    return f"{signatures[index]}--{code}"
