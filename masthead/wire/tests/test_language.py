"""The language of an item: from the file, else its source, else its text, else the default;
BCP 47 tags as agencies write them are published in the site's language."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from masthead.core.errors import WireError
from masthead.network.routing import route_languages
from masthead.network.services import network_apply
from masthead.network.spec import parse_network
from masthead.newsroom.models import Article
from masthead.wire.language import detect_language, language_tag
from masthead.wire.models import Source, WireItem
from masthead.wire.services import source_poll
from masthead.wire.sources.folder import folder_prepare

FRENCH = (
    "Le conseil communal a approuvé mardi soir la rénovation complète du dépôt de trams, "
    "un chantier de deux ans qui doit permettre d'accueillir des rames plus longues."
)
GERMAN = (
    "Der Stadtrat hat am Dienstagabend die vollständige Sanierung des Straßenbahndepots "
    "beschlossen, eine Baustelle von zwei Jahren für längere Züge."
)


def _ninjs(folder: Path, name: str, **fields: object) -> Path:
    doc = {
        "uri": f"urn:test:{name}",
        "version": "1",
        "versioncreated": "2026-11-30T09:00:00Z",
        "headline": "Tram depot to be rebuilt",
        "body_html": "<p>The council approved the works on Tuesday evening after a long debate.</p>",
    }
    doc.update(fields)
    doc = {k: v for k, v in doc.items() if v is not None}
    path = folder / f"{name}.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize(
    ("value", "tag"),
    [("en-US", "en-us"), ("fr_BE", "fr-be"), (" DE ", "de"), ("zh-Hant-TW", "zh-hant-tw")],
)
def test_language_tags_are_read_as_bcp47(value: str, tag: str) -> None:
    assert language_tag(value) == tag


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "english", "e", "en-" + "x" * 20])
def test_a_value_that_is_no_language_tag_is_refused_naming_the_field(value: str) -> None:
    with pytest.raises(WireError, match=r"^language: .* is not a language tag"):
        language_tag(value)


def test_regional_tag_routes_to_the_sites_language(network, tmp_path, ingest) -> None:
    outcome = ingest([_ninjs(tmp_path, "us", language="en-US")])[0]
    assert outcome.action == "created" and outcome.article_ids, outcome
    article = Article.objects.get(pk=outcome.article_ids[0])
    assert article.language == "en" and article.get_absolute_url().startswith("/en/")


def test_a_site_that_declares_a_region_gets_that_region_first() -> None:
    assert route_languages("en-gb", {"en", "en-gb", "en-us"}) == ["en-gb", "en", "en-us"]
    assert route_languages("en", {"en-gb", "fr"}) == ["en", "en-gb"]


def test_regional_site_takes_regional_copy(db, tmp_path, ingest) -> None:
    network_apply(
        spec=parse_network(
            """
[[site]]
code = "LdT"
name = "London Test"
domains = ["london.localhost"]
languages = ["en-gb", "en"]
signatures = ["A.Smith"]
[[site.section]]
language = "en-gb"
name = "UK"
[[site.section]]
language = "en"
name = "World"
[[route]]
site = "LdT"
language = "en-gb"
section = "UK"
[[route]]
site = "LdT"
language = "en"
section = "World"
""",
            source="t.toml",
        )
    )
    british, plain = ingest(
        [_ninjs(tmp_path, "gb", language="en-GB"), _ninjs(tmp_path, "plain", language="en")]
    )
    assert Article.objects.get(pk=british.article_ids[0]).language == "en-gb"
    assert Article.objects.get(pk=plain.article_ids[0]).language == "en"


def test_no_language_in_the_file_takes_the_detected_one(network, tmp_path, ingest) -> None:
    path = _ninjs(
        tmp_path, "fr", headline="Le dépôt de trams sera rénové", body_html=f"<p>{FRENCH}</p>"
    )
    outcome = ingest([path])[0]
    assert outcome.action == "created", outcome
    article = Article.objects.get(pk=outcome.article_ids[0])
    assert article.language == "fr" and article.section.name == "Politique"
    log = WireItem.objects.get(guid="urn:test:fr")
    assert "language fr (detected)" in log.note


def test_short_text_without_language_takes_the_default(network, tmp_path, ingest, settings) -> None:
    settings.MASTHEAD_WIRE_DEFAULT_LANGUAGE = "fr"
    path = _ninjs(tmp_path, "short", headline="Trams", body_html="<p>Oui.</p>")
    outcome = ingest([path])[0]
    assert Article.objects.get(pk=outcome.article_ids[0]).language == "fr"
    assert "language fr (default)" in WireItem.objects.get(guid="urn:test:short").note


def test_the_sources_language_comes_before_detection(network, tmp_path, ingest) -> None:
    path = _ninjs(tmp_path, "src", headline="Tramdepot", body_html=f"<p>{GERMAN}</p>")
    outcome = ingest([path], language="fr")[0]
    assert Article.objects.get(pk=outcome.article_ids[0]).language == "fr"
    assert "language fr (source)" in WireItem.objects.get(guid="urn:test:src").note


def test_declared_source_language_applies_to_its_drop_folder(network, tmp_path, settings) -> None:
    network_apply(
        spec=parse_network(
            (Path(__file__).parents[2] / "conftest.py")
            .read_text()
            .split('TEST_NETWORK = """')[1]
            .split('"""')[0]
            + f'\n[[source]]\nname = "fr-drop"\nkind = "folder"\npath = "{tmp_path}/drop"\nlanguage = "fr"\n',
            source="t.toml",
        )
    )
    source = Source.objects.get(name="fr-drop")
    assert source.language == "fr"
    folder_prepare(tmp_path / "drop")
    path = _ninjs(tmp_path / "drop" / "incoming", "dropped", body_html="<p>Oui.</p>")
    os.utime(path, (0, 0))  # settled
    result = source_poll(source=source)
    assert result.outcomes[0].action == "created", result.outcomes
    assert Article.objects.get(pk=result.outcomes[0].article_ids[0]).language == "fr"


def test_french_nitf_without_language_goes_to_the_french_edition(network, tmp_path, ingest) -> None:
    nitf = (Path(__file__).parent / "fixtures" / "nitf" / "ecluses-namur.xml").read_bytes()
    path = tmp_path / "sans-langue.xml"
    path.write_bytes(nitf.replace(b' xml:lang="fr"', b""))
    outcome = ingest([path])[0]
    assert outcome.action == "created", outcome
    assert {a.language for a in Article.objects.filter(pk__in=outcome.article_ids)} == {"fr"}


def test_a_language_value_with_markup_fails_with_one_line(network, tmp_path, ingest) -> None:
    outcome = ingest([_ninjs(tmp_path, "bad", language="<script>alert(1)</script>")])[0]
    assert outcome.action == "failed"
    assert outcome.error.startswith("language: '<script>alert(1)</script>' is not a language tag")
    assert not Article.objects.exists()


def test_detection_only_chooses_among_the_networks_languages() -> None:
    assert detect_language(GERMAN, frozenset({"en", "fr", "de"})) == "de"
    # Italian text, in a network without Italian: a guess among en/fr/de is not sure enough.
    italian = (
        "Il consiglio comunale ha approvato martedì sera la ristrutturazione completa del "
        "deposito dei tram, un cantiere di due anni."
    )
    assert detect_language(italian, frozenset({"en", "de"})) in ("", "en", "de")
    assert detect_language(FRENCH, frozenset({"fr"})) == ""  # one language: nothing to choose
