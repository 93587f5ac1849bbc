with child as (
    select target_id as from_field
    from "graphs"."music_taste"."msdsl_edges_track_tags"
    where target_id is not null
),
parent as (
    select node_id as to_field
    from "graphs"."music_taste"."nodes_genres"
)
select from_field
from child
left join parent on child.from_field = parent.to_field
where parent.to_field is null
