select track_id
from "graphs"."music_taste"."msdsl_nodes_tracks"
where track_id is null
