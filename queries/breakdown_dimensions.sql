-- breakdown_dimensions: the breakdowns held for an indicator (any area, or one area when area_code is given),
-- with their categories; persons (breakdown 0) is left out.
-- Parameters: indicator, area_code (NULL for any area).
-- Served by the partial index ix_observations_breakdowns (indicator, breakdown, area; breakdown rows only).
SELECT b.dimensions, b.key, b.label, b.sort_order
FROM breakdowns b
WHERE b.id IN (
    SELECT o.breakdown_id
    FROM observations o
    WHERE o.indicator_id = (SELECT id FROM indicators WHERE key = :indicator)
      AND o.breakdown_id <> 0
      AND (CAST(:area_code AS VARCHAR(12)) IS NULL OR o.area_id = (SELECT id FROM areas WHERE code = :area_code))
)
ORDER BY b.dimensions, b.sort_order, b.label
