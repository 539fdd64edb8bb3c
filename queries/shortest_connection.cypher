// shortest_connection: the shortest path between two entities ($source, $target: entity ids) through papers
// and entities, edge direction ignored, at most $max_hops edges (8 at most); among equally short paths the one
// with the smallest node ids, then relation types. Rows: step, id, label, name, relation (of the edge reaching
// the node). Only paper and entity edges count, not results'.
// This text is one breadth-first step, run as often as needed (`paperkg.queries.path_search`): each node one
// edge away from a node of $ids (ids of papers or entities), with that node. The steps go out from both ends,
// the smaller frontier first, until they meet or $max_hops are taken; then a walk from $source to the
// smallest-id neighbour one step closer to $target each time gives the NetworkX twin's path. The work is
// bounded by the edges of the nodes searched. One query enumerating every shortest path instead
// (allShortestPaths) held the server for minutes through hub entities.
UNWIND $ids AS id
OPTIONAL MATCH (e:Entity {id: id})
OPTIONAL MATCH (p:Paper {id: id})
WITH coalesce(e, p) AS n
WHERE n IS NOT NULL
MATCH (n)-[:MENTIONS|PROPOSES|EVALUATES_ON|COMPARES_WITH|USES|VARIANT_OF]-(m)
RETURN DISTINCT n.id AS id, m.id AS other
