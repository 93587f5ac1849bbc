select *
from "stage"."dsn"."ro_genres"
where genres is null or len(genres) = 0
