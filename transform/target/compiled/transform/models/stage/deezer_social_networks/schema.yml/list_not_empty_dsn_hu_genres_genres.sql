select *
from "stage"."dsn"."hu_genres"
where genres is null or len(genres) = 0
