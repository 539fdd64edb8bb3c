// top_entities: the entities of a type linked to the most papers.
// Parameters: $type (entity label such as "Benchmark", or null for any type); $limit (integer).
// Rows: id, type, name, aliases, paper_count; most papers first, then by id.
MATCH (e:Entity)
WHERE $type IS NULL OR $type IN labels(e)
OPTIONAL MATCH (e)<--(p:Paper)
WITH e, count(DISTINCT p) AS paper_count
RETURN e.id AS id, [l IN labels(e) WHERE l <> 'Entity'][0] AS type, e.name AS name,
       coalesce(e.aliases, []) AS aliases, paper_count
ORDER BY paper_count DESC, id
LIMIT $limit
