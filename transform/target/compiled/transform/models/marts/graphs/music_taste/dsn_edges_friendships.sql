-- Friendships within each country, both ends mapped to user nodes by (user_id, country). Each
-- friendship is stored once, in the raw file's direction.
with edges as (
    select source_id, target_id, 'HR' as country from "stage"."dsn"."hr_edges"
    union
    select source_id, target_id, 'HU' as country from "stage"."dsn"."hu_edges"
    union
    select source_id, target_id, 'RO' as country from "stage"."dsn"."ro_edges"
)

select
    s.node_id as source_id,
    t.node_id as target_id
from edges as e
join "graphs"."music_taste"."dsn_nodes_users" as s on s.user_id = e.source_id and s.country = e.country
join "graphs"."music_taste"."dsn_nodes_users" as t on t.user_id = e.target_id and t.country = e.country
order by source_id, target_id
