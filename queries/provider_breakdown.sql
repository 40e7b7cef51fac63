-- provider_breakdown: every indicator for one area, period and substance group, per provider and for all
-- providers together (provider_code NULL), for the provider view.
-- Parameters: area_code, period_id, substance_group.
-- Served by the observation key indexes, which lead with area_id.
SELECT
    i.key AS indicator,
    pr.code AS provider_code,
    pr.name AS provider_name,
    o.numerator,
    o.denominator,
    o.value,
    o.lower_ci_95,
    o.upper_ci_95,
    o.lower_ci_99_8,
    o.upper_ci_99_8
FROM observations o
JOIN areas a ON a.id = o.area_id
JOIN indicators i ON i.id = o.indicator_id
JOIN substance_groups sg ON sg.id = o.substance_group_id
LEFT JOIN providers pr ON pr.id = o.provider_id
WHERE a.code = :area_code
  AND o.period_id = :period_id
  AND sg.key = :substance_group
  AND o.breakdown_id = :breakdown_id
ORDER BY i.sort_order, pr.name
