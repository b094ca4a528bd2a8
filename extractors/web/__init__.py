"""Getting bytes from other people's servers, politely and safely.

Sources (`sources.toml`), discovery parsers (RSS/Atom, news sitemaps, GDELT), the one guarded
fetcher every HTTP request goes through (SSRF guard, robots.txt, size caps, retries,
per-host politeness), and the batch that turns a source group into raw pages (`batch`).
"""
