select target_id
from "graphs"."music_taste"."msdsl_edges_track_tags"
where target_id is null
