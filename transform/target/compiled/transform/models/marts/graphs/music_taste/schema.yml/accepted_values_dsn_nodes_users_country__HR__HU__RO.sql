with all_values as (
    select country as value_field, count(*) as n_records
    from "graphs"."music_taste"."dsn_nodes_users"
    group by country
)
select *
from all_values
where value_field not in ('HR', 'HU', 'RO')
