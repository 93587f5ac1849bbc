select source_id
from "stage"."dsn"."hu_edges"
where source_id is null
