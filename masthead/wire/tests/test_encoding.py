"""Declared encodings that lie are read in the encoding the bytes are in, and the wire log
says so; only bytes no encoding reads are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from masthead.newsroom.models import Article
from masthead.wire.models import WireItem

NITF = Path(__file__).parent / "fixtures" / "nitf" / "ecluses-namur.xml"  # ISO-8859-1


def _utf8_declared_latin1(tmp_path: Path) -> Path:
    path = tmp_path / "lie-latin1.xml"
    path.write_bytes(NITF.read_text(encoding="iso-8859-1").encode("utf-8"))  # declaration kept
    return path


def _latin1_declared_utf8(tmp_path: Path) -> Path:
    path = tmp_path / "lie-utf8.xml"
    path.write_bytes(NITF.read_bytes().replace(b'encoding="ISO-8859-1"', b'encoding="UTF-8"'))
    return path


def _latin1_undeclared(tmp_path: Path) -> Path:
    path = tmp_path / "undeclared.xml"
    data = NITF.read_bytes()
    path.write_bytes(data[data.index(b"?>") + 2 :])
    return path


@pytest.mark.parametrize(
    ("make", "note"),
    [
        (_utf8_declared_latin1, "declared iso-8859-1 but the text is UTF-8: read as UTF-8"),
        (_latin1_declared_utf8, "declared utf-8 but the text is not UTF-8: read as windows-1252"),
        (_latin1_undeclared, "no encoding declared (so UTF-8) but the text is not UTF-8"),
    ],
)
def test_a_lying_declaration_is_read_right_and_said(make, note, network, tmp_path, ingest) -> None:
    outcome = ingest([make(tmp_path)])[0]
    assert outcome.action == "created", outcome
    article = Article.objects.get(pk=outcome.article_ids[0])
    assert article.headline == "Les écluses de la Meuse à Namur seront modernisées d'ici 2029"
    assert "péniches" in str(article.body) and "Ã" not in str(article.body)
    assert note in WireItem.objects.get(guid=outcome.guid).note


def test_an_honest_latin1_file_has_no_note(network, tmp_path, ingest) -> None:
    outcome = ingest([NITF])[0]
    assert outcome.action == "created"
    assert "declared" not in WireItem.objects.get(guid=outcome.guid).note


def test_bytes_no_encoding_reads_are_refused_in_one_line(network, tmp_path, ingest) -> None:
    path = tmp_path / "utf16-lie.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="UTF-16"?>\n<nitf><head/></nitf>')
    outcome = ingest([path])[0]
    assert outcome.action == "failed" and "\n" not in outcome.error


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_xml_are_read_as_declared(encoding) -> None:
    from masthead.wire.parsers.nitf import NitfParser

    declaration = f'encoding="{encoding.upper()}"'
    text = NITF.read_text(encoding="iso-8859-1").replace('encoding="ISO-8859-1"', declaration)
    (item,) = NitfParser().parse(text.encode(encoding), source="x.xml")  # with its byte-order mark
    assert "écluses" in item.headline and not item.notes
