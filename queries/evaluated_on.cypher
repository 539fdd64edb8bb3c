// evaluated_on: benchmarks and datasets a model is evaluated on: papers linked to the model
// that have an EVALUATES_ON edge to the benchmark or dataset.
// Parameters: $model (entity id).
// Rows: id, type, name, papers (supporting papers); most papers first, then by id.
MATCH (m:Entity {id: $model})<--(p:Paper)-[:EVALUATES_ON]->(b:Entity)
WHERE (b:Benchmark OR b:Dataset) AND b <> m
RETURN b.id AS id, [l IN labels(b) WHERE l <> 'Entity'][0] AS type, b.name AS name,
       count(DISTINCT p) AS papers
ORDER BY papers DESC, id
