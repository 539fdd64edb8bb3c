// entity_by_name: entities whose id, canonical name or an alias equals $name, ignoring case.
// Parameters: $name (string); $type (entity label such as "Model", or null for any type).
// Rows: id, type, name, aliases, paper_count; most papers first, then by id.
MATCH (e:Entity)
WHERE ($type IS NULL OR $type IN labels(e))
  AND (e.id = $name
       OR toLower(e.name) = toLower($name)
       OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) = toLower($name)))
OPTIONAL MATCH (e)<--(p:Paper)
WITH e, count(DISTINCT p) AS paper_count
RETURN e.id AS id, [l IN labels(e) WHERE l <> 'Entity'][0] AS type, e.name AS name,
       coalesce(e.aliases, []) AS aliases, paper_count
ORDER BY paper_count DESC, id
