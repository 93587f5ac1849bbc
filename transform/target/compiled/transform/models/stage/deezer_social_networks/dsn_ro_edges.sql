select
    cast(node_1 as integer) as source_id,
    cast(node_2 as integer) as target_id
from read_csv('s3://lakehouse/raw/deezer_social_networks/2026_12_07/05_20_11_442/RO/RO_edges.csv', header = true, columns = {'node_1': 'VARCHAR', 'node_2': 'VARCHAR'})
