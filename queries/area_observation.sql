-- area_observation: one all-providers figure (indicator, area, substance group, period), e.g. a benchmark.
SELECT a.code AS area_code, a.name AS area_name, o.numerator, o.denominator, o.value,
       o.lower_ci_95, o.upper_ci_95, o.lower_ci_99_8, o.upper_ci_99_8
FROM observations o
JOIN areas a ON a.id = o.area_id
WHERE a.code = :area_code
  AND o.provider_id IS NULL
  AND o.period_id = :period_id
  AND o.indicator_id = (SELECT id FROM indicators WHERE key = :indicator)
  AND o.substance_group_id = (SELECT id FROM substance_groups WHERE key = :substance_group)
  AND o.breakdown_id = :breakdown_id
