{{ config(alias='user_listening_history') }}

select
    track_id,
    user_id,
    playcount as play_count
from read_csv(
    {{ source('million_song_dataset_spotify_lastfm', 'User Listening History.csv') }},
    header = true,
    columns = {'track_id': 'VARCHAR', 'user_id': 'VARCHAR', 'playcount': 'INTEGER'}
)
