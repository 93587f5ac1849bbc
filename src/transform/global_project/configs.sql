{#- Config helpers dbt's materializations and packages call. -#}

{% macro should_store_failures() %}
    {%- set store_failures = config.get('store_failures') -%}
    {%- if store_failures is none -%}{%- set store_failures = flags.STORE_FAILURES -%}{%- endif -%}
    {{ return(store_failures) }}
{% endmacro %}

{% macro set_sql_header(config) -%}
    {{ config.set('sql_header', caller()) }}
{%- endmacro %}

{% macro sql_header() %}{{ config.get('sql_header') or '' }}{% endmacro %}
