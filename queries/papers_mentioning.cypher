// papers_mentioning: papers linked to an entity by any relation (MENTIONS, PROPOSES, EVALUATES_ON, ...).
// Parameters: $entity (entity id).
// Rows: id, title, date, url, relations (relation types, sorted), mentions (MENTIONS count);
// newest first (undated last), then by id.
MATCH (p:Paper)-[r]->(e:Entity {id: $entity})
WITH p, r ORDER BY type(r)
WITH p, collect(DISTINCT type(r)) AS relations,
     max(CASE WHEN type(r) = 'MENTIONS' THEN coalesce(r.count, 1) ELSE 0 END) AS mentions
RETURN p.id AS id, coalesce(p.title, '') AS title, p.date AS date, p.url AS url, relations, mentions
ORDER BY coalesce(p.date, '') DESC, id
