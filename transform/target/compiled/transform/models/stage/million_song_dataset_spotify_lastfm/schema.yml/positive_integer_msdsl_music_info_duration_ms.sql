select *
from "stage"."msdsl"."music_info"
where duration_ms is null
   or duration_ms <= 0
   or not regexp_full_match(cast(duration_ms as varchar), '[0-9]+')
