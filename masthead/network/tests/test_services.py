"""Applying the network file: idempotent, all or nothing, through the command too."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from masthead.conftest import TEST_NETWORK
from masthead.network.models import Route, Section, Site, SiteDomain
from masthead.network.services import network_apply, network_load
from masthead.network.spec import parse_network


def _snapshot() -> tuple:
    return (
        list(Site.objects.values_list("code", "name", "languages", "signatures", "ticker")),
        list(SiteDomain.objects.order_by("domain").values_list("domain", "site__code")),
        list(Section.objects.values_list("site__code", "language", "name", "position")),
        list(
            Route.objects.values_list(
                "site__code", "language", "section__name", "subjects", "keywords"
            )
        ),
    )


@pytest.mark.django_db
def test_apply_twice_changes_nothing_the_second_time():
    first = network_apply(spec=parse_network(TEST_NETWORK, source="n"))
    assert first.created == ["JdT", "ZdT"]
    before = _snapshot()
    second = network_apply(spec=parse_network(TEST_NETWORK, source="n"))
    assert second.unchanged == ["JdT", "ZdT"] and not second.updated
    assert _snapshot() == before


@pytest.mark.django_db
def test_reload_applies_changes_and_moves_a_domain(tmp_path: Path):
    network_apply(spec=parse_network(TEST_NETWORK, source="n"))
    changed = TEST_NETWORK.replace('"www.test.localhost"', '"www2.test.localhost"').replace(
        'name = "Zeitung der Tests"', 'name = "Zeitung der Prüfungen"'
    )
    result = network_apply(spec=parse_network(changed, source="n"))
    assert sorted(result.updated) == ["JdT", "ZdT"]
    assert Site.objects.get(code="ZdT").name == "Zeitung der Prüfungen"
    assert SiteDomain.objects.filter(domain="www2.test.localhost").exists()
    assert not SiteDomain.objects.filter(domain="www.test.localhost").exists()


@pytest.mark.django_db
def test_broken_file_changes_nothing_and_command_prints_one_line(tmp_path: Path):
    good = tmp_path / "network.toml"
    good.write_text(TEST_NETWORK)
    network_load(path=good)
    before = _snapshot()
    broken = tmp_path / "broken.toml"
    # Valid first site, changed; broken route at the end: nothing of it may land.
    broken.write_text(
        TEST_NETWORK.replace('name = "Journal de Test"', 'name = "Renamed"')
        + '\n[[route]]\nsite = "Ghost"\n'
        'language = "en"\nsection = "Politics"\n'
    )
    with pytest.raises(CommandError) as info:
        call_command("network", "load", str(broken))
    assert str(info.value) == f"{broken}: route[5].site: unknown site 'Ghost' (declared: JdT, ZdT)"
    assert _snapshot() == before


@pytest.mark.django_db
def test_missing_and_non_utf8_files(tmp_path: Path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("network", "load", str(tmp_path / "absent.toml"))
    binary = tmp_path / "junk.toml"
    binary.write_bytes(b"\xff\xfe\x00junk")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("network", "load", str(binary))
    assert not Site.objects.exists()
