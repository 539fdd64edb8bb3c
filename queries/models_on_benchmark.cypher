// models_on_benchmark: models that papers evaluating on a benchmark (or dataset) are linked to.
// Parameters: $benchmark (entity id).
// Rows: id, type, name, papers (supporting papers); most papers first, then by id.
MATCH (b:Entity {id: $benchmark})<-[:EVALUATES_ON]-(p:Paper)-->(m:Model)
WHERE m <> b
RETURN m.id AS id, [l IN labels(m) WHERE l <> 'Entity'][0] AS type, m.name AS name,
       count(DISTINCT p) AS papers
ORDER BY papers DESC, id
