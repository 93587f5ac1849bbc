-- Deezer users. User ids repeat across countries, so (user_id, country) is the natural key.
with users as (
    select user_id, 'HR' as country from {{ ref('dsn_hr_genres') }}
    union
    select user_id, 'HU' as country from {{ ref('dsn_hu_genres') }}
    union
    select user_id, 'RO' as country from {{ ref('dsn_ro_genres') }}
)

select
    {{ node_id('country, user_id') }} as node_id,
    user_id,
    country,
    'Deezer' as source
from users
order by node_id
