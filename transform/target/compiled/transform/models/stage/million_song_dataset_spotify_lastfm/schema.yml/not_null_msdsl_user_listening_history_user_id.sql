select user_id
from "stage"."msdsl"."user_listening_history"
where user_id is null
