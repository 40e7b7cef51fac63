-- indicator_period_kinds: the period kinds in which each area holds an indicator's all-providers figures for one
-- substance group: the cells indicator_coverage counts, without their periods (for choosing the kind to draw,
-- not for saying what exists). Parameters: indicator, area_codes (list), substance_group.
SELECT DISTINCT
    a.code AS area_code,
    p.kind AS period_kind
FROM observations o
JOIN areas a ON a.id = o.area_id
JOIN substance_groups sg ON sg.id = o.substance_group_id
JOIN periods p ON p.id = o.period_id
WHERE o.indicator_id = (SELECT id FROM indicators WHERE key = :indicator)
  AND o.breakdown_id = :breakdown_id
  AND o.provider_id IS NULL
  AND o.value IS NOT NULL
  AND a.code IN :area_codes
  AND sg.key = :substance_group
