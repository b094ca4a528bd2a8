-- 005_comments: the schema documents itself. Every table and column carries a comment an
-- analyst can read from their own tool:
--     marsad sql "select table_name, column_name, comment from duckdb_columns() where table_name = 'articles'"
--
-- RULE FOR LATER MIGRATIONS: a migration that adds a table or a column adds its COMMENT ON
-- in the same file (and a view file comments its view and columns after its CREATE, since
-- `create or replace view` drops comments). tests/test_schema_comments.py fails on any table,
-- view or column of the warehouse without a non-empty comment.
--
-- Conventions used below: a timestamp ("timestamptz") is an instant, stored in UTC and shown
-- in the session's time zone (Marsad and `marsad sql` use UTC; `set timezone = 'Asia/Riyadh'`
-- to see local times); a `digest_date` is a calendar day in the digest time zone
-- ([digest] timezone in config/marsad.toml, default Asia/Riyadh). A topic is one of the ids of
-- the `topics` table. "Key" names the primary key; "→ t.c" names the column a value refers to.

-- sources ----------------------------------------------------------------------------------
comment on table sources is 'One row per configured source (config/sources.toml, plus ''seeds'' for the seed folder), with the conditional-GET state of its last fetch. Key: source.';
comment on column sources.source is 'Key. The source''s name in config/sources.toml, or ''seeds'' for the seed files; articles.source and fetch_log.source refer to it.';
comment on column sources.kind is 'seeds | rss (RSS/Atom/RDF feed) | sitemap (news sitemap) | gdelt (GDELT DOC 2.0 query) | urls (pasted URL list).';
comment on column sources.url is 'The feed, sitemap or API URL (for seeds: the seed folder); may be null for a URL-list source.';
comment on column sources.enabled is 'Whether the source is enabled in the config (a disabled one is kept, not fetched).';
comment on column sources.config_json is 'The source''s whole entry from config/sources.toml, as JSON.';
comment on column sources.etag is 'ETag of the last successful feed fetch, sent back as If-None-Match; null when the server sent none.';
comment on column sources.last_modified is 'Last-Modified of the last successful feed fetch, sent back as If-Modified-Since (HTTP date text); null when the server sent none.';
comment on column sources.last_fetched_at is 'When the source was last fetched (timestamptz, UTC); null if never (e.g. only offline runs).';
comment on column sources.last_status is 'Outcome of the last fetch: ok if any request succeeded or was not modified, else the fetch_log status (timeout, http_error, refused, …); null if never fetched.';
comment on column sources.updated_at is 'When this row was last written by a run (timestamptz, UTC).';

-- articles ---------------------------------------------------------------------------------
comment on table articles is 'One row per distinct article text (exact duplicates across URLs are one article; all its URLs are in article_urls). Contract table: analysts query these names. Key: article_id.';
comment on column articles.article_id is 'Key. 16 hex characters of sha256 of the canonical URL (or of ''seeds/<file name>''): the same page always gets the same id.';
comment on column articles.url is 'The URL the article was first seen at (seed://<file> for a seed file).';
comment on column articles.canonical_url is 'The canonical URL (rel=canonical / og:url on the same site, AMP resolved, tracking parameters stripped); null when none was found, e.g. seeds.';
comment on column articles.source is 'The source it came from → sources.source (''seeds'' for seed files).';
comment on column articles.title is 'Headline as extracted (trafilatura metadata); null when the page had none.';
comment on column articles.author is 'Author as extracted; null when the page names none.';
comment on column articles.published_at is 'Publication time the page states (markup, else the first date in the text), timestamptz; null when unknown. Not the digest day: see first_seen_at.';
comment on column articles.first_seen_at is 'When Marsad first stored the article (timestamptz, UTC). The digest for day D holds the articles whose first_seen_at falls on D in the digest time zone.';
comment on column articles.lang is 'Language detected by langdetect on a cleaned 600-character sample (ar, en, fr, zh-cn, …); null when undetectable.';
comment on column articles.text is 'The main text as extracted (no navigation, no comments), UTF-8.';
comment on column articles.content_hash is 'sha256 (hex) of the Arabic-normalised text: the exact-duplicate key (same text however spelled: أ/ا, ة/ه, digits).';
comment on column articles.story_id is 'Near-duplicate cluster (the same story from other outlets): the article_id of the story''s earliest article; null until clustered (articles outside the 7-day clustering window stay as they were).';
comment on column articles.site_name is 'The site''s own name as the page states it (og:site_name etc.); null when absent, e.g. seeds.';
comment on column articles.run_id is 'The run that stored the article → runs.run_id.';

