select target_id
from "stage"."dsn"."ro_edges"
where target_id is null
