-- Every Deezer genre and every Last.fm tag (both title-cased names) is one genre node.
with genres as (
    select unnest(genres) as genre from {{ ref('dsn_hr_genres') }}
    union
    select unnest(genres) as genre from {{ ref('dsn_hu_genres') }}
    union
    select unnest(genres) as genre from {{ ref('dsn_ro_genres') }}
    union
    select unnest(tags) as genre from {{ ref('msdsl_music_info') }}
)

select
    {{ node_id('genre', after=ref('msdsl_nodes_users')) }} as node_id,
    genre
from genres
where genre is not null and genre <> ''
order by node_id
