"""Bytes of one page (or one seed file) → an `Article`: text, metadata, language, identity.

Charset decoding, trafilatura extraction, canonical URLs, langdetect on a bounded prefix,
dates stated in the text, the seed reader, and duplicate detection (exact content hash and
near-duplicate story clusters). No network: the bytes come from `extractors.web` or disk.
"""
