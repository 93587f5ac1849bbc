select country, user_id, count(*) as n_records
from "graphs"."music_taste"."dsn_nodes_users"
group by country, user_id
having count(*) > 1
