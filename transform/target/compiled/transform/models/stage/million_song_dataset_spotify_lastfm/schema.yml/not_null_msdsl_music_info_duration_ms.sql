select duration_ms
from "stage"."msdsl"."music_info"
where duration_ms is null
