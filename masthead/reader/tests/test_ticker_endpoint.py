"""The ticker's JSON for the browser, and pages that live without quotes."""

import json

from django.db import DatabaseError

from masthead.newsroom.models import Article


def test_ticker_json_is_cacheable_by_any_cache(client, published: Article) -> None:
    response = client.get("/ticker.json", HTTP_HOST="test.localhost")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["label"] == "NYSE - LSE"
    assert [(l_["symbol"], l_["change"], l_["price"]) for l_ in data["lines"]] == [
        ("BP", "+0.44%", "29.76"),
        ("RBGPF", "n/a", "64.5"),
    ]
    assert "public" in response["Cache-Control"] and "s-maxage=60" in response["Cache-Control"]
    assert not response.cookies and "Cookie" not in response.get("Vary", "")


def test_no_ticker_no_json(client, network) -> None:
    assert client.get("/ticker.json", HTTP_HOST="zeitung.localhost").status_code == 404
    assert client.get("/ticker.json", HTTP_HOST="nowhere.localhost").status_code == 404


def test_page_renders_when_quotes_cannot_be_read(client, published: Article, monkeypatch) -> None:
    def broken(site, **kwargs):
        raise DatabaseError("quote table locked")

    monkeypatch.setattr("masthead.reader.views.ticker_for_site", broken)
    response = client.get(published.get_absolute_url(), HTTP_HOST="test.localhost")
    assert response.status_code == 200
    assert b'class="ticker"' not in response.content
    assert published.headline.encode() in response.content
