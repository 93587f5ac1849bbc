select danceability
from "stage"."msdsl"."music_info"
where danceability is null
