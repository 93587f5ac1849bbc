select user_id
from "stage"."dsn"."ro_genres"
where user_id is null
