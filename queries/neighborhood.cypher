// neighborhood: papers and entities within $hops relationships of an entity, edge direction ignored.
// Parameters: $entity (entity id); $hops (integer, 1 to 3).
// Rows: id, label (Paper or the entity type), name (a paper's title), distance; nearest first,
// then by label and id.
// One branch per radius, each skipped unless $hops reaches it, so a small radius never pays for the
// paths of a larger one (variable-length bounds cannot be parameters). Only paper and entity edges count:
// results (REPORTS, and their role edges) are statements about these nodes, not links between them.
MATCH (a:Entity {id: $entity})
CALL {
  WITH a
  MATCH (a)-[:MENTIONS|PROPOSES|EVALUATES_ON|COMPARES_WITH|USES|VARIANT_OF]-(n)
  RETURN n, 1 AS d
  UNION ALL
  WITH a
  WITH a WHERE $hops >= 2
  MATCH (a)-[:MENTIONS|PROPOSES|EVALUATES_ON|COMPARES_WITH|USES|VARIANT_OF]-()-[:MENTIONS|PROPOSES|EVALUATES_ON|COMPARES_WITH|USES|VARIANT_OF]-(n)
  RETURN n, 2 AS d
  UNION ALL
  WITH a
  WITH a WHERE $hops >= 3
  MATCH (a)-[:MENTIONS|PROPOSES|EVALUATES_ON|COMPARES_WITH|USES|VARIANT_OF]-()-[:MENTIONS|PROPOSES|EVALUATES_ON|COMPARES_WITH|USES|VARIANT_OF]-()
        -[:MENTIONS|PROPOSES|EVALUATES_ON|COMPARES_WITH|USES|VARIANT_OF]-(n)
  RETURN n, 3 AS d
}
WITH a, n, min(d) AS distance
WHERE n <> a
RETURN n.id AS id,
       CASE WHEN n:Paper THEN 'Paper' ELSE [l IN labels(n) WHERE l <> 'Entity'][0] END AS label,
       coalesce(n.name, n.title, '') AS name, distance
ORDER BY distance, label, id
