select name
from "stage"."msdsl"."music_info"
where name is null
