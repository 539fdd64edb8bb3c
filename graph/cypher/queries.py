"""The Cypher every Cypher store sends, shared by Neo4j 5 and FalkorDB.

Data only ever travels in parameters (`$rows`, `$ids`, …). Labels and relationship types cannot be
parameters in Cypher, so the few templates that need one carry a `__LABEL__` / `__TYPE__` slot that
`for_entity_type` / `for_relation_type` fill from the schema's closed enums, never from data.

Loading keeps `paper_count` exact without recounting every entity on every batch: a write marks an
entity (`stale = true`, an indexed property) whenever a paper edge to it is created or deleted, in the
same statement as the change, and `RECOUNT_STALE` … `UNMARK_STALE` then recount those entities, delete
the ones no paper points to and drop the mark. A load killed between statements leaves only marks
behind, which the next write settles. (A property, not a label: FalkorDB changes labels very slowly.)
Papers with no node before their batch skip all that: their edges are CREATEd and each entity's count is
raised in the same statement (`CREATE_PAPER_RELATIONS`), so popular entities are not recounted per batch.
Each statement is a plain query (no `CALL {}`, `COUNT {}` or APOC) because FalkorDB lacks some of them.
"""

from __future__ import annotations

from paperkg.graph.schema import EntityType, RelationType

PAPER_LABEL = "Paper"
ENTITY_LABEL = "Entity"
LABEL_SLOT = "__LABEL__"
TYPE_SLOT = "__TYPE__"
KEY_SLOT = "__KEY__"
PAGE_KEYS = ("n.id", "id(n)")  # by property (Neo4j) or by internal node id (FalkorDB)

# --- writing papers ------------------------------------------------------------------------------
# rows: [{id, props}] — `SET p = …` replaces every property, so a changed paper keeps nothing stale.
MERGE_PAPERS = """
UNWIND $rows AS row
MERGE (p:Paper {id: row.id})
SET p = row.props
"""

# rows: [{id, name, aliases}] of one entity type; aliases are united, the first name stays canonical.
# Both labels in the MERGE pattern: an entity id implies its type, and a node created with its labels
# is far cheaper in FalkorDB than one whose label is set afterwards.
MERGE_ENTITIES = """
UNWIND $rows AS row
MERGE (e:Entity:__LABEL__ {id: row.id})
ON CREATE SET e.name = row.name, e.aliases = row.aliases, e.paper_count = 0, e.stale = true
ON MATCH SET e.aliases = reduce(acc = [], a IN coalesce(e.aliases, []) + row.aliases + [row.name] |
    CASE WHEN a = e.name OR a IN acc THEN acc ELSE acc + a END)
"""

# rows: [{source, target, count, sentences, starts, ends}] of one relation type (paper → entity).
MERGE_PAPER_RELATIONS = """
UNWIND $rows AS row
MATCH (p:Paper {id: row.source})
MATCH (e:Entity {id: row.target})
MERGE (p)-[r:__TYPE__]->(e)
ON CREATE SET e.stale = true
SET r.count = row.count, r.evidence_sentences = row.sentences,
    r.evidence_starts = row.starts, r.evidence_ends = row.ends
"""

# rows: [{target, papers, edges: [{source, count, sentences, starts, ends}]}] of one relation type, for papers
# that had no node before this write (so no edges): one row per entity, which gains `papers` new papers (its
# pairs with these papers not counted by an earlier statement of the batch). CREATE and an increment in one
# statement, instead of MERGE + stale mark + recount: each statement is atomic, so a load killed between two
# leaves counts that match the edges; the re-run finds those papers existing and takes the MERGE path.
# One row per entity because FalkorDB evaluates a statement's SETs before applying them.
CREATE_PAPER_RELATIONS = """
UNWIND $rows AS row
MATCH (e:Entity {id: row.target})
SET e.paper_count = coalesce(e.paper_count, 0) + row.papers
WITH e, row
UNWIND row.edges AS edge
MATCH (p:Paper {id: edge.source})
CREATE (p)-[:__TYPE__ {count: edge.count, evidence_sentences: edge.sentences,
                       evidence_starts: edge.starts, evidence_ends: edge.ends}]->(e)
"""

EXISTING_PAPERS = """
UNWIND $ids AS id
MATCH (p:Paper {id: id})
RETURN p.id AS id
"""

# rows: [{id, keep}] where keep lists "TYPE entity_id" of the edges the paper has now.
DELETE_STALE_RELATIONS = """
UNWIND $rows AS row
MATCH (p:Paper {id: row.id})-[r]->(e:Entity)
WHERE NOT (type(r) + ' ' + e.id) IN row.keep
SET e.stale = true
DELETE r
"""

# rows: [{source, target, count, sentences, starts, ends}] of one relation type (entity → entity).
MERGE_ENTITY_RELATIONS = """
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})
MATCH (b:Entity {id: row.target})
MERGE (a)-[r:__TYPE__]->(b)
SET r.count = row.count, r.evidence_sentences = row.sentences,
    r.evidence_starts = row.starts, r.evidence_ends = row.ends
"""

# --- deleting papers -----------------------------------------------------------------------------
MARK_TARGETS_OF_PAPERS = """
UNWIND $ids AS id
MATCH (:Paper {id: id})-->(e:Entity)
SET e.stale = true
"""

