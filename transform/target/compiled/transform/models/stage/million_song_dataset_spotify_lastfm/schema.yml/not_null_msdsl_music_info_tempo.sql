select tempo
from "stage"."msdsl"."music_info"
where tempo is null
