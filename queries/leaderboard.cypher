// leaderboard: scores reported on a benchmark, best first within each metric and unit.
// Parameters: $benchmark (entity id); $metric (a metric's entity id or name, any case; null for every metric).
// Rows: paper_id, paper_title, value, number, unit, kind, and for system, benchmark, metric and baseline the
// entity id (null where the text names no entity) and name (else the words as written), sentence, start.
// Ordered by metric (any case), unit, best first (ascending where lower is better: error, loss, perplexity, …), paper id,
// position. `paperkg leaderboard` then keeps only comparable rows (one metric and unit) and names the rest.
MATCH (p:Paper)-[:REPORTS]->(r:Result {kind: 'score'})-[:BENCHMARK]->(b:Entity {id: $benchmark})
OPTIONAL MATCH (r)-[:SYSTEM]->(s:Entity)
OPTIONAL MATCH (r)-[:METRIC]->(m:Entity)
OPTIONAL MATCH (r)-[:BASELINE]->(c:Entity)
WITH p, r, b, s, m, c, toLower(coalesce(m.name, r.metric, '')) AS metric_key
WHERE $metric IS NULL OR m.id = $metric OR metric_key = toLower($metric)
WITH p, r, b, s, m, c, metric_key,
     CASE WHEN any(word IN ['error', 'loss', 'perplexity', 'wer', 'cer', 'latency', 'ppl', 'fid']
                   WHERE metric_key CONTAINS word)
          THEN r.number ELSE -r.number END AS better
RETURN p.id AS paper_id, coalesce(p.title, '') AS paper_title, r.value AS value, r.number AS number,
       r.unit AS unit, r.kind AS kind, s.id AS system_id, coalesce(s.name, r.system) AS system,
       b.id AS benchmark_id, coalesce(b.name, r.benchmark) AS benchmark, m.id AS metric_id,
       coalesce(m.name, r.metric) AS metric, c.id AS baseline_id, coalesce(c.name, r.baseline) AS baseline,
       r.sentence AS sentence, r.start AS start, metric_key, better
ORDER BY metric_key, unit, better, paper_id, start
