select target_id
from "graphs"."music_taste"."msdsl_edges_user_tracks"
where target_id is null
