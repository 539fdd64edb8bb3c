// variants: entities that are (transitively) VARIANT_OF a model family, e.g. LLaMA-2-70B of LLaMA-2.
// Parameters: $family (entity id).
// Rows: id, type, name, depth (VARIANT_OF steps, at most 5); nearest first, then by id.
MATCH path = (v:Entity)-[:VARIANT_OF*1..5]->(f:Entity {id: $family})
WHERE v <> f
WITH v, min(length(path)) AS depth
RETURN v.id AS id, [l IN labels(v) WHERE l <> 'Entity'][0] AS type, v.name AS name, depth
ORDER BY depth, id
