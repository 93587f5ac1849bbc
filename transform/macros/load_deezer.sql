{# A Deezer edge list: a CSV with the header node_1,node_2. #}
{% macro load_deezer_edges(path) %}
select
    cast(node_1 as integer) as source_id,
    cast(node_2 as integer) as target_id
from read_csv({{ path }}, header = true, columns = {'node_1': 'VARCHAR', 'node_2': 'VARCHAR'})
{% endmacro %}

{# Deezer genres: one JSON object {"<user id>": ["Pop", ...], ...}, read as a single MAP whose
   entries become rows (one column per user, as the original read it, is slow with 50k users). #}
{% macro load_deezer_genres(path) %}
select
    cast(entry.key as integer) as user_id,
    entry.value as genres
from (
    select unnest(map_entries(genres_by_user)) as entry
    from read_json({{ path }}, records = false, columns = {'genres_by_user': 'MAP(VARCHAR, VARCHAR[])'})
)
{% endmacro %}
