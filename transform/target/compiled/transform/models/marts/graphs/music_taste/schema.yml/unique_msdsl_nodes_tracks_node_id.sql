select
    node_id as unique_field,
    count(*) as n_records
from "graphs"."music_taste"."msdsl_nodes_tracks"
where node_id is not null
group by node_id
having count(*) > 1
