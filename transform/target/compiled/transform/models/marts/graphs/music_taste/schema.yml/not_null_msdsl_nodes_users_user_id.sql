select user_id
from "graphs"."music_taste"."msdsl_nodes_users"
where user_id is null
