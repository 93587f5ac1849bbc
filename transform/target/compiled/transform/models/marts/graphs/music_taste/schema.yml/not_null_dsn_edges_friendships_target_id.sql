select target_id
from "graphs"."music_taste"."dsn_edges_friendships"
where target_id is null
