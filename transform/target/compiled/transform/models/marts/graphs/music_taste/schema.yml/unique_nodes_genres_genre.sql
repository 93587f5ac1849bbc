select
    genre as unique_field,
    count(*) as n_records
from "graphs"."music_taste"."nodes_genres"
where genre is not null
group by genre
having count(*) > 1