-- article_urls -----------------------------------------------------------------------------
comment on table article_urls is 'Every URL an article''s text was seen at (a wire copy at several URLs is one article). Key: url.';
comment on column article_urls.url is 'Key. A URL (as fetched, final or canonical) at which the article was seen.';
comment on column article_urls.article_id is 'The stored article with that text → articles.article_id.';
comment on column article_urls.source is 'The source the URL came from → sources.source.';
comment on column article_urls.first_seen_at is 'When this URL was first seen (timestamptz, UTC).';

-- taxonomy_versions ------------------------------------------------------------------------
comment on table taxonomy_versions is 'Every taxonomy the tagger has used: a version is a hash of config/topics.toml, config/entities.toml and the topic model. v_current_taxonomy names the one in force. Key: taxonomy_version.';
comment on column taxonomy_versions.taxonomy_version is 'Key. 12 hex characters of the hash of the rules, the entity aliases and the model; article_topics.taxonomy_version refers to it.';
comment on column taxonomy_versions.created_at is 'When this version was first used (timestamptz, UTC); the newest is the current one.';
comment on column taxonomy_versions.topics_toml is 'The text of config/topics.toml under this version (the rules and lexicons), to reproduce it.';
comment on column taxonomy_versions.entities_toml is 'The text of config/entities.toml under this version; null for versions recorded before migration 003.';
comment on column taxonomy_versions.model_sha256 is 'sha256 of the topic model file (config/topic_model.json.gz) under this version; null before migration 003 or without a model.';

-- article_topics ---------------------------------------------------------------------------
comment on table article_topics is 'One row per (article, topic, taxonomy version): the topic, its score and the sentence(s) that prove it. Older versions'' rows are kept for comparison; v_article_topics and v_current_tags show the current one. Contract table. Key: (article_id, topic, taxonomy_version).';
comment on column article_topics.article_id is '→ articles.article_id.';
comment on column article_topics.topic is 'The topic id → topics.topic (one of its four rows).';
comment on column article_topics.score is 'Confidence from 0 to 1: for a rule tag, the best rules'' weights combined over the sentences where they fired (more sentences, higher); for a model tag, the model''s probability. Breaks ties in the digest ranking.';
comment on column article_topics.evidence is 'The sentence(s) of the article that triggered the tag, quoted as written, joined by newlines; never empty.';
comment on column article_topics.evidence_sentences is 'The same sentences as a list (varchar[]), one element per sentence.';
comment on column article_topics.taxonomy_version is 'The taxonomy that made the tag → taxonomy_versions.taxonomy_version.';
comment on column article_topics.tagged_at is 'When the tag was written (timestamptz, UTC).';
comment on column article_topics.first_seen_at is 'Copy of articles.first_seen_at (timestamptz, UTC), so a day''s digest reads few rows; null for rows whose article was missing at tagging time.';
comment on column article_topics.path is 'How the tag was made: ''rule: <rule name>'' (config/topics.toml) or ''model p=0.87'' (the topic model added a topic the rules missed); null for tags made before migration 003.';

-- tagging_log ------------------------------------------------------------------------------
comment on table tagging_log is 'Which articles each taxonomy version has tagged, including those that got no topic, so a run tags only what the current taxonomy has not seen. Key: (article_id, taxonomy_version).';
comment on column tagging_log.article_id is '→ articles.article_id.';
comment on column tagging_log.taxonomy_version is '→ taxonomy_versions.taxonomy_version.';
comment on column tagging_log.topics is 'How many topics the article got under this version (0 to 4).';
comment on column tagging_log.tagged_at is 'When it was tagged (timestamptz, UTC).';

