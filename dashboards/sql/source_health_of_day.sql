-- Source health on $day (the source_health view) with each source's display names from
-- sources.toml (a string, or a table with ar / en): alerts first, then by name.
with names as (
    select
        source,
        case when json_type(config_json, '$.display_name') = 'VARCHAR'
            then json_extract_string(config_json, '$.display_name') end as plain,
        json_extract_string(config_json, '$.display_name.ar') as name_ar,
        json_extract_string(config_json, '$.display_name.en') as name_en
    from sources
)

select
    h.source,
    coalesce(n.name_ar, n.plain, n.name_en, h.source) as name,
    coalesce(n.name_en, n.plain, n.name_ar, h.source) as name_en,
    h.kind,
    h.articles,
    h.fetches,
    h.fetch_errors,
    h.fetch_days,
    h.yield_days,
    h.baseline,
    h.usually_yields,
    h.status,
    h.alert,
    h.last_error
from source_health as h
left join names as n using (source)
where h.digest_date = $day
order by h.alert desc, h.source;
