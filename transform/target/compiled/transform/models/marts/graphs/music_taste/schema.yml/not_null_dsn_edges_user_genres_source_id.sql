select source_id
from "graphs"."music_taste"."dsn_edges_user_genres"
where source_id is null
