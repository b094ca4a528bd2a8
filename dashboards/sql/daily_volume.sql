-- Total coverage volume: every stored article per local day (in $tz), tagged or not — the
-- denominator of each topic's share of coverage (as Media Cloud's "attention" is a share of all
-- stories). By range on articles.first_seen_at: the cost follows the days shown.
-- Parameters: $tz, $start, $end (UTC bounds of the first and after the last day).
select (first_seen_at at time zone $tz)::date as day, count(*) as articles
from articles
where first_seen_at >= $start and first_seen_at < $end
group by all;
