// compared_with: who beats whom, from improvement results whose system and baseline are both entities:
// the entity as the system (it beats the baseline by the value) or as the baseline (it is beaten).
// Parameters: $entity (entity id).
// Rows: paper_id, paper_title, value, number, unit, kind, and for system, benchmark, metric and baseline the
// entity id (null where the text names no entity) and name (else the words as written), sentence, start.
// Ordered by paper id, then position in the paper.
MATCH (p:Paper)-[:REPORTS]->(r:Result {kind: 'improvement'})-[:SYSTEM]->(s:Entity)
MATCH (r)-[:BASELINE]->(c:Entity)
WHERE s.id = $entity OR c.id = $entity
OPTIONAL MATCH (r)-[:BENCHMARK]->(b:Entity)
OPTIONAL MATCH (r)-[:METRIC]->(m:Entity)
RETURN p.id AS paper_id, coalesce(p.title, '') AS paper_title, r.value AS value, r.number AS number,
       r.unit AS unit, r.kind AS kind, s.id AS system_id, coalesce(s.name, r.system) AS system,
       b.id AS benchmark_id, coalesce(b.name, r.benchmark) AS benchmark, m.id AS metric_id,
       coalesce(m.name, r.metric) AS metric, c.id AS baseline_id, coalesce(c.name, r.baseline) AS baseline,
       r.sentence AS sentence, r.start AS start
ORDER BY paper_id, start
