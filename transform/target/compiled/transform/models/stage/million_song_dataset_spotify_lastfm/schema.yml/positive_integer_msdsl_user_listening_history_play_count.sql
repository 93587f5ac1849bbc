select *
from "stage"."msdsl"."user_listening_history"
where play_count is null
   or play_count <= 0
   or not regexp_full_match(cast(play_count as varchar), '[0-9]+')
