select user_id
from "stage"."dsn"."hr_genres"
where user_id is null
