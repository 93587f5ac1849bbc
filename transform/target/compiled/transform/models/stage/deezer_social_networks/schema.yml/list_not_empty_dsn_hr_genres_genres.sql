select *
from "stage"."dsn"."hr_genres"
where genres is null or len(genres) = 0
