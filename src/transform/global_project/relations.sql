{#- Relation helpers packages call as macros. -#}

{% macro load_relation(relation) %}{{ return(adapter.load_relation(relation)) }}{% endmacro %}
{% macro load_cached_relation(relation) %}{{ return(adapter.load_relation(relation)) }}{% endmacro %}

{% macro get_columns_in_relation(relation) %}{{ return(adapter.get_columns_in_relation(relation)) }}{% endmacro %}

{% macro get_columns_in_query(select_sql) -%}
    {%- call statement('get_columns_in_query', fetch_result=True) -%}
        select * from ({{ select_sql }}) as __dbt_sbq limit 0
    {%- endcall -%}
    {%- set result = load_result('get_columns_in_query') -%}
    {{ return(result['table'].column_names | list if result else []) }}
{%- endmacro %}

{% macro drop_relation_if_exists(relation) %}
    {%- if relation is not none -%}{%- do adapter.drop_relation(relation) -%}{%- endif -%}
{% endmacro %}

{% macro make_temp_relation(base_relation, suffix='__dbt_tmp') %}
    {{ return(base_relation.incorporate(path={"identifier": base_relation.identifier ~ suffix})) }}
{% endmacro %}

{% macro run_hooks(hooks, inside_transaction=True) %}{% endmacro %}
{% macro persist_docs(relation, model, for_relation=true, for_columns=true) %}{% endmacro %}
