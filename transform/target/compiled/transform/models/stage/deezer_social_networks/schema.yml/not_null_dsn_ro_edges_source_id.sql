select source_id
from "stage"."dsn"."ro_edges"
where source_id is null
