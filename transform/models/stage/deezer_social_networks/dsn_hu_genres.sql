{{ config(alias='hu_genres') }}

{{ load_deezer_genres(source('deezer_social_networks', 'HU/HU_genres.json')) }}
