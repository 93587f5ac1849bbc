select source_id, target_id, count(*) as n_records
from "graphs"."music_taste"."msdsl_edges_track_tags"
group by source_id, target_id
having count(*) > 1
