-- breakdown_dimensions: the breakdowns held for an indicator (any area, or one area when area_code is given),
-- with their categories; persons (breakdown 0) is left out.
-- Parameters: indicator, area_code (NULL for any area).
SELECT DISTINCT b.dimensions, b.key, b.label, b.sort_order
FROM breakdowns b
WHERE b.id <> 0
  AND EXISTS (
      SELECT 1
      FROM observations o
      JOIN areas a ON a.id = o.area_id
      WHERE o.breakdown_id = b.id
        AND o.indicator_id = (SELECT id FROM indicators WHERE key = :indicator)
        AND (CAST(:area_code AS VARCHAR(12)) IS NULL OR a.code = :area_code)
  )
ORDER BY b.dimensions, b.sort_order, b.label
