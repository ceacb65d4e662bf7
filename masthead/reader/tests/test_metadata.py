"""What search engines and social sites read from an article page."""

import json

from lxml import html

from masthead.newsroom.models import Article
from masthead.wire.pipeline import ingest_paths


def _head(client, article: Article):
    response = client.get(article.get_absolute_url(), HTTP_HOST="test.localhost")
    assert response.status_code == 200
    return html.fromstring(response.content)


def test_json_ld_news_article(client, published: Article) -> None:
    page = _head(client, published)
    (script,) = page.xpath('//script[@type="application/ld+json"]/text()')
    data = json.loads(script)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == published.headline
    assert data["author"]["name"] == published.signature
    assert data["publisher"]["name"] == "Journal de Test"
    assert data["datePublished"].startswith(published.published_at.date().isoformat())
    assert data["dateModified"]
    assert data["image"][0]["url"].startswith("http://test.localhost/media/")
    assert data["url"] == f"http://test.localhost{published.get_absolute_url()}"


def test_open_graph_and_canonical(client, published: Article) -> None:
    page = _head(client, published)
    meta = {m.get("property") or m.get("name"): m.get("content") for m in page.xpath("//meta")}
    assert meta["og:title"] == published.headline
    assert meta["og:type"] == "article"
    assert meta["og:image"].startswith("http://test.localhost/media/pictures/")
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["description"] and len(meta["description"]) <= 200
    (canonical,) = page.xpath('//link[@rel="canonical"]/@href')
    assert canonical == f"http://test.localhost{published.get_absolute_url()}"


def test_description_is_the_text_a_reader_sees(client, published: Article) -> None:
    # Stored paragraphs are sanitised HTML: tags go, entities are decoded once (the page
    # escapes the text again), so "&amp;" reads "&" and not "&amp;".
    published.body = [
        {"type": "paragraph", "html": "Ports &amp; ferries <em>agree</em> on &lt;shore&gt; power."}
    ]
    published.save()
    meta = {m.get("name"): m.get("content") for m in _head(client, published).xpath("//meta")}
    assert meta["description"] == "Ports & ferries agree on <shore> power."


def test_hreflang_links_the_language_versions(client, published: Article) -> None:
    # The same story in French on the same site (as an editor or a translation desk adds it).
    french = Article.objects.get(pk=published.pk)
    french.pk = None
    french.language = "fr"
    french.section = published.site.sections.get(language="fr", name="Politique")
    french.headline = "Les villes portuaires se parlent"
    french.save()
    page = _head(client, published)
    links = {
        a.get("hreflang"): a.get("href") for a in page.xpath('//link[@rel="alternate"][@hreflang]')
    }
    assert set(links) == {"en", "fr"}
    assert links["fr"] == f"http://test.localhost{french.get_absolute_url()}"


def test_agency_text_cannot_break_out_of_the_json_ld(client, network, wire_dir) -> None:
    source = (wire_dir / "harbour-talks.json").read_text()
    (wire_dir / "x.json").write_text(
        source.replace("Port cities agree", "Port cities &lt;/script&gt;&lt;b&gt;agree")
    )
    assert [o.action for o in ingest_paths([wire_dir / "x.json"])] == ["created"]
    article = Article.objects.get(site__code="JdT")
    body = client.get(article.get_absolute_url(), HTTP_HOST="test.localhost").content.decode()
    script = body.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script
    assert json.loads(script)["headline"] == article.headline
