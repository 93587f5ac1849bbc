-- Track node -> genre node for each of its tags (every tag is a genre node). Two raw tags can
-- title-case to one name (hip_hop, hip hop): one edge.
with track_tags as (
    select track_id, unnest(tags) as tag from "stage"."msdsl"."music_info"
)

select distinct
    t.node_id as source_id,
    g.node_id as target_id
from track_tags as tt
join "graphs"."music_taste"."msdsl_nodes_tracks" as t on t.track_id = tt.track_id
join "graphs"."music_taste"."nodes_genres" as g on g.genre = tt.tag
order by source_id, target_id
