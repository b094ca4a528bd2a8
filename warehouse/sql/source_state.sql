-- Per source, the conditional-GET validators of its last fetch (sent as If-None-Match / If-Modified-Since).
select source, etag, last_modified
from sources;
