select node_id
from "graphs"."music_taste"."dsn_nodes_users"
where node_id is null
