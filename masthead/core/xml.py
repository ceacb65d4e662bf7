"""Reading agency XML safely: no network, no DTD, no entity expansion, honest encodings.

Shared by the wire parsers (NITF, NewsML-G2, NewsML 1, feeds) and the ECB rates provider.
Every failure is one WireError line naming what is wrong and, for malformed XML, where.
"""

from __future__ import annotations

import re

from lxml import etree

from masthead.core.errors import WireError

_DECLARED = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_HEAD = re.compile(rb"^(?:\s|<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<([A-Za-z_][\w.:-]*)", re.S)
# Latin encodings that any byte sequence "decodes" in: a lie can only be told by looking.
_SINGLE_BYTE = {"iso-8859-1", "latin-1", "latin1", "iso-8859-15", "windows-1252", "cp1252"}
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


ENTITIES_REFUSED = "XML declares entities in a DTD: refused (entity expansion is unsafe)"


def refuse_entities(data: bytes) -> None:
    """WireError when the document declares entities anywhere (padding before a DTD does not
    hide it: the whole file is searched, which costs milliseconds even at the size limit)."""
    if _ENTITY.search(data):
        raise WireError(ENTITIES_REFUSED)


def root_name(data: bytes) -> str:
    """The local name of the root element, from the first bytes ('' when not XML)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    match = _HEAD.match(head)
    if not match:
        return ""
    return match.group(1).decode("ascii", "replace").rsplit(":", 1)[-1]


def parse_xml(data: bytes, notes: list[str] | None = None) -> etree._Element:
    """The document's root element, parsed with every dangerous feature off.

    An encoding declaration that lies is common in agency files: Latin-1 declared over UTF-8
    text, or UTF-8 declared (or implied) over Windows-1252 text. Such a file is read in the
    encoding its bytes are in, and `notes` (for the wire log) says so; only bytes that no
    encoding reads are refused."""
    refuse_entities(data)
    data = _honest_encoding(data, notes if notes is not None else [])
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        message = str(exc.msg).split(",")[0].strip().rstrip(".")
        raise WireError(f"not well-formed XML at line {line}: {message}") from None
    except (ValueError, LookupError) as exc:
        raise WireError(f"unreadable XML: {exc}") from None
    if root is None:
        raise WireError("empty XML document")
    return root


def _honest_encoding(data: bytes, notes: list[str]) -> bytes:
    """`data` with a declaration that matches its bytes (UTF-8 when it had to be changed)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        return data  # UTF-16 or UTF-32 (a byte-order mark, or NULs in "<?xm"): lxml reads it
    declared = _DECLARED.match(data[:200])
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if encoding.replace("_", "-") not in ("utf-8", "utf8", *_SINGLE_BYTE):
        return data  # UTF-16, Shift_JIS ...: lxml reads those as declared
    try:
        data.decode("utf-8")
        is_utf8 = True
    except UnicodeDecodeError:
        is_utf8 = False
    if encoding in _SINGLE_BYTE:
        if is_utf8 and _UTF8_MULTIBYTE.search(data):
            notes.append(f"declared {encoding} but the text is UTF-8: read as UTF-8")
            return _redeclare(data, declared)
        return data
    if is_utf8:
        return data
    for fallback in ("windows-1252", "iso-8859-1"):
        try:
            text = data.decode(fallback)
        except UnicodeDecodeError:
            continue
        said = f"declared {encoding}" if declared else "no encoding declared (so UTF-8)"
        notes.append(f"{said} but the text is not UTF-8: read as {fallback}")
        return _redeclare(text.encode("utf-8"), _DECLARED.match(text.encode("utf-8")[:200]))
    return data


def _redeclare(data: bytes, declared: re.Match[bytes] | None) -> bytes:
    if declared is None:
        return data
    start, end = declared.span(1)
    return data[:start] + b"UTF-8" + data[end:]


def local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


# `{*}name` is lxml's "this local name in any namespace, or none": matched in C, which made
# parsing a NewsML-G2 item a quarter faster than comparing local names in Python.
def children(element: etree._Element | None, name: str) -> list[etree._Element]:
    """Direct children with this local name, whatever their namespace."""
    if element is None:
        return []
    return element.findall("{*}" + name)


def child(element: etree._Element | None, name: str) -> etree._Element | None:
    return None if element is None else element.find("{*}" + name)


def descendants(element: etree._Element | None, name: str) -> list[etree._Element]:
    """The element itself and everything below it with this local name."""
    if element is None:
        return []
    return list(element.iter("{*}" + name))


def text_of(element: etree._Element | None) -> str:
    """All the text inside, whitespace collapsed."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def positive_int(value: str | None) -> int | None:
    """A width, height or urgency from an attribute: a small positive whole number, or None."""
    try:
        number = int((value or "").strip())
    except ValueError:
        return None
    return number if 0 < number < 100_000 else None
