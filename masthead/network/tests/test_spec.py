"""The network file: valid files load; each kind of broken file gets one line naming file and key."""

import pytest

from masthead.conftest import TEST_NETWORK
from masthead.core.errors import NetworkFileError
from masthead.network.spec import parse_network


def test_valid_file_reads_sites_sections_tickers_and_routes():
    spec = parse_network(TEST_NETWORK, source="net.toml")
    assert [s.code for s in spec.sites] == ["JdT", "ZdT"]
    jdt = spec.sites[0]
    assert jdt.default_language == "en"  # first language when not given
    assert jdt.ticker is not None and jdt.ticker.symbols == ("BP", "RBGPF")
    assert [(s.language, s.name) for s in jdt.sections][:2] == [
        ("en", "Politics"),
        ("en", "Business"),
    ]
    assert spec.sites[1].timezone == "UTC"
    assert [r.section for r in spec.routes] == [
        "Business",
        "Politics",
        "Politique",
        "Politik",
        "World",
    ]


def _broken(old: str, new: str) -> str:
    assert old in TEST_NETWORK
    return TEST_NETWORK.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[site]]\ncode = "A"\nname = ', "net.toml: invalid TOML"),
        ("[[site]]\ncode = 'A'\nname = \"x\nx\"", "line 3"),
        (
            _broken('site = "JdT"\nlanguage = "fr"', 'site = "Nope"\nlanguage = "fr"'),
            "route[2].site: unknown site 'Nope'",
        ),
        (_broken('code = "ZdT"', 'code = "JdT"'), "site[1] (JdT).code: duplicate site code 'JdT'"),
        (
            _broken('languages = ["en", "fr"]', 'languages = ["en", "xx"]'),
            "site[0] (JdT).languages: unknown language 'xx'",
        ),
        (
            _broken('"zeitung.localhost"', '"test.localhost"'),
            "'test.localhost' is already used by site JdT",
        ),
        (_broken('kind = "stocks"', 'kind = "bonds"'), "site[0] (JdT).ticker.kind: must be one of"),
        (
            _broken('signatures = ["K.Brandt"]', 'signatures = ["nobody"]'),
            "is not of the form Initial.Surname",
        ),
        (
            _broken('section = "Politique"', 'section = "Sport"'),
            "route[2].section: site JdT has no section 'Sport' in fr",
        ),
        (_broken('name = "World"', 'name = "search"'), "cannot be a section name"),
        (_broken('timezone = "Europe/Brussels"', 'timezone = "Mars/Olympus"'), "unknown time zone"),
        (
            _broken('domains = ["zeitung.localhost"]', 'domains = ["bad host!"]'),
            "is not a valid host name",
        ),
        (_broken('code = "ZdT"', 'code = "ZdT"\ncolour = "red"'), "site[1].colour: unknown key"),
        ("", "declares no [[site]]"),
        (
            _broken('name = "Zeitung der Tests"', "name = 42"),
            "site[1] (ZdT).name: must be a non-empty text",
        ),
    ],
)
def test_broken_files_give_one_clear_line(text: str, expected: str):
    with pytest.raises(NetworkFileError) as info:
        parse_network(text, source="net.toml")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("net.toml: ")
    assert expected in message


def test_language_without_section_is_refused():
    text = _broken('languages = ["de", "en"]', 'languages = ["de", "en", "it"]')
    with pytest.raises(NetworkFileError, match="no section for language 'it'"):
        parse_network(text, source="net.toml")


def test_a_sources_unknown_format_is_named_with_the_file_and_key() -> None:
    text = (
        TEST_NETWORK
        + '\n[[source]]\nname = "x"\nkind = "folder"\npath = "wire/x"\nformat = "ninsj"\n'
    )
    with pytest.raises(NetworkFileError) as info:
        parse_network(text, source="typo.toml")
    assert str(info.value).startswith("typo.toml: source[0].format: unknown format 'ninsj'")
