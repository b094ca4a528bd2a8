-- Record configured sources (relation `staged_sources`) and their conditional-GET state.
-- A source fetched this run (`fetched`) takes the new etag / last_modified / status; one that
-- was not (offline, disabled) keeps what the last fetch stored.
insert into sources (source, kind, url, config_json, etag, last_modified, last_fetched_at, last_status, updated_at)
select
    source,
    kind,
    url,
    config_json,
    etag,
    last_modified,
    case when fetched then now() end,
    last_status,
    now()
from staged_sources
on conflict (source) do update set
    kind = excluded.kind,
    url = excluded.url,
    config_json = excluded.config_json,
    etag = case when excluded.last_fetched_at is not null then excluded.etag else sources.etag end,
    last_modified = case when excluded.last_fetched_at is not null then excluded.last_modified else sources.last_modified end,
    last_fetched_at = coalesce(excluded.last_fetched_at, sources.last_fetched_at),
    last_status = coalesce(excluded.last_status, sources.last_status),
    updated_at = now();
