#include "transform/compile/builtin_macros.h"

namespace dlctl::transform {

const std::string& FallbackDbtUtilsMacros() {
  static const std::string text = R"JINJA(
{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
{% if column_name is none -%}
where not ({{ expression }})
{%- else -%}
where not ({{ column_name }} {{ expression }})
{%- endif %}
{% endtest %}

{% test unique_combination_of_columns(model, combination_of_columns, quote_columns=false) %}
{%- set columns = [] -%}
{%- for column in combination_of_columns -%}
    {%- do columns.append(adapter.quote(column) if quote_columns else column) -%}
{%- endfor -%}
select {{ columns | join(', ') }}, count(*) as n_records
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
)JINJA";
  return text;
}

}  // namespace dlctl::transform
