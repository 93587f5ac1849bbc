select *
from "graphs"."music_taste"."msdsl_edges_user_tracks"
where play_count is null
   or play_count <= 0
   or not regexp_full_match(cast(play_count as varchar), '[0-9]+')
