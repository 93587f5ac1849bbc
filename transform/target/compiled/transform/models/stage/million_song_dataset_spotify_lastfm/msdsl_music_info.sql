-- Tags become a list of title-cased names: "rock, hip_hop" -> ['Rock', 'Hip Hop'].
select
    track_id,
    name,
    artist,
    spotify_preview_url,
    spotify_id,
    case
        when tags is null or trim(tags) = '' then []::varchar[]
        else list_transform(
            string_split(tags, ', '),
            lambda tag: array_to_string(
                list_transform(string_split(tag, '_'), lambda word: upper(word[1]) || lower(word[2:])), ' '))
    end as tags,
    genre,
    year,
    duration_ms,
    danceability,
    energy,
    key,
    loudness,
    mode,
    speechiness,
    acousticness,
    instrumentalness,
    liveness,
    valence,
    tempo,
    time_signature
from read_csv(
    's3://lakehouse/raw/million_song_dataset_spotify_lastfm/2026_12_07/05_20_11_528/Music Info.csv',
    header = true,
    quote = '"',
    escape = '"',
    columns = {
        'track_id': 'VARCHAR', 'name': 'VARCHAR', 'artist': 'VARCHAR', 'spotify_preview_url': 'VARCHAR',
        'spotify_id': 'VARCHAR', 'tags': 'VARCHAR', 'genre': 'VARCHAR', 'year': 'INTEGER',
        'duration_ms': 'INTEGER', 'danceability': 'FLOAT', 'energy': 'FLOAT', 'key': 'INTEGER',
        'loudness': 'FLOAT', 'mode': 'INTEGER', 'speechiness': 'FLOAT', 'acousticness': 'FLOAT',
        'instrumentalness': 'FLOAT', 'liveness': 'FLOAT', 'valence': 'FLOAT', 'tempo': 'FLOAT',
        'time_signature': 'INTEGER'
    }
)
