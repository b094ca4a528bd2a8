"""Plain functions from bytes to facts, in four rooms (none imports Prefect or DuckDB).

    core/      the kernel every folder imports: errors, records, settings, Arabic text, topic ids
    article/   bytes → `Article`: charset, trafilatura extraction, URLs, language, dates, seeds, dedup
    tagging/   `Article` → topics with evidence, entities, claims; the watchlist relevance filter
    web/       other people's servers: sources, discovery (feeds, sitemaps, GDELT), the guarded fetcher

docs/ARCHITECTURE.md draws the layering that tests/test_layers.py enforces.
"""
