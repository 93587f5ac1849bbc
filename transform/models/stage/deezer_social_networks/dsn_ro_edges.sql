{{ config(alias='ro_edges') }}

{{ load_deezer_edges(source('deezer_social_networks', 'RO/RO_edges.csv')) }}
