"""Benchmark tooling beside the product: `masthead bench populate` fills a database with a
synthetic archive for measuring. Nothing in `masthead` imports it (import-linter keeps it so)."""