DELETE_PAPERS = """
UNWIND $ids AS id
MATCH (p:Paper {id: id})
DETACH DELETE p
RETURN count(*) AS deleted
"""

# --- merging entities (resolution; see `paperkg.graph.cypher.merge`) -------------------------------
ENTITIES_BY_ID = """
UNWIND $ids AS id
MATCH (e:Entity {id: id})
RETURN e.id AS id, labels(e) AS labels, e.name AS name, e.aliases AS aliases
"""

# rows: [{id, all, others}]: every edge of the entity (`all`), or those whose other end's id is in `others`.
EDGES_INTO = """
UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
MATCH (a)-[r]->(e)
WHERE row.all OR a.id IN row.others
RETURN a.id AS source, type(r) AS type, e.id AS target, r.count AS count,
       r.evidence_sentences AS sentences, r.evidence_starts AS starts, r.evidence_ends AS ends
"""

EDGES_OUT_OF = """
UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
MATCH (e)-[r]->(b)
WHERE row.all OR b.id IN row.others
RETURN e.id AS source, type(r) AS type, b.id AS target, r.count AS count,
       r.evidence_sentences AS sentences, r.evidence_starts AS starts, r.evidence_ends AS ends
"""

# rows: [{id, aliases}] of surviving entities, marked for the paper_count recount (new paper edges mark
# them too; this also covers a survivor whose only change is its aliases).
SET_SURVIVOR_ALIASES = """
UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
SET e.aliases = row.aliases, e.stale = true
"""

# rows: [{id, name, aliases}]: resolution's canonical names (the old name is among the new aliases).
SET_ENTITY_NAMES = """
UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
SET e.name = row.name, e.aliases = row.aliases
"""

DELETE_ENTITIES = """
UNWIND $ids AS id
MATCH (e:Entity {id: id})
DETACH DELETE e
"""

# --- settling paper_count (three statements: FalkorDB mis-runs them merged into one) -----------------
RECOUNT_STALE = """
MATCH (e:Entity)
WHERE e.stale = true
OPTIONAL MATCH (p:Paper)-->(e)
WITH e, count(DISTINCT p) AS papers
SET e.paper_count = papers
"""

DELETE_ORPHANS = """
MATCH (e:Entity)
WHERE e.stale = true AND e.paper_count = 0
DETACH DELETE e
"""

UNMARK_STALE = """
MATCH (e:Entity)
WHERE e.stale = true
REMOVE e.stale
"""

SETTLE_STALE = (RECOUNT_STALE, DELETE_ORPHANS, UNMARK_STALE)

# --- reading (keyset pages) ----------------------------------------------------------------------
# `__KEY__` is the session's page key, `n.id` or `id(n)` (see `PAGE_KEYS`); `$after` is the key of the
# last record of the previous page, and every page comes sorted by it.
PAPERS_PAGE = """
MATCH (n:Paper)
WHERE __KEY__ > $after
WITH n
ORDER BY __KEY__
LIMIT $limit
RETURN __KEY__ AS page_key, properties(n) AS props
ORDER BY page_key
"""

ENTITIES_PAGE = """
MATCH (n:Entity)
WHERE __KEY__ > $after
WITH n
ORDER BY __KEY__
LIMIT $limit
RETURN __KEY__ AS page_key, n.id AS id, labels(n) AS labels, n.name AS name, n.aliases AS aliases
ORDER BY page_key
"""

# One row per source node at least (OPTIONAL MATCH), so a page of edgeless nodes still advances.
RELATIONS_PAGE = """
MATCH (n:__LABEL__)
WHERE __KEY__ > $after
WITH n
ORDER BY __KEY__
LIMIT $limit
OPTIONAL MATCH (n)-[r]->(b:Entity)
RETURN __KEY__ AS page_key, n.id AS source, type(r) AS type, b.id AS target, r.count AS count,
       r.evidence_sentences AS sentences, r.evidence_starts AS starts, r.evidence_ends AS ends
ORDER BY page_key
"""

PAPER_COUNT = """
MATCH (e:Entity {id: $id})
RETURN e.paper_count AS paper_count
"""

COUNT_NODES = "MATCH (n:__LABEL__) RETURN count(n) AS n"
COUNT_RELATIONSHIPS = "MATCH ()-[r:__TYPE__]->() RETURN count(r) AS n"


def for_label(template: str, label: str) -> str:
    """`template` with its label slot filled by `Paper`, `Entity` or an `EntityType` value."""
    allowed = {PAPER_LABEL, ENTITY_LABEL, *(t.value for t in EntityType)}
    if label not in allowed:
        raise ValueError(f"{label!r} is not a paperkg node label")
    return template.replace(LABEL_SLOT, label)


def for_entity_type(template: str, entity_type: EntityType) -> str:
    """`template` with its label slot filled from the closed `EntityType` set."""
    return template.replace(LABEL_SLOT, EntityType(entity_type).value)


def for_relation_type(template: str, relation_type: RelationType) -> str:
    """`template` with its relationship-type slot filled from the closed `RelationType` set."""
    return template.replace(TYPE_SLOT, RelationType(relation_type).value)


def for_page_key(template: str, page_key: str) -> str:
    """`template` with its page-key slot filled by one of `PAGE_KEYS`."""
    if page_key not in PAGE_KEYS:
        raise ValueError(f"{page_key!r} is not a page key; expected one of {PAGE_KEYS}")
    return template.replace(KEY_SLOT, page_key)
