// neighborhood: papers and entities within $hops relationships of an entity, edge direction ignored.
// Parameters: $entity (entity id); $hops (integer, 1 to 3; the pattern is bounded at 3).
// Rows: id, label (Paper or the entity type), name (a paper's title), distance; nearest first,
// then by label and id.
MATCH (a:Entity {id: $entity})
MATCH path = (a)-[*1..3]-(n)
WHERE n <> a AND length(path) <= $hops
WITH n, min(length(path)) AS distance
RETURN n.id AS id,
       CASE WHEN n:Paper THEN 'Paper' ELSE [l IN labels(n) WHERE l <> 'Entity'][0] END AS label,
       coalesce(n.name, n.title, '') AS name, distance
ORDER BY distance, label, id
