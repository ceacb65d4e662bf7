"""The admin as an editor uses it: lists, filters, search, preview, edit, actions."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from masthead.newsroom.models import Article, ArticleStatus


@pytest.fixture
def editor(db: None) -> Client:
    user = User.objects.create_superuser("editor", "editor@example.invalid", "pw")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?site__id__exact={site}",
        "?language=en",
        "?status__exact=published",
        "?q=harbour",
        "?q=Port+cities",
    ],
)
def test_article_list_with_filters_and_search(editor: Client, published: Article, query) -> None:
    query = query.format(site=published.site_id)
    response = editor.get(reverse("admin:newsroom_article_changelist") + query)
    assert response.status_code == 200
    if "harbour" not in query:
        assert published.headline in response.content.decode()


def test_article_list_links_to_the_page(editor: Client, published: Article) -> None:
    page = editor.get(reverse("admin:newsroom_article_changelist")).content.decode()
    assert f'href="http://test.localhost{published.get_absolute_url()}"' in page


@pytest.mark.parametrize(
    "name",
    [
        "newsroom_story",
        "newsroom_picture",
        "network_site",
        "network_section",
        "network_route",
        "wire_wireitem",
        "wire_source",
        "markets_instrument",
        "markets_quote",
    ],
)
def test_other_lists_load(editor: Client, published: Article, name: str) -> None:
    from django.apps import apps
    from django.contrib import admin

    url = reverse(f"admin:{name}_changelist")
    assert editor.get(url).status_code == 200
    model = apps.get_model(*name.split("_", 1))
    if admin.site.get_model_admin(model).search_fields:
        # A search that matches nothing says so (it used to be checked for a 200 only).
        page = editor.get(url + "?q=zqxjkv-nothing-matches").content.decode()
        assert "0 results" in page, name


def test_change_pages_load(editor: Client, published: Article) -> None:
    for name, pk in [
        ("newsroom_article", published.pk),
        ("newsroom_story", published.story_id),
        ("network_site", published.site_id),
    ]:
        assert editor.get(reverse(f"admin:{name}_change", args=[pk])).status_code == 200


def _form(article: Article, **changes) -> dict[str, str]:
    data = {
        "section": str(article.section_id),
        "slug": article.slug,
        "headline": article.headline,
        "body": "New first paragraph.",
        "picture": str(article.picture_id or ""),
        "signature": article.signature,
        "source_agency": article.source_agency,
        "status": article.status,
        "published_at_0": article.published_at.strftime("%Y-%m-%d"),
        "published_at_1": article.published_at.strftime("%H:%M:%S"),
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": str(article.revisions.count()),
        "revisions-MIN_NUM_FORMS": "0",
        "revisions-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_edit_in_admin_goes_through_the_service(editor: Client, published: Article) -> None:
    url = reverse("admin:newsroom_article_change", args=[published.pk])
    response = editor.post(url, _form(published, headline="A corrected headline"))
    assert response.status_code == 302, response.content.decode()[:2000]
    published.refresh_from_db()
    assert published.headline == "A corrected headline"
    assert published.body == [{"type": "paragraph", "html": "New first paragraph."}]
    assert published.revisions.order_by("-number").first().source == "editor editor"


def test_bad_body_in_admin_is_a_form_error(editor: Client, published: Article) -> None:
    url = reverse("admin:newsroom_article_change", args=[published.pk])
    # Markup that cleans away to nothing leaves no text to publish.
    response = editor.post(url, _form(published, body='<img src="x" onerror="alert(1)">'))
    assert response.status_code == 200
    assert "body: an article needs at least one non-empty block" in response.content.decode()
    published.refresh_from_db()
    assert published.body[0]["type"] == "paragraph" and len(published.body) > 1


def test_kill_action(editor: Client, published: Article) -> None:
    response = editor.post(
        reverse("admin:newsroom_article_changelist"),
        {
            "action": "kill_story",
            "_selected_action": [published.pk],
            "post": "yes",
            "reason": "Legal request",
        },
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == ArticleStatus.KILLED
