select genre
from "graphs"."music_taste"."nodes_genres"
where genre is null
