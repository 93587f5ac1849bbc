select tags
from "stage"."msdsl"."music_info"
where tags is null
