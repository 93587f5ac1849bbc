select *
from "graphs"."music_taste"."msdsl_nodes_users"
where not (source = 'MSDSL')
