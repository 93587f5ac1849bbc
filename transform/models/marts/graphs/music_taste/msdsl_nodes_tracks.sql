select
    {{ node_id('track_id', after=ref('dsn_nodes_users')) }} as node_id,
    track_id,
    name,
    artist,
    year
from {{ ref('msdsl_music_info') }}
order by node_id
