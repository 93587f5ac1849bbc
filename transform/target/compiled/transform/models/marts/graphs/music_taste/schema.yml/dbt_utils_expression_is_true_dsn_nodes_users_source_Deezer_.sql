select *
from "graphs"."music_taste"."dsn_nodes_users"
where not (source = 'Deezer')
