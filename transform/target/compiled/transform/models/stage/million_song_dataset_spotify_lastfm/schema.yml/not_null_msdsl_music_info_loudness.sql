select loudness
from "stage"."msdsl"."music_info"
where loudness is null
