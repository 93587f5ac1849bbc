select source_id
from "graphs"."music_taste"."msdsl_edges_track_tags"
where source_id is null
