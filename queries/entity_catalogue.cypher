// entity_catalogue: every entity with its spellings and paper count (feeds the lookup index).
// Parameters: none.
// Rows: id, type, name, aliases, paper_count; by id.
MATCH (e:Entity)
OPTIONAL MATCH (e)<--(p:Paper)
WITH e, count(DISTINCT p) AS paper_count
RETURN e.id AS id, [l IN labels(e) WHERE l <> 'Entity'][0] AS type, e.name AS name,
       coalesce(e.aliases, []) AS aliases, paper_count
ORDER BY id
