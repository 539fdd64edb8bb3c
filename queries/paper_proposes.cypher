// paper_proposes: what a paper proposes (its own models, methods, datasets, benchmarks).
// Parameters: $paper (paper id).
// Rows: id, type, name; by id.
MATCH (:Paper {id: $paper})-[:PROPOSES]->(e:Entity)
RETURN e.id AS id, [l IN labels(e) WHERE l <> 'Entity'][0] AS type, e.name AS name
ORDER BY id
