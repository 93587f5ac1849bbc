-- Node ids must be unique across all node tables of the graph. UNION ALL keeps the duplicates
-- this test looks for (the original combined the tables with UNION, so it could never fail).
with node_ids as (
    select node_id, 'dsn_nodes_users' as node_table from "graphs"."music_taste"."dsn_nodes_users"
    union all
    select node_id, 'msdsl_nodes_tracks' as node_table from "graphs"."music_taste"."msdsl_nodes_tracks"
    union all
    select node_id, 'msdsl_nodes_users' as node_table from "graphs"."music_taste"."msdsl_nodes_users"
    union all
    select node_id, 'nodes_genres' as node_table from "graphs"."music_taste"."nodes_genres"
)

select
    node_id,
    count(*) as occurrences,
    string_agg(node_table, ', ' order by node_table) as node_tables
from node_ids
group by node_id
having count(*) > 1
