-- partnership_areas: a partnership (county or unitary) and its districts, partnership first.
SELECT a.code, a.name, a.area_type, 0 AS is_district
FROM areas a
WHERE a.code = :partnership_code
UNION ALL
SELECT c.code, c.name, c.area_type, 1 AS is_district
FROM areas c
JOIN areas parent ON parent.id = c.parent_id
WHERE parent.code = :partnership_code
ORDER BY is_district, name
