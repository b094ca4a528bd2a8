-- Every table and view Marsad created in the warehouse (DuckDB's own catalogue views aside),
-- by name: what `marsad export` writes and what must carry comments (migration 005).
select table_name as name, 'table' as kind
from duckdb_tables()
where database_name = current_database() and schema_name = 'main' and not internal and not temporary
union all
select view_name as name, 'view' as kind
from duckdb_views()
where database_name = current_database() and schema_name = 'main' and not internal and not temporary
order by name;
