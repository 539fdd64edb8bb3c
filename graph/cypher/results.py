"""Results in a Cypher graph: `(:Paper)-[:REPORTS]->(:Result)-[:SYSTEM|BENCHMARK|METRIC|BASELINE]->(:Entity)`.

A `Result` node holds `{id, value, number, unit, kind, sentence, start, end, system, benchmark, metric,
baseline}` (the role strings as written); which entities it refers to are its role edges, so merging two
entities moves those edges and nothing in the node goes stale. Writing a paper deletes its old results and
creates the new ones in the same unit of work, so a re-ingest never duplicates them. Data only in parameters;
the role edge type fills a `__TYPE__` slot from the closed `RESULT_ROLE_TYPES`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from paperkg.graph.schema import ENTITY_ROLES, Result

RESULT_LABEL = "Result"
REPORTS = "REPORTS"
RESULT_ROLE_TYPES = {role: role.upper() for role in ENTITY_ROLES}  # system → SYSTEM, …
_TYPE_SLOT = "__TYPE__"
_NODE_FIELDS = ("value", "number", "unit", "kind", "sentence", "start", "end", *ENTITY_ROLES)

# ids: papers of a batch; which of them have results now (only those need their results deleted first).
PAPERS_WITH_RESULTS = """
UNWIND $ids AS id
MATCH (p:Paper {id: id})-[:REPORTS]->(:Result)
RETURN DISTINCT p.id AS id
"""

# ids: papers whose results are replaced (or deleted with them).
DELETE_RESULTS_OF_PAPERS = """
UNWIND $ids AS id
MATCH (:Paper {id: id})-[:REPORTS]->(r:Result)
DETACH DELETE r
"""

# rows: [{paper_id, props}]
CREATE_RESULTS = """
UNWIND $rows AS row
MATCH (p:Paper {id: row.paper_id})
CREATE (p)-[:REPORTS]->(r:Result)
SET r = row.props
"""

# rows: [{id, target}] of one role: result id → entity id.
CREATE_RESULT_ROLES = """
UNWIND $rows AS row
MATCH (r:Result {id: row.id})
MATCH (e:Entity {id: row.target})
CREATE (r)-[:__TYPE__]->(e)
"""

# rows: [{old, new}]: role edges of merged entities move to their final survivor.
MOVE_RESULT_ROLES = """
UNWIND $rows AS row
MATCH (r:Result)-[x:__TYPE__]->(:Entity {id: row.old})
MATCH (e:Entity {id: row.new})
CREATE (r)-[:__TYPE__]->(e)
DELETE x
"""

RESULTS_PAGE = """
MATCH (n:Result)
WHERE __KEY__ > $after
WITH n
ORDER BY __KEY__
LIMIT $limit
OPTIONAL MATCH (p:Paper)-[:REPORTS]->(n)
OPTIONAL MATCH (n)-[:SYSTEM]->(s:Entity)
OPTIONAL MATCH (n)-[:BENCHMARK]->(b:Entity)
OPTIONAL MATCH (n)-[:METRIC]->(m:Entity)
OPTIONAL MATCH (n)-[:BASELINE]->(c:Entity)
RETURN __KEY__ AS page_key, properties(n) AS props, p.id AS paper_id, s.id AS system_id,
       b.id AS benchmark_id, m.id AS metric_id, c.id AS baseline_id
ORDER BY page_key
"""

COUNT_RESULTS = "MATCH (n:Result) RETURN count(n) AS n"
COUNT_REPORTS = "MATCH (:Paper)-[r:REPORTS]->(:Result) RETURN count(r) AS n"
COUNT_ROLE_EDGES = "MATCH (:Result)-[r:__TYPE__]->() RETURN count(r) AS n"


def for_role(template: str, role: str) -> str:
    """`template` with its relationship-type slot filled by a role's edge type (SYSTEM, …)."""
    return template.replace(_TYPE_SLOT, RESULT_ROLE_TYPES[role])


def result_props(result: Result) -> dict:
    """The node properties of a result: its id and fields, None left out (roles as written)."""
    props = {"id": result.id}
    for name in _NODE_FIELDS:
        value = getattr(result, name)
        if value is not None:
            props[name] = value.value if name == "kind" else value
    return props


def result_write_statements(replaced: Sequence[str], results: Iterable[Result]) -> list[tuple[str, dict]]:
    """Delete the results of the papers in `replaced` (those that have some, see PAPERS_WITH_RESULTS), then
    create `results`: their nodes, REPORTS edges and role edges."""
    results = list(results)
    statements: list[tuple[str, dict]] = []
    if replaced:
        statements.append((DELETE_RESULTS_OF_PAPERS, {"ids": sorted(replaced)}))
    if results:
        rows = [{"paper_id": r.paper_id, "props": result_props(r)} for r in results]
        statements.append((CREATE_RESULTS, {"rows": rows}))
        for role in ENTITY_ROLES:
            edges = [
                {"id": r.id, "target": getattr(r, f"{role}_id")} for r in results if getattr(r, f"{role}_id")
            ]
            if edges:
                statements.append((for_role(CREATE_RESULT_ROLES, role), {"rows": edges}))
    return statements


def move_role_statements(final: dict[str, str]) -> list[tuple[str, dict]]:
    """Move every role edge of a merged entity to its final survivor (`{merged id: survivor id}`)."""
    rows = [{"old": old, "new": new} for old, new in sorted(final.items())]
    return [(for_role(MOVE_RESULT_ROLES, role), {"rows": rows}) for role in ENTITY_ROLES] if rows else []


def record_to_result(record: dict) -> Result:
    """A `Result` from a RESULTS_PAGE record."""
    props = {k: v for k, v in record["props"].items() if k != "id"}
    ids = {f"{role}_id": record.get(f"{role}_id") for role in ENTITY_ROLES}
    return Result(paper_id=record.get("paper_id") or "", **props, **ids)


def final_survivors(steps: Iterable[tuple[str, str]]) -> dict[str, str]:
    """`{merged id: the id it ends in}` after applying `steps` in order (a → b, b → c gives a → c). Linear: the
    ids merged into each survivor so far are kept, so a step moves them without scanning every earlier one.

    >>> final_survivors([("a", "b"), ("b", "c"), ("x", "y")])
    {'a': 'c', 'b': 'c', 'x': 'y'}
    """
    final: dict[str, str] = {}
    merged_into: dict[str, list[str]] = {}
    for old, new in steps:
        moved = merged_into.pop(old, [])
        for merged in moved:
            final[merged] = new
        final[old] = new
        merged_into.setdefault(new, []).extend([*moved, old])
    return final


def point_roles_at_survivors(result: dict, final: Mapping[str, str]) -> dict:
    """A stored result's role ids (`system_id`, ...) pointed at the entities they were merged into (`final`, as
    `final_survivors` gives it); changed in place and returned."""
    for role in RESULT_ROLE_TYPES:
        if (entity_id := result.get(f"{role}_id")) in final:
            result[f"{role}_id"] = final[entity_id]
    return result
