-- Which genres each Deezer user likes: user node -> genre node.
with user_genres as (
    select user_id, 'HR' as country, unnest(genres) as genre from {{ ref('dsn_hr_genres') }}
    union
    select user_id, 'HU' as country, unnest(genres) as genre from {{ ref('dsn_hu_genres') }}
    union
    select user_id, 'RO' as country, unnest(genres) as genre from {{ ref('dsn_ro_genres') }}
)

select
    u.node_id as source_id,
    g.node_id as target_id
from user_genres as ug
join {{ ref('dsn_nodes_users') }} as u on u.user_id = ug.user_id and u.country = ug.country
join {{ ref('nodes_genres') }} as g on g.genre = ug.genre
order by source_id, target_id
