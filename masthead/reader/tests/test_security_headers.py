"""Reader responses: GET and HEAD only, a Content-Security-Policy that lets the page's own inline
script run and nothing else, a Permissions-Policy, nosniff; the admin as it was."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from masthead.newsroom.models import Article

HOST = "test.localhost"
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
INLINE_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _directives(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


@pytest.fixture
def paths(published: Article) -> list[str]:
    return [
        "/en/",
        "/en/Politics/",
        published.get_absolute_url(),
        "/en/search?q=harbour",
        "/en/archive/",
        "/en/feed/rss.xml",
        "/ticker.json",
        "/sitemap.xml",
        "/en/no-such-section/",
    ]


@pytest.mark.parametrize("method", ["options", "trace", "post", "put", "patch", "delete"])
def test_other_methods_are_not_allowed_on_reader_pages(client, paths, method: str) -> None:
    for path in paths:
        response = getattr(client, method)(path, HTTP_HOST=HOST)
        assert response.status_code == 405, (method, path)
        assert response["Allow"] == "GET, HEAD"
        assert not response.content  # never the page


def test_get_and_head_still_answer(client, paths) -> None:
    for path in paths:
        for method in ("get", "head"):
            status = getattr(client, method)(path, HTTP_HOST=HOST).status_code
            assert status in (200, 302, 404), (method, path, status)


def test_reader_responses_carry_the_policies(client, paths) -> None:
    for path in paths:
        response = client.get(path, HTTP_HOST=HOST)
        directives = _directives(response)
        assert directives["default-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]
        policy = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "interest-cohort"):
            assert f"{feature}=()" in policy, (path, feature)
        assert response["X-Content-Type-Options"] == "nosniff"


def test_the_inline_text_size_script_is_allowed_by_its_hash(client, published) -> None:
    page = client.get(published.get_absolute_url(), HTTP_HOST=HOST)
    scripts = INLINE_SCRIPT.findall(page.content.decode())
    assert len(scripts) == 1 and "masthead-text-size" in scripts[0]
    # The hash of the script exactly as served, computed here, is in the policy the server made
    # from the template at start-up.
    assert _source(scripts[0]) in _directives(page)["script-src"]
    assert _directives(page)["script-src"][0] == "'self'"  # reader.js
    assert 'src="/static/masthead/reader.js"' in page.content.decode()


def test_the_error_page_style_is_allowed_by_its_hash(client, rf, network) -> None:
    from masthead.reader.views import server_error

    request = rf.get("/en/", HTTP_HOST=HOST)
    styles = INLINE_STYLE.findall(server_error(request).content.decode())
    response = client.get("/en/", HTTP_HOST=HOST)
    assert styles and all(_source(s) in _directives(response)["style-src"] for s in styles)


def test_media_files_are_nosniff_and_get_only(client, published) -> None:
    picture = published.picture
    assert picture is not None
    url = picture.fallback_url
    response = client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.options(url, HTTP_HOST=HOST).status_code == 405


def test_the_admin_keeps_working(client, admin_client, published) -> None:
    login = client.get("/admin/login/")
    assert login.status_code == 200
    assert "Content-Security-Policy" not in login  # the admin's own inline scripts run
    assert admin_client.get("/admin/").status_code == 200
    assert admin_client.get("/admin/newsroom/article/").status_code == 200
    change = admin_client.get(f"/admin/newsroom/article/{published.pk}/change/")
    assert change.status_code == 200
    # The admin still takes POST (here: log out, a POST since Django 5).
    assert admin_client.post("/admin/logout/").status_code == 200


def test_policy_built_from_the_templates() -> None:
    from masthead.reader.security import TEMPLATES, content_security_policy, inline_hashes

    hashes = inline_hashes(TEMPLATES.rglob("*.html"))
    assert len(hashes["script"]) == 1  # base.html's text size, not the JSON-LD data block
    assert len(hashes["style"]) == 1  # error_500.html
    policy = content_security_policy("default-src 'self'; script-src 'none'", hashes)
    assert "script-src 'none'" in policy  # a script-src the operator set is kept as set
    assert policy.endswith("style-src 'self' " + hashes["style"][0])
