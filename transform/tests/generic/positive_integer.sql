{# Fails rows whose column is NULL, not positive, or not a whole number. #}
{% test positive_integer(model, column_name) %}
select *
from {{ model }}
where {{ column_name }} is null
   or {{ column_name }} <= 0
   or not regexp_full_match(cast({{ column_name }} as varchar), '[0-9]+')
{% endtest %}
