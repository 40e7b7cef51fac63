-- group_indicators: the indicators with any all-providers figure for a member of a comparator group and a
-- substance group. Parameters: group_code, substance_group.
SELECT DISTINCT i.key
FROM observations o
JOIN indicators i ON i.id = o.indicator_id
JOIN group_membership m ON m.area_id = o.area_id
JOIN comparator_groups g ON g.id = m.group_id
WHERE g.code = :group_code
  AND o.provider_id IS NULL
  AND o.value IS NOT NULL
  AND o.substance_group_id = (SELECT id FROM substance_groups WHERE key = :substance_group)
  AND o.breakdown_id = :breakdown_id
