-- periods_with_data_any_kind: every period (quarters, years, pooled years, months) that holds any
-- all-providers figure for an area, newest first; at the same end date a rolling quarter comes first.
SELECT p.label, p.end_date, p.kind
FROM periods p
WHERE p.id IN (
    SELECT o.period_id
    FROM observations o
    JOIN areas a ON a.id = o.area_id
    WHERE a.code = :area_code
      AND o.provider_id IS NULL
)
ORDER BY p.end_date DESC, p.rolling_12m DESC, p.start_date DESC, p.label
