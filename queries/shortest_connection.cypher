// shortest_connection: the shortest path between two entities ($source, $target: entity ids) through papers
// and entities, edge direction ignored, at most $max_hops edges (8 at most); among equally short paths the one
// with the smallest node ids, then relation types. Rows: step, id, label, name, relation (of the edge reaching
// the node). Only paper and entity edges count, not results'.
// This text is one breadth-first step, run as often as needed (`paperkg.queries.path_search`): the edges of
// the nodes $ids, each with its two ends and its type. The steps go out from $target until $source is reached,
// then walk from $source to the smallest-id neighbour one step closer each time, as the NetworkX twin does: the
// work is bounded by the edges of the nodes searched. One query enumerating every shortest path instead
// (allShortestPaths) held the server for minutes through hub entities.
UNWIND $ids AS id
OPTIONAL MATCH (e:Entity {id: id})
OPTIONAL MATCH (p:Paper {id: id})
WITH coalesce(e, p) AS n
WHERE n IS NOT NULL
MATCH (n)-[r:MENTIONS|PROPOSES|EVALUATES_ON|COMPARES_WITH|USES|VARIANT_OF]-(m)
RETURN n.id AS id,
       CASE WHEN n:Paper THEN 'Paper' ELSE [l IN labels(n) WHERE l <> 'Entity'][0] END AS label,
       coalesce(n.name, n.title, '') AS name,
       m.id AS other,
       CASE WHEN m:Paper THEN 'Paper' ELSE [l IN labels(m) WHERE l <> 'Entity'][0] END AS other_label,
       coalesce(m.name, m.title, '') AS other_name,
       type(r) AS relation