-- article_entities -------------------------------------------------------------------------
comment on table article_entities is 'Organisations, people, regulators and places each article mentions, under one canonical name whatever the script (DeepSeek / ديب سيك, Nvidia / إنفيديا). Aliases: config/entities.toml. Key: (article_id, entity).';
comment on column article_entities.article_id is '→ articles.article_id.';
comment on column article_entities.entity is 'The canonical entity name (as written in config/entities.toml, e.g. Nvidia).';
comment on column article_entities.mentions is 'How many times the article names it, all aliases counted (>= 1).';
comment on column article_entities.taxonomy_version is 'The taxonomy version whose entities.toml found it → taxonomy_versions.taxonomy_version; null for rows loaded without one.';

-- article_claims ---------------------------------------------------------------------------
comment on table article_claims is 'Figures articles state: money amounts, percentages and "N times" multipliers, as numbers, with the sentence they come from. No key: one row per claim found.';
comment on column article_claims.article_id is '→ articles.article_id.';
comment on column article_claims.kind is 'money | percent | multiplier.';
comment on column article_claims.value is 'The figure as a number, scale applied: money in whole units of `currency` ("6 ملايين دولار" = 6000000), percent in percent points (17 for 17%), multiplier as a factor (20 for "20 times"); the low end of a range.';
comment on column article_claims.value_max is 'The high end of a range ("20 إلى 50 مرة": value 20, value_max 50); null for a single figure.';
comment on column article_claims.unit is 'The unit or scale word as written: % for percent, x for multiplier, the scale word for money (مليون, مليار, …); null for a bare money amount.';
comment on column article_claims.currency is 'ISO 4217 code of a money claim (USD, CNY, EUR, …); null for percent and multiplier.';
comment on column article_claims.sentence is 'The sentence the figure was read from, quoted as written.';

-- digest_topics ----------------------------------------------------------------------------
comment on table digest_topics is 'Per digest day and topic: the day''s counts and whether it is a spike against the trailing 14-day baseline. Rebuilding a day replaces its rows. Contract table. Key: (digest_date, topic).';
comment on column digest_topics.digest_date is 'The digest day (date in the digest time zone, default Asia/Riyadh): articles whose first_seen_at falls on it.';
comment on column digest_topics.topic is 'The topic id → topics.topic; every topic has a row every day, with 0 when quiet.';
comment on column digest_topics.articles is 'Distinct articles tagged with the topic that day (current taxonomy).';
comment on column digest_topics.sources is 'Distinct sources (outlets) among them.';
comment on column digest_topics.stories is 'Distinct stories among them (near-duplicate clusters; an unclustered article counts as its own story).';
comment on column digest_topics.baseline is 'Median of the topic''s daily article counts over the 14 days before (only days Marsad was already watching; quiet days count 0); null when there is no such day.';
comment on column digest_topics.mad is 'Median absolute deviation of those daily counts from the baseline; null with baseline.';
comment on column digest_topics.is_spike is 'True when at least 7 baseline days exist, the day has >= 3 articles and articles > baseline + 3 * max(1.4826 * mad, 1).';
comment on column digest_topics.built_at is 'When this row was built (timestamptz, UTC).';

