with child as (
    select source_id as from_field
    from "graphs"."music_taste"."dsn_edges_friendships"
    where source_id is not null
),
parent as (
    select node_id as to_field
    from "graphs"."music_taste"."dsn_nodes_users"
)
select from_field
from child
left join parent on child.from_field = parent.to_field
where parent.to_field is null
