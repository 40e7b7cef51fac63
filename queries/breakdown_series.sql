-- breakdown_series: one area's figures for an indicator and substance group, for persons and for every
-- category of one set of breakdown dimensions ("sex", "age_group", "sex;age_group"), every period, oldest first.
-- Parameters: area_code, indicator, substance_group, dimensions.
-- Served by uq_observations_key_all_providers (area, indicator, group, period, breakdown).
SELECT
    b.key AS breakdown,
    b.label AS breakdown_label,
    b.sort_order AS breakdown_order,
    p.label AS period,
    p.kind AS period_kind,
    p.end_date AS period_end,
    p.rolling_12m,
    o.numerator,
    o.denominator,
    o.value,
    o.lower_ci_95,
    o.upper_ci_95,
    o.lower_ci_99_8,
    o.upper_ci_99_8
FROM observations o
JOIN areas a ON a.id = o.area_id
JOIN breakdowns b ON b.id = o.breakdown_id
JOIN periods p ON p.id = o.period_id
WHERE a.code = :area_code
  AND o.indicator_id = (SELECT id FROM indicators WHERE key = :indicator)
  AND o.substance_group_id = (SELECT id FROM substance_groups WHERE key = :substance_group)
  AND o.provider_id IS NULL
  AND (b.dimensions = :dimensions OR b.id = 0)
ORDER BY p.end_date, p.rolling_12m DESC, b.sort_order, b.label
