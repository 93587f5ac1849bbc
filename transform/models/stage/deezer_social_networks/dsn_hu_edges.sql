{{ config(alias='hu_edges') }}

{{ load_deezer_edges(source('deezer_social_networks', 'HU/HU_edges.csv')) }}
