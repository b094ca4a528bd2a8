-- Stored raw pages for `marsad reextract`: all of them, or those fetched at or after $since;
-- read in URL order (a host's pages side by side), $limit at a time after the URL $after
-- (keyset paging: every chunk is one cheap range read; a NULL $limit reads them all).
select url, final_url, source, http_status, content_type, headers_json, body_gzip, fetched_at
from raw_pages
where ($since is null or fetched_at >= $since) and url > $after
order by url
limit $limit;
