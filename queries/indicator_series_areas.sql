-- indicator_series_areas: indicator_series for several areas in one query (the districts of a partnership, a chart
-- with a line per district), each row naming its area. All providers (provider_id IS NULL), served by
-- uq_observations_key_all_providers as indicator_series is.
-- Parameters: area_codes (list), indicators (list), substance_groups (list),
-- period_kind ('fy_quarter' | 'financial_year' | 'calendar_year'), period_end (last period end date).
SELECT
    a.code AS area_code,
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
WHERE a.code IN :area_codes
  AND i.key IN :indicators
  AND sg.key IN :substance_groups
  AND o.breakdown_id = :breakdown_id
  AND o.provider_id IS NULL
  AND p.kind = :period_kind
  AND p.end_date <= :period_end
ORDER BY a.code, p.end_date, sg.sort_order, i.sort_order
