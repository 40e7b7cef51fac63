-- compare_group: one indicator, period and substance group for every member of a comparator group
-- (all-providers rows). Parameters: group_code, indicator, period_id, substance_group.
-- Served by ix_observations_compare (indicator, period, substance group, area).
SELECT
    a.code AS area_code,
    a.name AS area_name,
    o.numerator,
    o.denominator,
    o.value,
    o.lower_ci_95,
    o.upper_ci_95,
    o.lower_ci_99_8,
    o.upper_ci_99_8
FROM comparator_groups g
JOIN group_membership m ON m.group_id = g.id
JOIN areas a ON a.id = m.area_id
LEFT JOIN observations o
    ON o.area_id = a.id
   AND o.provider_id IS NULL
   AND o.period_id = :period_id
   AND o.indicator_id = (SELECT id FROM indicators WHERE key = :indicator)
   AND o.substance_group_id = (SELECT id FROM substance_groups WHERE key = :substance_group)
   AND o.breakdown_id = :breakdown_id
WHERE g.code = :group_code
ORDER BY a.name
