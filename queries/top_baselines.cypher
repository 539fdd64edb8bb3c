// top_baselines: the most compared-against entities (COMPARES_WITH edges from distinct papers).
// Parameters: $type (entity label, or null for any type); $limit (integer).
// Rows: id, type, name, papers; most papers first, then by id.
MATCH (p:Paper)-[:COMPARES_WITH]->(e:Entity)
WHERE $type IS NULL OR $type IN labels(e)
RETURN e.id AS id, [l IN labels(e) WHERE l <> 'Entity'][0] AS type, e.name AS name,
       count(DISTINCT p) AS papers
ORDER BY papers DESC, id
LIMIT $limit
