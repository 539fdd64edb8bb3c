// evaluated_on: benchmarks and datasets a model is evaluated on.
// Linked by a statement, not by sharing a paper: a result whose system and benchmark they are, or a sentence of
// a paper that names both (on the evidence of the paper's edges to each).
// Parameters: $model (entity id).
// Rows: id, type, name, papers (papers stating the link), sentence (the smallest such sentence in text order);
// most papers first, then by id.
MATCH (e:Entity {id: $model})
CALL {
  WITH e
  MATCH (p:Paper)-[:REPORTS]->(r:Result)-[:SYSTEM]->(e)
  MATCH (r)-[:BENCHMARK]->(o:Entity)
  RETURN p, o, r.sentence AS sentence
  UNION ALL
  WITH e
  MATCH (p:Paper)-[:REPORTS]->(r:Result)-[:BENCHMARK]->(e)
  MATCH (r)-[:SYSTEM]->(o:Entity)
  RETURN p, o, r.sentence AS sentence
  UNION ALL
  WITH e
  MATCH (e)<-[re]-(p:Paper)-[ro]->(o:Entity)
  UNWIND [s IN coalesce(re.evidence_sentences, []) WHERE s IN coalesce(ro.evidence_sentences, [])] AS sentence
  RETURN p, o, sentence
}
WITH e, o, p, sentence
WHERE o <> e AND (o:Benchmark OR o:Dataset)
RETURN o.id AS id, [l IN labels(o) WHERE l <> 'Entity'][0] AS type, o.name AS name,
       count(DISTINCT p) AS papers, min(sentence) AS sentence
ORDER BY papers DESC, id
