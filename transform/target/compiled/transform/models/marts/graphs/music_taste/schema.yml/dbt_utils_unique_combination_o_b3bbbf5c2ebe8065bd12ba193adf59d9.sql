select source_id, target_id, count(*) as n_records
from "graphs"."music_taste"."dsn_edges_friendships"
group by source_id, target_id
having count(*) > 1
