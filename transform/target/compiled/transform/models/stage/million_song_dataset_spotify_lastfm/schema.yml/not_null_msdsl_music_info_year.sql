select year
from "stage"."msdsl"."music_info"
where year is null
