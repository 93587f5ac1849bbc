select source_id, target_id, count(*) as n_records
from "graphs"."music_taste"."msdsl_edges_user_tracks"
group by source_id, target_id
having count(*) > 1
