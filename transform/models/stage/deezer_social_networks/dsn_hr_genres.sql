{{ config(alias='hr_genres') }}

{{ load_deezer_genres(source('deezer_social_networks', 'HR/HR_genres.json')) }}