-- digest_items -----------------------------------------------------------------------------
comment on table digest_items is 'Per digest day and topic, the top stories ([digest] top_n), each listed once and represented by its earliest article, as the email and the dashboard list them. Contract table. Key: (digest_date, topic, rank).';
comment on column digest_items.digest_date is 'The digest day (date in the digest time zone) → digest_topics.digest_date.';
comment on column digest_items.topic is 'The topic id → topics.topic.';
comment on column digest_items.rank is '1 = first: more outlets first, then the higher score, then the earlier story, then article_id.';
comment on column digest_items.article_id is 'The story''s representative (earliest) article → articles.article_id.';
comment on column digest_items.story_id is 'The story (near-duplicate cluster) → articles.story_id; equals article_id for a story of one article.';
comment on column digest_items.title is 'The representative article''s headline (copied; v_digest_shown falls back to articles.title when null).';
comment on column digest_items.source is 'The representative article''s source → sources.source.';
comment on column digest_items.url is 'The representative article''s canonical URL, else the URL it was first seen at.';
comment on column digest_items.score is 'The highest tag score (0 to 1) of the topic among the story''s articles.';
comment on column digest_items.outlets is 'Distinct sources that carried the story that day.';
comment on column digest_items.evidence is 'The representative article''s evidence sentence(s) for the topic, joined by newlines.';

-- fetch_log --------------------------------------------------------------------------------
comment on table fetch_log is 'One row per fetch of a URL (feeds, sitemaps, pages) with its outcome, kept as a log: each run''s fetch of the same URL is its own row. v_fetch_failures shows the failures. No key.';
comment on column fetch_log.run_id is 'The run that fetched → runs.run_id; null for a fetch outside a run (marsad extract URL).';
comment on column fetch_log.url is 'The URL requested.';
comment on column fetch_log.source is 'The source it was fetched for → sources.source.';
comment on column fetch_log.status is 'ok | not_modified (304 to a conditional GET) | http_error | timeout | refused (SSRF guard, robots.txt, scheme, content type) | too_large | robots | error (any other failure) | skipped (not attempted, e.g. a host already failing).';
comment on column fetch_log.http_status is 'The HTTP status code (200, 404, 503, …); null when no response came (timeout, refused, DNS).';
comment on column fetch_log.error_class is 'Machine-readable failure class (connect, dns, refused, too_large, invalid_url, host_failing, an exception name, …); null when ok.';
comment on column fetch_log.error is 'Human-readable failure message; null when ok.';
comment on column fetch_log.bytes is 'Body size in bytes after content decoding (gzip/brotli undone); null when no body.';
comment on column fetch_log.elapsed_ms is 'The request''s own time in milliseconds: its attempts and redirect hops, no waiting (queued_ms holds the wait; rows before migration 004 included it); null when not timed.';
comment on column fetch_log.queued_ms is 'Milliseconds the URL waited rather than being requested: its host''s turn (per-host delay), robots.txt being fetched, retry backoff, a Retry-After pause; null on rows before migration 004.';
comment on column fetch_log.listed_by is 'Pages: every source that listed the URL this run (fetched once), the fetching source first; null for robots.txt, feeds, sitemaps and API documents.';
comment on column fetch_log.fetched_at is 'When the attempt was made (timestamptz, UTC).';

-- raw_pages --------------------------------------------------------------------------------
comment on table raw_pages is 'The raw bytes and headers of every fetched page, gzip-compressed, so `marsad reextract` can re-run extraction without the network. The latest copy per URL. Key: url.';
comment on column raw_pages.url is 'Key. The URL requested.';
comment on column raw_pages.final_url is 'The URL after redirects; equals url when there was none.';
comment on column raw_pages.source is 'The source it was fetched for → sources.source.';
comment on column raw_pages.http_status is 'The HTTP status code of the response.';
comment on column raw_pages.content_type is 'The Content-Type header as sent (e.g. text/html; charset=windows-1256); null when absent.';
comment on column raw_pages.headers_json is 'All response headers as a JSON object.';
comment on column raw_pages.body_gzip is 'The body bytes as received (content decoding undone, charset not), gzip-compressed again for storage (blob): gunzip before reading.';
comment on column raw_pages.body_bytes is 'Size of the uncompressed body in bytes.';
comment on column raw_pages.sha256 is 'sha256 (hex) of the uncompressed body.';
comment on column raw_pages.fetched_at is 'When the page was fetched (timestamptz, UTC).';

