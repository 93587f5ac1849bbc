select
    cast(entry.key as integer) as user_id,
    entry.value as genres
from (
    select unnest(map_entries(genres_by_user)) as entry
    from read_json('s3://lakehouse/raw/deezer_social_networks/2026_12_07/05_20_11_442/HR/HR_genres.json', records = false, columns = {'genres_by_user': 'MAP(VARCHAR, VARCHAR[])'})
)
