{# Graph node ids: one integer space over every node table of a graph. Each table numbers its
   rows 1.. in the order of its natural key (unique, so the numbering is the same on every run),
   after the largest id of the table before it, so ranges follow each other without gaps. #}
{% macro node_id(order_by, after=none) -%}
    {%- if after is not none -%}
        (select coalesce(max(node_id), 0) from {{ after }}) +
    {% endif -%}
    row_number() over (order by {{ order_by }})
{%- endmacro %}
