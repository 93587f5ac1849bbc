select energy
from "stage"."msdsl"."music_info"
where energy is null
