-- Every Deezer genre and every Last.fm tag (both title-cased names) is one genre node.
with genres as (
    select unnest(genres) as genre from "stage"."dsn"."hr_genres"
    union
    select unnest(genres) as genre from "stage"."dsn"."hu_genres"
    union
    select unnest(genres) as genre from "stage"."dsn"."ro_genres"
    union
    select unnest(tags) as genre from "stage"."msdsl"."music_info"
)

select
    (select coalesce(max(node_id), 0) from "graphs"."music_taste"."msdsl_nodes_users") +
    row_number() over (order by genre) as node_id,
    genre
from genres
where genre is not null and genre <> ''
order by node_id
