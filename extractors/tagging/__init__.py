"""An article's text → topics with evidence, entities and money/percent claims.

The analyst-editable taxonomy (`config/topics.toml`, parsed by `rules`), the clitic-aware
matcher (`lexicon`), the tagger that combines them (`tagger`), entities, claims, the
watchlist relevance filter, and the evaluation helpers the quality gates use.
"""
