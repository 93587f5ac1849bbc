with users as (
    select distinct user_id from {{ ref('msdsl_user_listening_history') }}
)

select
    {{ node_id('user_id', after=ref('msdsl_nodes_tracks')) }} as node_id,
    user_id,
    'MSDSL' as source
from users
order by node_id
