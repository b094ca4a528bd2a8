-- Stored raw pages for `marsad reextract`: all of them, or those fetched at or after $since.
select url, final_url, source, http_status, content_type, headers_json, body_gzip, fetched_at
from raw_pages
where $since is null or fetched_at >= $since
order by url;
