"""Reading and validating the network file (TOML) into plain, checked data.

Nothing here touches the database: a file is fully validated before any of it is applied,
which is what makes `network load` all or nothing.
"""

from __future__ import annotations

import io
import re
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf.locale import LANG_INFO

from masthead.core.errors import NetworkFileError
from masthead.core.hooks import hooks
from masthead.core.svg import UnsafeSVG, svg_clean
from masthead.network.face import FONTS, HEX_RE, MIN_CONTRAST, WHITE, contrast_ratio

CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,15}$")
DOMAIN_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)
SIGNATURE_RE = re.compile(r"^[A-Z][A-Za-z]{0,3}\.[^\s.][^\n]{0,60}$")
# Path segments the reader uses for its own pages; a section may not shadow them.
RESERVED_SECTION_NAMES = {"search", "archive", "feed", "feeds", "sitemap", "static", "media", "api"}
SITE_KEYS = {
    "code",
    "name",
    "domains",
    "languages",
    "default_language",
    "signatures",
    "timezone",
    "ticker",
    "section",
    "face",
}
FACE_KEYS = {"accent", "wordmark", "font", "logo", "favicon"}
FACE_FILE_BYTES = 64 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ROUTE_KEYS = {"site", "language", "section", "subjects", "keywords", "providers"}
SOURCE_KEYS = {"name", "kind", "path", "url", "format", "every", "language", "idle_alert"}
SOURCE_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
TICKER_KINDS = {"stocks", "currencies"}
# Tables of the file that apps above the network own, kept as read for their
# MASTHEAD_NETWORK_CHECKS and MASTHEAD_NETWORK_APPLIERS (the webhooks app: [[webhook]]).
APP_TABLES = {"webhook"}


@dataclass(frozen=True)
class SectionSpec:
    language: str
    name: str


@dataclass(frozen=True)
class TickerSpec:
    label: str
    kind: str
    symbols: tuple[str, ...]


@dataclass(frozen=True)
class FaceSpec:
    """What makes a site look like itself; every value checked (see network/face.py)."""

    accent: str = ""  # "#rrggbb", lower case; "" for the house's
    wordmark: str = ""  # "" for the site's name
    font: str = ""  # one of face.FONTS; "" for the house's serif
    logo: str = ""  # sanitised SVG markup
    favicon: bytes = b""  # sanitised SVG or a PNG, as served
    favicon_type: str = ""  # "image/svg+xml" or "image/png"


@dataclass(frozen=True)
class SiteSpec:
    code: str
    name: str
    domains: tuple[str, ...]
    languages: tuple[str, ...]
    default_language: str
    signatures: tuple[str, ...]
    timezone: str
    ticker: TickerSpec | None
    sections: tuple[SectionSpec, ...]
    face: FaceSpec = FaceSpec()


@dataclass(frozen=True)
class RouteSpec:
    site: str
    language: str
    section: str
    subjects: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceSpec:
    name: str
    kind: str  # "folder" or "feed"
    location: str  # folder path (relative: under MASTHEAD_DATA_DIR) or http(s) URL
    format: str = ""
    every: int = 300
    language: str = ""  # of items that do not say theirs
    idle_alert: int | None = None  # seconds without an item before the source is flagged


@dataclass
class NetworkSpec:
    sites: list[SiteSpec] = field(default_factory=list)
    routes: list[RouteSpec] = field(default_factory=list)
    sources: list[SourceSpec] = field(default_factory=list)
    # APP_TABLES as TOML gave them (an absent table is not a key): the owning app's hooks
    # check and apply them.
    tables: dict[str, Any] = field(default_factory=dict)


