select target_id
from "graphs"."music_taste"."dsn_edges_user_genres"
where target_id is null
