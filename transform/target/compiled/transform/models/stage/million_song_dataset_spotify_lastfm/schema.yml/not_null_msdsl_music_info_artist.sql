select artist
from "stage"."msdsl"."music_info"
where artist is null
