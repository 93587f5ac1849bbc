-- Which genres each Deezer user likes: user node -> genre node.
with user_genres as (
    select user_id, 'HR' as country, unnest(genres) as genre from "stage"."dsn"."hr_genres"
    union
    select user_id, 'HU' as country, unnest(genres) as genre from "stage"."dsn"."hu_genres"
    union
    select user_id, 'RO' as country, unnest(genres) as genre from "stage"."dsn"."ro_genres"
)

select
    u.node_id as source_id,
    g.node_id as target_id
from user_genres as ug
join "graphs"."music_taste"."dsn_nodes_users" as u on u.user_id = ug.user_id and u.country = ug.country
join "graphs"."music_taste"."nodes_genres" as g on g.genre = ug.genre
order by source_id, target_id