class _Reader:
    """Validates one file; every error names the file and the key."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> NetworkFileError:
        return NetworkFileError(f"{self.source}: {where}: {problem}")

    def text(self, table: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                raise self.fail(f"{where}.{key}", "missing (a text value is required)")
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}.{key}", f"must be a non-empty text, got {value!r}"[:200])
        if len(value) > 200:
            raise self.fail(f"{where}.{key}", "is longer than 200 characters")
        return value.strip()

    def texts(
        self, table: dict[str, Any], key: str, where: str, *, required: bool
    ) -> tuple[str, ...]:
        value = table.get(key)
        if value is None:
            if required:
                raise self.fail(f"{where}.{key}", "missing (a list of texts is required)")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(f"{where}.{key}", "must be a list of non-empty texts")
        if required and not value:
            raise self.fail(f"{where}.{key}", "must not be empty")
        if len(value) > 1000:
            raise self.fail(f"{where}.{key}", "has more than 1000 entries")
        return tuple(v.strip() for v in value)

    def unknown_keys(self, table: dict[str, Any], allowed: set[str], where: str) -> None:
        extra = sorted(set(table) - allowed)
        if extra:
            raise self.fail(
                f"{where}.{extra[0]}",
                f"unknown key (expected one of: {', '.join(sorted(allowed))})",
            )

    def language(self, code: str, where: str) -> str:
        if code not in LANG_INFO or "fallback" in LANG_INFO[code]:
            raise self.fail(where, f"unknown language {code!r} (use a code such as en, fr, de, it)")
        return code


def parse_network(text: str, *, source: str, base: Path | None = None) -> NetworkSpec:
    """Validate the TOML text of a network file; raise NetworkFileError on the first problem.
    Files it names (a face's logo and favicon) are read relative to `base`, by default the
    folder of `source`."""
    reader = _Reader(source)
    folder = Path(source).parent if base is None else base
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NetworkFileError(f"{source}: invalid TOML: {exc}") from None
    reader.unknown_keys(data, {"site", "route", "source"} | APP_TABLES, "(top level)")
    raw_sites = data.get("site")
    if not isinstance(raw_sites, list) or not raw_sites:
        raise reader.fail("site", "the file declares no [[site]]")

    spec = NetworkSpec()
    codes: set[str] = set()
    all_domains: dict[str, str] = {}
    for i, raw in enumerate(raw_sites):
        where = f"site[{i}]"
        if not isinstance(raw, dict):
            raise reader.fail(where, "must be a table ([[site]])")
        reader.unknown_keys(raw, SITE_KEYS, where)
        code = reader.text(raw, "code", where)
        where = f"site[{i}] ({code})"
        if not CODE_RE.match(code):
            raise reader.fail(
                f"{where}.code", "must be 1-16 letters or digits, starting with a letter"
            )
        if code.lower() in codes:
            raise reader.fail(f"{where}.code", f"duplicate site code {code!r}")
        codes.add(code.lower())
        name = reader.text(raw, "name", where)
        domains = reader.texts(raw, "domains", where, required=True)
        for domain in domains:
            host = domain.lower()
            if not DOMAIN_RE.match(host):
                raise reader.fail(f"{where}.domains", f"{domain!r} is not a valid host name")
            if host in all_domains:
                raise reader.fail(
                    f"{where}.domains", f"{domain!r} is already used by site {all_domains[host]}"
                )
            all_domains[host] = code
        languages = reader.texts(raw, "languages", where, required=True)
        for lang in languages:
            reader.language(lang, f"{where}.languages")
        if len(set(languages)) != len(languages):
            raise reader.fail(f"{where}.languages", "lists a language twice")
        default_language = (
            reader.text(raw, "default_language", where, required=False) or languages[0]
        )
        if default_language not in languages:
            raise reader.fail(
                f"{where}.default_language", f"{default_language!r} is not in languages"
            )
        signatures = reader.texts(raw, "signatures", where, required=True)
        for sig in signatures:
            if not SIGNATURE_RE.match(sig):
                raise reader.fail(
                    f"{where}.signatures", f"{sig!r} is not of the form Initial.Surname"
                )
        timezone = reader.text(raw, "timezone", where, required=False) or "UTC"
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise reader.fail(f"{where}.timezone", f"unknown time zone {timezone!r}") from None
        ticker = _ticker(reader, raw.get("ticker"), f"{where}.ticker")
        sections = _sections(reader, raw.get("section"), where, languages)
        face = _face(reader, raw.get("face"), f"{where}.face", folder)
        spec.sites.append(
            SiteSpec(
                code,
                name,
                tuple(d.lower() for d in domains),
                languages,
                default_language,
                signatures,
                timezone,
                ticker,
                sections,
                face,
            )
        )

    spec.routes = _routes(reader, data.get("route", []), spec.sites)
    spec.sources = _sources(reader, data.get("source", []))
    spec.tables = {name: data[name] for name in sorted(APP_TABLES) if name in data}
    # What other apps own in the file (a source's format is the wire's to know).
    for check in hooks("MASTHEAD_NETWORK_CHECKS"):
        check(spec=spec, source=source)
    return spec


def _sources(reader: _Reader, raw: Any) -> list[SourceSpec]:
    if not isinstance(raw, list):
        raise reader.fail("source", "must be an array of tables ([[source]])")
    sources: list[SourceSpec] = []
    for k, item in enumerate(raw):
        at = f"source[{k}]"
        if not isinstance(item, dict):
            raise reader.fail(at, "must be a table ([[source]])")
        reader.unknown_keys(item, SOURCE_KEYS, at)
        name = reader.text(item, "name", at)
        if not SOURCE_NAME_RE.match(name):
            raise reader.fail(f"{at}.name", "must be lower-case letters, digits, - or _")
        if any(s.name == name for s in sources):
            raise reader.fail(f"{at}.name", f"duplicate source name {name!r}")
        kind = reader.text(item, "kind", at)
        if kind == "folder":
            location = reader.text(item, "path", at)
            if "url" in item:
                raise reader.fail(f"{at}.url", "a folder source takes a path, not a url")
        elif kind == "feed":
            location = reader.text(item, "url", at)
            if not location.lower().startswith(("http://", "https://")):
                raise reader.fail(f"{at}.url", "must start with http:// or https://")
            if "path" in item:
                raise reader.fail(f"{at}.path", "a feed source takes a url, not a path")
        else:
            raise reader.fail(f"{at}.kind", f"must be one of feed, folder, got {kind!r}")
        format = reader.text(item, "format", at, required=False)
        every = item.get("every", 300)
        if not isinstance(every, int) or isinstance(every, bool) or not 10 <= every <= 86400:
            raise reader.fail(f"{at}.every", "must be a number of seconds from 10 to 86400")
        language = reader.text(item, "language", at, required=False)
        if language:
            reader.language(language.lower(), f"{at}.language")
        idle = _duration(reader, item.get("idle_alert"), f"{at}.idle_alert")
        sources.append(SourceSpec(name, kind, location, format, every, language.lower(), idle))
    return sources


_DURATION_RE = re.compile(r"^(\d+)\s*([smhd]?)$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def _duration(reader: _Reader, value: Any, where: str) -> int | None:
    """Seconds from 900, "90s", "15m", "2h" or "1d"; None when absent."""
    if value is None:
        return None
    match = _DURATION_RE.match(str(value).strip().lower()) if not isinstance(value, bool) else None
    seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)] if match else 0
    if not 60 <= seconds <= 30 * 86400:
        raise reader.fail(where, f"must be a duration from 1m to 30d such as 15m, got {value!r}")
    return seconds


def _ticker(reader: _Reader, raw: Any, where: str) -> TickerSpec | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise reader.fail(where, "must be a table ([site.ticker])")
    reader.unknown_keys(raw, {"label", "kind", "symbols"}, where)
    label = reader.text(raw, "label", where)
    kind = reader.text(raw, "kind", where)
    if kind not in TICKER_KINDS:
        raise reader.fail(
            f"{where}.kind", f"must be one of {', '.join(sorted(TICKER_KINDS))}, got {kind!r}"
        )
    symbols = reader.texts(raw, "symbols", where, required=True)
    for symbol in symbols:
        if not re.match(r"^[A-Z0-9.^=-]{1,16}$", symbol):
            raise reader.fail(f"{where}.symbols", f"{symbol!r} is not a ticker symbol")
    return TickerSpec(label, kind, symbols)


def _face(reader: _Reader, raw: Any, where: str, folder: Path) -> FaceSpec:
    if raw is None:
        return FaceSpec()
    if not isinstance(raw, dict):
        raise reader.fail(where, "must be a table ([site.face])")
    reader.unknown_keys(raw, FACE_KEYS, where)
    accent = reader.text(raw, "accent", where, required=False)
    if accent:
        if not HEX_RE.match(accent):
            raise reader.fail(f"{where}.accent", f"{accent!r} is not a colour written #rrggbb")
        # The accent colours links and headings on white, and white text on it (the favicon,
        # the masthead's band): both need WCAG AA's 4.5:1 for text of body size.
        ratio = contrast_ratio(accent, WHITE)
        if ratio < MIN_CONTRAST:
            shown = int(ratio * 10) / 10  # never rounded up to look like a pass
            raise reader.fail(
                f"{where}.accent",
                f'"{accent}": contrast {shown}:1 against white, needs {MIN_CONTRAST}:1 '
                "(choose a darker colour)",
            )
    font = reader.text(raw, "font", where, required=False)
    if font and font not in FONTS:
        raise reader.fail(f"{where}.font", f"must be one of {', '.join(FONTS)}, got {font!r}")
    logo = ""
    if "logo" in raw:
        data = _face_file(reader, raw, "logo", where, folder)
        if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"<?xml", b"<svg", b"<!--")):
            raise reader.fail(f"{where}.logo", f"{raw['logo']}: a logo must be an SVG file")
        logo = _svg(reader, data, f"{where}.logo", raw["logo"])
    favicon, favicon_type = b"", ""
    if "favicon" in raw:
        data = _face_file(reader, raw, "favicon", where, folder)
        if data.startswith(PNG_MAGIC):
            _png(reader, data, f"{where}.favicon", raw["favicon"])
            favicon, favicon_type = data, "image/png"
        else:
            favicon = _svg(reader, data, f"{where}.favicon", raw["favicon"]).encode("utf-8")
            favicon_type = "image/svg+xml"
    return FaceSpec(
        accent=accent.lower(),
        wordmark=reader.text(raw, "wordmark", where, required=False),
        font=font,
        logo=logo,
        favicon=favicon,
        favicon_type=favicon_type,
    )


def _face_file(reader: _Reader, raw: dict[str, Any], key: str, where: str, folder: Path) -> bytes:
    name = reader.text(raw, key, where)
    path = folder / name
    try:
        with path.open("rb") as handle:
            data = handle.read(FACE_FILE_BYTES + 1)
    except OSError as exc:
        raise reader.fail(f"{where}.{key}", f"{name}: cannot read: {exc.strerror}") from None
    if len(data) > FACE_FILE_BYTES:
        raise reader.fail(f"{where}.{key}", f"{name}: larger than {FACE_FILE_BYTES // 1024} KB")
    return data


def _svg(reader: _Reader, data: bytes, where: str, name: str) -> str:
    try:
        return svg_clean(data)
    except UnsafeSVG as exc:
        raise reader.fail(where, f"{name}: {exc}") from None


def _png(reader: _Reader, data: bytes, where: str, name: str) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise reader.fail(where, f"{name}: not a readable PNG ({exc})"[:200]) from None
    if not (16 <= width <= 512 and width == height):
        raise reader.fail(where, f"{name}: a PNG favicon is square, 16 to 512 pixels")


def _sections(
    reader: _Reader, raw: Any, where: str, languages: tuple[str, ...]
) -> tuple[SectionSpec, ...]:
    if not isinstance(raw, list) or not raw:
        raise reader.fail(f"{where}.section", "the site declares no [[site.section]]")
    seen: set[tuple[str, str]] = set()
    sections = []
    for j, item in enumerate(raw):
        at = f"{where}.section[{j}]"
        if not isinstance(item, dict):
            raise reader.fail(at, "must be a table ([[site.section]])")
        reader.unknown_keys(item, {"language", "name"}, at)
        lang = reader.text(item, "language", at)
        if lang not in languages:
            raise reader.fail(f"{at}.language", f"{lang!r} is not one of the site's languages")
        name = reader.text(item, "name", at)
        if "/" in name or name.lower() in RESERVED_SECTION_NAMES or name.startswith("."):
            raise reader.fail(
                f"{at}.name", f"{name!r} cannot be a section name (reserved or has '/')"
            )
        if (lang, name.lower()) in seen:
            raise reader.fail(f"{at}.name", f"duplicate section {name!r} for language {lang}")
        seen.add((lang, name.lower()))
        sections.append(SectionSpec(lang, name))
    missing = [lang for lang in languages if all(s.language != lang for s in sections)]
    if missing:
        raise reader.fail(f"{where}.section", f"no section for language {missing[0]!r}")
    return tuple(sections)


def _routes(reader: _Reader, raw: Any, sites: list[SiteSpec]) -> list[RouteSpec]:
    if not isinstance(raw, list):
        raise reader.fail("route", "must be an array of tables ([[route]])")
    by_code = {site.code: site for site in sites}
    routes = []
    for k, item in enumerate(raw):
        at = f"route[{k}]"
        if not isinstance(item, dict):
            raise reader.fail(at, "must be a table ([[route]])")
        reader.unknown_keys(item, ROUTE_KEYS, at)
        code = reader.text(item, "site", at)
        site = by_code.get(code)
        if site is None:
            raise reader.fail(
                f"{at}.site", f"unknown site {code!r} (declared: {', '.join(by_code)})"
            )
        lang = reader.text(item, "language", at)
        if lang not in site.languages:
            raise reader.fail(f"{at}.language", f"site {code} has no language {lang!r}")
        section = reader.text(item, "section", at)
        if not any(s.language == lang and s.name == section for s in site.sections):
            raise reader.fail(f"{at}.section", f"site {code} has no section {section!r} in {lang}")
        routes.append(
            RouteSpec(
                code,
                lang,
                section,
                subjects=reader.texts(item, "subjects", at, required=False),
                keywords=tuple(
                    w.lower() for w in reader.texts(item, "keywords", at, required=False)
                ),
                providers=reader.texts(item, "providers", at, required=False),
            )
        )
    return routes


def read_network_file(path: Path) -> NetworkSpec:
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise NetworkFileError(f"{source}: cannot read: {exc.strerror}") from None
    if len(raw) > 5 * 1024 * 1024:
        raise NetworkFileError(f"{source}: file is larger than 5 MB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NetworkFileError(f"{source}: not UTF-8 text (byte {exc.start})") from None
    return parse_network(text, source=source)
