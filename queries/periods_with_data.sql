-- periods_with_data: the periods of one kind that hold any all-providers figure for an area, newest first.
-- The IN list reads the partial index uq_observations_key_all_providers (area first) without touching rows.
SELECT p.label, p.end_date, p.kind
FROM periods p
WHERE p.kind = :period_kind
  AND p.id IN (
      SELECT o.period_id
      FROM observations o
      JOIN areas a ON a.id = o.area_id
      WHERE a.code = :area_code
        AND o.provider_id IS NULL
  )
ORDER BY p.end_date DESC
