-- User node -> track node with the play count.
select
    u.node_id as source_id,
    t.node_id as target_id,
    h.play_count
from "stage"."msdsl"."user_listening_history" as h
join "graphs"."music_taste"."msdsl_nodes_users" as u on u.user_id = h.user_id
join "graphs"."music_taste"."msdsl_nodes_tracks" as t on t.track_id = h.track_id
order by source_id, target_id
