// shortest_connection: the shortest path between two entities through papers and entities, edge
// direction ignored; among equally short paths the one with the smallest node ids, then relation types.
// Parameters: $source, $target (entity ids); $max_hops (integer; the search is bounded at 8).
// Rows: one per node of the path: step, id, label, name, relation (type of the edge reaching it);
// no rows when there is no such path. Only paper and entity edges count, not results'.
MATCH (a:Entity {id: $source}), (b:Entity {id: $target})
WHERE a <> b
WITH a, b
MATCH path = allShortestPaths((a)-[:MENTIONS|PROPOSES|EVALUATES_ON|COMPARES_WITH|USES|VARIANT_OF*..8]-(b))
WITH path, [n IN nodes(path) | n.id] AS ids, [r IN relationships(path) | type(r)] AS rels
WHERE length(path) <= $max_hops
WITH path, ids, rels
ORDER BY ids, rels
LIMIT 1
UNWIND range(0, size(ids) - 1) AS step
WITH step, nodes(path)[step] AS n, rels
RETURN step, n.id AS id,
       CASE WHEN n:Paper THEN 'Paper' ELSE [l IN labels(n) WHERE l <> 'Entity'][0] END AS label,
       coalesce(n.name, n.title, '') AS name,
       CASE WHEN step = 0 THEN null ELSE rels[step - 1] END AS relation
ORDER BY step
