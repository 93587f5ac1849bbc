select
    track_id,
    user_id,
    playcount as play_count
from read_csv(
    's3://lakehouse/raw/million_song_dataset_spotify_lastfm/2026_12_07/05_20_11_528/User Listening History.csv',
    header = true,
    columns = {'track_id': 'VARCHAR', 'user_id': 'VARCHAR', 'playcount': 'INTEGER'}
)
