select node_id
from "graphs"."music_taste"."nodes_genres"
where node_id is null
