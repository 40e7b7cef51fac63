-- indicator_coverage: which areas, substance groups and periods hold an indicator's all-providers figures,
-- so a page can say what exists when the chosen view has nothing. Parameters: indicator, area_codes (list).
SELECT
    a.code AS area_code,
    a.name AS area_name,
    sg.key AS substance_group,
    p.label AS period,
    p.kind AS period_kind,
    p.end_date AS period_end,
    p.rolling_12m AS rolling_12m,
    COUNT(*) AS figures
FROM observations o
JOIN areas a ON a.id = o.area_id
JOIN substance_groups sg ON sg.id = o.substance_group_id
JOIN periods p ON p.id = o.period_id
WHERE o.indicator_id = (SELECT id FROM indicators WHERE key = :indicator)
  AND o.breakdown_id = :breakdown_id
  AND o.provider_id IS NULL
  AND o.value IS NOT NULL
  AND a.code IN :area_codes
GROUP BY a.code, a.name, sg.key, p.label, p.kind, p.end_date, p.rolling_12m
ORDER BY p.end_date DESC, a.name
