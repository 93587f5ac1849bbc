select source_id
from "graphs"."music_taste"."dsn_edges_friendships"
where source_id is null
