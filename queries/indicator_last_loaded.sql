-- indicator_last_loaded: when figures of one indicator were last loaded by an import that still stands.
-- Parameters: indicator.
SELECT MAX(l.imported_at) AS loaded_at, COUNT(DISTINCT l.id) AS imports
FROM imports l
WHERE l.status = 'loaded'
  AND l.id IN (
      SELECT o.import_id
      FROM observations o
      WHERE o.indicator_id = (SELECT id FROM indicators WHERE key = :indicator)
        AND o.import_id IS NOT NULL
  )
