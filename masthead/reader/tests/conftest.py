import shutil
from pathlib import Path

import pytest


@pytest.fixture
def many(network, wire_dir: Path, ingest) -> None:
    source = (wire_dir / "harbour-talks.json").read_text()
    folder = wire_dir / "many"
    folder.mkdir()
    for i in range(45):
        (folder / f"s{i}.json").write_text(
            source.replace("harbour-talks", f"story-{i}").replace(
                "Port cities agree", f"Story {i}: port cities agree"
            )
        )
        shutil.copy(wire_dir / "harbour-talks.jpg", folder / f"story-{i}.jpg")
    assert {o.action for o in ingest([folder])} == {"created"}
