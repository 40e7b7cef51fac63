-- compare_group_matrix: several indicators and periods for every member of a comparator group
-- (all-providers rows), for spine charts and quartile positions over time.
-- Parameters: group_code, indicators (list), period_ids (list), substance_group.
SELECT
    i.key AS indicator,
    p.label AS period,
    p.end_date AS period_end,
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
JOIN observations o ON o.area_id = a.id AND o.provider_id IS NULL
JOIN indicators i ON i.id = o.indicator_id
JOIN periods p ON p.id = o.period_id
WHERE g.code = :group_code
  AND i.key IN :indicators
  AND o.period_id IN :period_ids
  AND o.substance_group_id = (SELECT id FROM substance_groups WHERE key = :substance_group)
  AND o.breakdown_id = :breakdown_id
ORDER BY p.end_date, i.sort_order, a.name
