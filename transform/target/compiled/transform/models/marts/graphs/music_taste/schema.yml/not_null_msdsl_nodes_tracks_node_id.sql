select node_id
from "graphs"."music_taste"."msdsl_nodes_tracks"
where node_id is null
