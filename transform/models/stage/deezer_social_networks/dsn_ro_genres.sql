{{ config(alias='ro_genres') }}

{{ load_deezer_genres(source('deezer_social_networks', 'RO/RO_genres.json')) }}
