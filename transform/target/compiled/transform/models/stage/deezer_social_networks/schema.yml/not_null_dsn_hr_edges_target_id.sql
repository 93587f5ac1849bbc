select target_id
from "stage"."dsn"."hr_edges"
where target_id is null
