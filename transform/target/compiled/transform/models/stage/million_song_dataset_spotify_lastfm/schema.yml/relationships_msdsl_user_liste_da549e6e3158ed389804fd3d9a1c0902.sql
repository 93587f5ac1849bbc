with child as (
    select track_id as from_field
    from "stage"."msdsl"."user_listening_history"
    where track_id is not null
),
parent as (
    select track_id as to_field
    from "stage"."msdsl"."music_info"
)
select from_field
from child
left join parent on child.from_field = parent.to_field
where parent.to_field is null
