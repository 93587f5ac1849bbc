select source_id
from "stage"."dsn"."hr_edges"
where source_id is null
