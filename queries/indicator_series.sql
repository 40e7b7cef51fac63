-- indicator_series: the time series of some indicators for one area, per substance group.
-- This variant reads the "all providers" rows (provider_id IS NULL), so the partial unique index
-- uq_observations_key_all_providers (area, indicator, group, period) serves it.
-- Parameters: area_code, indicators (list), substance_groups (list),
-- period_kind ('fy_quarter' | 'financial_year' | 'calendar_year'), period_end (last period end date).
SELECT
    i.key AS indicator,
    sg.key AS substance_group,
    p.label AS period,
    p.end_date AS period_end,
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
JOIN periods p ON p.id = o.period_id
WHERE a.code = :area_code
  AND i.key IN :indicators
  AND sg.key IN :substance_groups
  AND o.breakdown_id = :breakdown_id
  AND o.provider_id IS NULL
  AND p.kind = :period_kind
  AND p.end_date <= :period_end
ORDER BY p.end_date, sg.sort_order, i.sort_order
