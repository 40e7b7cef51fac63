-- periods_with_data: the periods of one kind that hold any observation for an area, newest first.
SELECT p.label, p.end_date, p.kind
FROM periods p
WHERE p.kind = :period_kind
  AND EXISTS (
      SELECT 1 FROM observations o
      JOIN areas a ON a.id = o.area_id
      WHERE o.period_id = p.id AND a.code = :area_code
  )
ORDER BY p.end_date DESC
