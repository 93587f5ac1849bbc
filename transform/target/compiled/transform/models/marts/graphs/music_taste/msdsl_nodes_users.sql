with users as (
    select distinct user_id from "stage"."msdsl"."user_listening_history"
)

select
    (select coalesce(max(node_id), 0) from "graphs"."music_taste"."msdsl_nodes_tracks") +
    row_number() over (order by user_id) as node_id,
    user_id,
    'MSDSL' as source
from users
order by node_id
