"""The reader speaks the site's language: labels, dates and numbers."""

import gettext
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from masthead.newsroom.models import Article


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("en", "Text size:"),
        ("fr", "Taille du texte :"),
        ("de", "Schriftgröße:"),
        ("it", "Dimensione del testo:"),
    ],
)
def test_text_size_label_is_translated(lang: str, label: str) -> None:
    with translation.override(lang):
        assert translation.gettext("Text size:") == label


def test_french_page_in_french(client, network, wire_dir, ingest) -> None:
    doc = json.loads((wire_dir / "harbour-talks.json").read_text())
    doc.update(uri="urn:test:fr", language="fr", headline="Les ports parlent d'émissions")
    (wire_dir / "fr.json").write_text(json.dumps(doc))
    ingest([wire_dir / "fr.json"])
    article = Article.objects.get(language="fr")
    page = client.get(article.get_absolute_url(), HTTP_HOST="test.localhost").content.decode()
    assert '<html lang="fr">' in page
    assert "Taille du texte :" in page and "Rubriques" in page
    assert "novembre 2026" in page  # the publication date, in French
    assert "Photo" in page


def test_german_front_in_german(client, network, wire_dir, ingest) -> None:
    doc = json.loads((wire_dir / "harbour-talks.json").read_text())
    doc.update(uri="urn:test:de", language="de", headline="Hafenstädte beraten über Abgase")
    (wire_dir / "de.json").write_text(json.dumps(doc))
    ingest([wire_dir / "de.json"])
    home = client.get("/de/", HTTP_HOST="zeitung.localhost").content.decode()
    assert "Zum Inhalt springen" in home and "Hafenstädte beraten über Abgase" in home
    article = Article.objects.get(language="de")
    page = client.get(article.get_absolute_url(), HTTP_HOST="zeitung.localhost").content.decode()
    assert "Schriftgröße:" in page and "November 2026" in page


LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("lang", sorted(path.name for path in LOCALE.iterdir() if path.is_dir()))
def test_catalogue_is_complete_and_compiled(lang: str, tmp_path: Path) -> None:
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(compiled), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    # The committed .mo is what the .po says (run `compilemessages` after editing a .po).
    with (LOCALE / lang / "LC_MESSAGES" / "django.mo").open("rb") as committed:
        ours = gettext.GNUTranslations(committed)
    with compiled.open("rb") as fresh:
        expected = gettext.GNUTranslations(fresh)
    assert ours._catalog == expected._catalog  # type: ignore[attr-defined]
