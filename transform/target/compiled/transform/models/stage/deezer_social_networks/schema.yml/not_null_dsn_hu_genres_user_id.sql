select user_id
from "stage"."dsn"."hu_genres"
where user_id is null
