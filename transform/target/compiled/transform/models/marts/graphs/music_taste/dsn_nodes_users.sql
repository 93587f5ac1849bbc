-- Deezer users. User ids repeat across countries, so (user_id, country) is the natural key.
with users as (
    select user_id, 'HR' as country from "stage"."dsn"."hr_genres"
    union
    select user_id, 'HU' as country from "stage"."dsn"."hu_genres"
    union
    select user_id, 'RO' as country from "stage"."dsn"."ro_genres"
)

select
    row_number() over (order by country, user_id) as node_id,
    user_id,
    country,
    'Deezer' as source
from users
order by node_id
