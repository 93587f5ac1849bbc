select track_id
from "stage"."msdsl"."user_listening_history"
where track_id is null
