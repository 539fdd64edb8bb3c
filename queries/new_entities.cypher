// new_entities: entities first seen after a date (the earliest dated paper linked to them).
// Parameters: $after (ISO date string, compared as text: "2023-06" works); $type (entity label, or null);
// $limit (integer).
// Rows: id, type, name, first_seen, paper_count (all linked papers); newest first, then by id.
MATCH (e:Entity)<--(p:Paper)
WHERE $type IS NULL OR $type IN labels(e)
WITH e, min(p.date) AS first_seen, count(DISTINCT p) AS paper_count
WHERE first_seen > $after
RETURN e.id AS id, [l IN labels(e) WHERE l <> 'Entity'][0] AS type, e.name AS name, first_seen, paper_count
ORDER BY first_seen DESC, id
LIMIT $limit
