-- indicator_kinds: the period kinds in which some areas and substance groups hold an indicator's all-providers
-- figures (the cells indicator_coverage counts, without their periods), so a chart picks its kind of period
-- without reading every period held. Parameters: indicator, area_codes (list), substance_groups (list).
SELECT DISTINCT
    a.code AS area_code,
    sg.key AS substance_group,
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
  AND sg.key IN :substance_groups
ORDER BY a.code, sg.key, p.kind
