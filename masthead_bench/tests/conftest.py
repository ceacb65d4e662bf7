"""The product's test fixtures (a test network, a clean memo, a media folder per test)."""

from masthead.conftest import (
    _fresh_memo,
    _media_root,
    ingest,
    network,
    network_tx,
    published,
    quotes,
    wire_dir,
)

__all__ = [
    "_fresh_memo",
    "_media_root",
    "ingest",
    "network",
    "network_tx",
    "published",
    "quotes",
    "wire_dir",
]
