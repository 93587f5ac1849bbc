{{ config(alias='hr_edges') }}

{{ load_deezer_edges(source('deezer_social_networks', 'HR/HR_edges.csv')) }}
