-- group_indicator_periods: the periods in which any member of a comparator group has a figure for an
-- indicator and substance group, newest first. Parameters: group_code, indicator, substance_group.
SELECT p.id, p.label, p.kind, p.start_date, p.end_date, p.rolling_12m
FROM periods p
WHERE p.id IN (
    SELECT o.period_id
    FROM observations o
    JOIN group_membership m ON m.area_id = o.area_id
    JOIN comparator_groups g ON g.id = m.group_id
    WHERE g.code = :group_code
      AND o.provider_id IS NULL
      AND o.value IS NOT NULL
      AND o.indicator_id = (SELECT id FROM indicators WHERE key = :indicator)
      AND o.substance_group_id = (SELECT id FROM substance_groups WHERE key = :substance_group)
      AND o.breakdown_id = :breakdown_id
)
ORDER BY p.end_date DESC, p.rolling_12m DESC