-- runs -------------------------------------------------------------------------------------
comment on table runs is 'One row per run of the daily job, with its status and counts. Key: run_id.';
comment on column runs.run_id is 'Key. 12 hex characters, random per run; articles.run_id, fetch_log.run_id and run_log.run_id refer to it.';
comment on column runs.digest_date is 'The digest day the run built (date in the digest time zone).';
comment on column runs.flow_run_id is 'The Prefect flow run id (UUID), to find the run in the Prefect UI; null when run without Prefect or not finished.';
comment on column runs.started_at is 'When the run started (timestamptz, UTC).';
comment on column runs.finished_at is 'When the run finished (timestamptz, UTC); null while running or when it was killed.';
comment on column runs.status is 'running | completed | failed | interrupted (killed: found still running by a later run).';
comment on column runs.seeds_loaded is 'Seed files read as articles; null until the run finishes.';
comment on column runs.seeds_skipped is 'Seed files skipped (empty, binary, not UTF-8; see run_log); null until the run finishes.';
comment on column runs.pages_fetched is 'Web pages fetched successfully; null until the run finishes.';
comment on column runs.fetch_errors is 'Fetch attempts that failed (see fetch_log / v_fetch_failures); null until the run finishes.';
comment on column runs.articles_new is 'Articles stored for the first time by this run; null until the run finishes.';
comment on column runs.articles_total is 'Articles in the warehouse after the run; null until the run finishes.';
comment on column runs.tags is 'Topic tags written by this run; null until the run finishes.';
comment on column runs.emails is 'Digest emails written or sent by this run; null until the run finishes.';
comment on column runs.summary_json is 'All the run''s counts and skip reasons as JSON ({"counts": {…}, "skipped": {source: {reason: n}}}); null until the run finishes.';

-- run_log ----------------------------------------------------------------------------------
comment on table run_log is 'Notes a run made about items it skipped or sources that failed (the lines of the run summary). No key.';
comment on column run_log.run_id is '→ runs.run_id.';
comment on column run_log.logged_at is 'When the note was recorded (timestamptz, UTC).';
comment on column run_log.level is 'info | warning | error.';
comment on column run_log.stage is 'The step that wrote it: seeds, fetch, extract, checks (data checks after the digest), deliver.';
comment on column run_log.item is 'What the note is about: a seed file name, a source, a URL; null for the run as a whole.';
comment on column run_log.message is 'The note, one line.';

-- emails -----------------------------------------------------------------------------------
comment on table emails is 'The digest email ledger: one row per digest day and recipient, so a re-run never sends twice. Key: (digest_date, recipient).';
comment on column emails.digest_date is 'The digest day of the email (date in the digest time zone).';
comment on column emails.recipient is 'The recipient''s address (config/recipients.toml).';
comment on column emails.message_id is 'The Message-ID header, derived from (digest_date, recipient): the same on every re-run.';
comment on column emails.status is 'written (in the outbox) | sent (accepted by the SMTP server; stays sent) | failed (see error).';
comment on column emails.attempts is 'SMTP attempts made for it (0 when only written to the outbox).';
comment on column emails.path is 'The .eml file in the outbox; null when only sent.';
comment on column emails.error is 'The last delivery error (password scrubbed); null when none.';
comment on column emails.updated_at is 'When the row last changed (timestamptz, UTC).';

-- topics -----------------------------------------------------------------------------------
comment on table topics is 'The four topic ids of the contract, in contract order; every list of topics follows `position`. Key: topic.';
comment on column topics.topic is 'Key. The topic id every other table uses (select * from topics lists them; definitions: DESIGN.md, docs/TAGGING.md).';
comment on column topics.position is '1, 2, 3, 4: the order every list of topics follows.';

-- schema_version ---------------------------------------------------------------------------
comment on table schema_version is 'The migrations (warehouse/migrations/NNN_name.sql) applied to this file. Key: version.';
comment on column schema_version.version is 'Key. The migration number NNN.';
comment on column schema_version.name is 'The migration file name without .sql (e.g. 005_comments).';
comment on column schema_version.applied_at is 'When it was applied (timestamptz, UTC).';
