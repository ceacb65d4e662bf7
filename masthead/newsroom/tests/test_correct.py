"""A correction is made known: on the article with its date (in the page's language), in its
JSON-LD (schema.org correction), and as an update in its feed."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from masthead.newsroom.models import Article, AuditEntry
from masthead.newsroom.services.article import ArticleEditError, article_correct
from masthead.newsroom.services.bodytext import body_to_text


def test_the_article_shows_it_and_its_json_ld_carries_it(client, published: Article) -> None:
    article_correct(
        article=published, note="The meeting is in Antwerp, not Ghent.", editor="p.claes"
    )
    page = client.get(published.get_absolute_url(), HTTP_HOST="test.localhost").content.decode()
    correction = re.search(r'<p class="correction">(.*?)</p>', page, re.S)
    assert correction is not None
    assert "Correction, " in correction.group(
        1
    ) and "The meeting is in Antwerp" in correction.group(1)
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert data["correction"][0]["@type"] == "CorrectionComment"
    assert data["correction"][0]["text"] == "The meeting is in Antwerp, not Ghent."
    saved = Article.objects.get(pk=published.pk)
    assert saved.updated_at is not None and saved.updated_at > saved.published_at
    assert AuditEntry.objects.get(action="correct").actor == "p.claes"


def test_the_feed_marks_the_item_updated(client, published: Article) -> None:
    article_correct(article=published, note="A name was misspelt.", editor="p.claes")
    feed = client.get("/en/feed/atom.xml", HTTP_HOST="test.localhost").content.decode()
    updated = re.search(r"<entry>.*?<updated>(.*?)</updated>", feed, re.S).group(1)
    saved = Article.objects.get(pk=published.pk)
    assert updated.startswith(f"{saved.updated_at.astimezone(__import__('datetime').UTC):%Y-%m-%d}")
    assert saved.updated_at > saved.published_at


def test_in_french_the_label_and_date_are_french(client, network, wire_dir, ingest) -> None:
    doc = json.loads((wire_dir / "harbour-talks.json").read_text())
    doc.update(uri="urn:test:fr-correct", language="fr", headline="Les ports parlent d'émissions")
    (wire_dir / "fr.json").write_text(json.dumps(doc))
    ingest([wire_dir / "fr.json"])
    article = Article.objects.get(language="fr")
    article_correct(article=article, note="La réunion a lieu à Anvers.", editor="m.dubois")
    page = client.get(article.get_absolute_url(), HTTP_HOST="test.localhost").content.decode()
    assert re.search(r"<strong>Correctif, <time[^>]*>\d+ \w+ \d{4}</time>", page)


def test_an_empty_note_is_refused(published: Article) -> None:
    with pytest.raises(ArticleEditError, match="must not be empty"):
        article_correct(article=published, note="  ", editor="x")


def test_the_admin_adds_one_through_the_form(published: Article) -> None:
    desk = Client()
    desk.force_login(User.objects.create_superuser("chief", "c@example.org", "pw-tests-only"))
    url = f"/admin/newsroom/article/{published.pk}/change/"
    form = desk.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not hasattr(v, "tzinfo")}
    data.update(
        body=body_to_text(form.initial["body"]),
        section=published.section_id,
        add_correction="The figure was 12 percent, not 21.",
    )
    for name in ("published_at", "updated_at"):
        value = form.initial.get(name)
        if value:
            local = value.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Brussels"))
            data[f"{name}_0"], data[f"{name}_1"] = f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"
    data.update({"revisions-TOTAL_FORMS": "0", "revisions-INITIAL_FORMS": "0"})
    answer = desk.post(url, data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert published.corrections.get().note == "The figure was 12 percent, not 21."
