-- 001_core: the contract tables of DESIGN.md plus the bookkeeping the pipeline needs.
-- Table and column names are a public API: analysts write SQL against them.

create table if not exists sources (
    source          varchar primary key,      -- name from config/sources.toml, or 'seeds'
    kind            varchar not null,         -- seeds | rss | sitemap | gdelt | urls
    url             varchar,
    enabled         boolean not null default true,
    config_json     varchar,                  -- the source's config entry as JSON
    etag            varchar,                  -- conditional GET state for feeds
    last_modified   varchar,
    last_fetched_at timestamptz,
    last_status     varchar,
    updated_at      timestamptz not null default now()
);

create table if not exists articles (
    article_id     varchar primary key,       -- stable: same seed file / canonical URL → same id
    url            varchar not null,          -- the URL it was first seen at
    canonical_url  varchar,
    source         varchar not null,
    title          varchar,
    author         varchar,
    published_at   timestamptz,
    first_seen_at  timestamptz not null,      -- the digest window is on this column
    lang           varchar,
    text           varchar not null,
    content_hash   varchar not null,          -- sha256 of the normalised text (exact-duplicate key)
    story_id       varchar,                   -- near-duplicate cluster (same story, other outlets)
    site_name      varchar,
    run_id         varchar
);

-- Every URL an article was seen at (exact duplicates across URLs become one article).
create table if not exists article_urls (
    url            varchar primary key,
    article_id     varchar not null,
    source         varchar not null,
    first_seen_at  timestamptz not null
);

create table if not exists taxonomy_versions (
    taxonomy_version varchar primary key,     -- hash of topics.toml, entities.toml and the topic model (003 adds their texts/sha)
    created_at       timestamptz not null default now(),
    topics_toml      varchar
);

create table if not exists article_topics (
    article_id        varchar not null,
    topic             varchar not null,       -- a topic id (the `topics` table, migration 002)
    score             double not null,
    evidence          varchar not null,       -- the triggering sentence(s), joined by newlines
    evidence_sentences varchar[],             -- the same sentences as a list
    taxonomy_version  varchar not null,
    tagged_at         timestamptz not null default now(),
    first_seen_at     timestamptz,            -- copied from articles: lets a day's digest skip old row groups
    primary key (article_id, topic, taxonomy_version)
);

-- Which articles were tagged with which taxonomy (also those that got no topic), so a
-- daily run tags only what the current taxonomy has not seen yet.
create table if not exists tagging_log (
    article_id        varchar not null,
    taxonomy_version  varchar not null,
    topics            integer not null,
    tagged_at         timestamptz not null default now(),
    primary key (article_id, taxonomy_version)
);

create table if not exists article_entities (
    article_id        varchar not null,
    entity            varchar not null,
    mentions          integer not null,
    taxonomy_version  varchar,
    primary key (article_id, entity)
);

create table if not exists article_claims (
    article_id  varchar not null,
    kind        varchar not null,             -- money | percent | multiplier
    value       double,
    value_max   double,                        -- for ranges ("20 إلى 50 مرة")
    unit        varchar,
    currency    varchar,
    sentence    varchar not null
);

create table if not exists digest_topics (
    digest_date date not null,
    topic       varchar not null,
    articles    integer not null,
    sources     integer not null,
    stories     integer,
    baseline    double,                        -- trailing median of daily counts
    mad         double,
    is_spike    boolean not null default false,
    built_at    timestamptz not null default now(),
    primary key (digest_date, topic)
);

create table if not exists digest_items (
    digest_date date not null,
    topic       varchar not null,
    rank        integer not null,
    article_id  varchar not null,
    story_id    varchar,
    title       varchar,
    source      varchar,
    url         varchar,
    score       double,
    outlets     integer,
    evidence    varchar not null,
    primary key (digest_date, topic, rank)
);

create table if not exists fetch_log (
    run_id       varchar,
    url          varchar not null,
    source       varchar not null,
    status       varchar not null,            -- ok | not_modified | http_error | timeout | refused | too_large | robots | error | skipped
    http_status  integer,
    error_class  varchar,
    error        varchar,
    bytes        bigint,
    elapsed_ms   integer,
    fetched_at   timestamptz not null default now()
);

create table if not exists raw_pages (
    url           varchar primary key,
    final_url     varchar,
    source        varchar,
    http_status   integer,
    content_type  varchar,
    headers_json  varchar,
    body_gzip     blob,                         -- the raw bytes, gzip-compressed
    body_bytes    bigint,
    sha256        varchar,
    fetched_at    timestamptz
);

create table if not exists runs (
    run_id         varchar primary key,
    digest_date    date not null,
    flow_run_id    varchar,
    started_at     timestamptz not null,
    finished_at    timestamptz,
    status         varchar not null,          -- running | completed | failed
    seeds_loaded   integer,
    seeds_skipped  integer,
    pages_fetched  integer,
    fetch_errors   integer,
    articles_new   integer,
    articles_total integer,
    tags           integer,
    emails         integer,
    summary_json   varchar
);

create table if not exists run_log (
    run_id   varchar,
    logged_at timestamptz not null default now(),
    level    varchar not null,
    stage    varchar not null,
    item     varchar,
    message  varchar not null
);

create table if not exists emails (
    digest_date  date not null,
    recipient    varchar not null,
    message_id   varchar not null,
    status       varchar not null,             -- written | sent | failed
    attempts     integer not null default 0,
    path         varchar,
    error        varchar,
    updated_at   timestamptz not null default now(),
    primary key (digest_date, recipient)
);
