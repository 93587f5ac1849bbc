select track_id
from "stage"."msdsl"."music_info"
where track_id is null
