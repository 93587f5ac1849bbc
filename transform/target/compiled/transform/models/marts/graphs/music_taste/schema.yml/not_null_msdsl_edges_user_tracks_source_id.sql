select source_id
from "graphs"."music_taste"."msdsl_edges_user_tracks"
where source_id is null
