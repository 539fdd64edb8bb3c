// paper_entities: every entity of a paper, with the relation types linking them and its mention count.
// Parameters: $paper (paper id).
// Rows: id, type, name, relations (sorted), mentions; by id.
MATCH (:Paper {id: $paper})-[r]->(e:Entity)
WITH e, r ORDER BY type(r)
WITH e, collect(DISTINCT type(r)) AS relations,
     max(CASE WHEN type(r) = 'MENTIONS' THEN coalesce(r.count, 1) ELSE 0 END) AS mentions
RETURN e.id AS id, [l IN labels(e) WHERE l <> 'Entity'][0] AS type, e.name AS name, relations, mentions
ORDER BY id
