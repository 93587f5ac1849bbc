select target_id
from "stage"."dsn"."hu_edges"
where target_id is null
