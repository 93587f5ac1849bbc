select
    (select coalesce(max(node_id), 0) from "graphs"."music_taste"."dsn_nodes_users") +
    row_number() over (order by track_id) as node_id,
    track_id,
    name,
    artist,
    year
from "stage"."msdsl"."music_info"
order by node_id
