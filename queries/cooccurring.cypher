// cooccurring: entities linked to the same papers as an entity, with how many papers they share.
// Parameters: $entity (entity id); $type (entity label, or null for any type); $limit (integer).
// Rows: id, type, name, papers (shared papers); most shared first, then by id.
MATCH (e:Entity {id: $entity})<--(p:Paper)-->(o:Entity)
WHERE o <> e AND ($type IS NULL OR $type IN labels(o))
RETURN o.id AS id, [l IN labels(o) WHERE l <> 'Entity'][0] AS type, o.name AS name,
       count(DISTINCT p) AS papers
ORDER BY papers DESC, id
LIMIT $limit
