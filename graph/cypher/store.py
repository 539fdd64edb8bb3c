"""`GraphStore` on a Cypher server (Neo4j 5 or FalkorDB), through a `CypherSession`.

Graph model: `(:Paper {id, title, abstract, source, …})`, `(:Entity:<Type> {id, name, aliases,
paper_count})`, paper → entity edges MENTIONS / PROPOSES / EVALUATES_ON / COMPARES_WITH / USES and
entity → entity VARIANT_OF, each with `count` and evidence as parallel lists; results as
`(:Paper)-[:REPORTS]->(:Result)-[:SYSTEM|…]->(:Entity)` (`paperkg.graph.cypher.results`). Papers are written in
batches of `batch_size`, one unit of work each; writing the same input again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import islice

from paperkg.graph.cypher.merge import merge_statements, neighbours
from paperkg.graph.cypher.queries import (
    COUNT_NODES,
    COUNT_RELATIONSHIPS,
    DELETE_PAPERS,
    EDGES_INTO,
    EDGES_OUT_OF,
    ENTITIES_BY_ID,
    ENTITIES_PAGE,
    ENTITY_LABEL,
    EXISTING_PAPERS,
    MARK_TARGETS_OF_PAPERS,
    PAPER_COUNT,
    PAPER_LABEL,
    PAPERS_PAGE,
    RELATIONS_PAGE,
    SET_ENTITY_NAMES,
    SETTLE_STALE,
    for_label,
    for_page_key,
    for_relation_type,
)
from paperkg.graph.cypher.results import (
    COUNT_REPORTS,
    COUNT_RESULTS,
    COUNT_ROLE_EDGES,
    DELETE_RESULTS_OF_PAPERS,
    PAPERS_WITH_RESULTS,
    REPORTS,
    RESULT_LABEL,
    RESULT_ROLE_TYPES,
    RESULTS_PAGE,
    for_role,
    record_to_result,
)
from paperkg.graph.cypher.rows import (
    PreparedBatch,
    batch_statements,
    entity_relation_statements,
    prepare_batch,
    record_to_entity,
    record_to_paper,
    record_to_relation,
)
from paperkg.graph.cypher.session import CypherSession
from paperkg.graph.merging import merge_steps
from paperkg.graph.schema import Entity, EntityType, Paper, PaperGraph, Relation, RelationType, Result
from paperkg.graph.store import GraphCounts

_RELATION_TYPES = frozenset(t.value for t in RelationType)
DEFAULT_BATCH_SIZE = 500
PAGE_SIZE = 5000


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class CypherStore:
    """Papers, entities and edges in a Cypher graph; the session decides which server."""

    def __init__(
        self, session: CypherSession, *, batch_size: int = DEFAULT_BATCH_SIZE, page_size: int = PAGE_SIZE
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch size must be at least 1, not {batch_size}")
        self.session = session
        self.batch_size = batch_size
        self.page_size = page_size
        session.ensure_schema()

    @property
    def uri(self) -> str:
        return self.session.uri

    # --- writing -----------------------------------------------------------------------------
    def write(self, papers: Iterable[PaperGraph]) -> None:
        """Batches go to the server one after another; the next one is prepared while the last is written."""
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="paperkg-write") as writer:
            running = None
            for batch in _batches(papers, self.batch_size):
                prepared = prepare_batch(batch)
                if running is not None:
                    running.result()  # in order, and the first failure stops the load
                running = writer.submit(self._write_batch, prepared)
            if running is not None:
                running.result()

    def _write_batch(self, batch: PreparedBatch) -> None:
        """One batch; which papers exist is asked here, after the previous batch is written."""
        ids = [row["id"] for row in batch.papers]
        existing = {r["id"] for r in self.session.read(EXISTING_PAPERS, {"ids": ids})}
        with_results = (
            {r["id"] for r in self.session.read(PAPERS_WITH_RESULTS, {"ids": ids})} if existing else ()
        )
        self.session.write(batch_statements(batch, new_papers=set(ids) - existing, with_results=with_results))

    def write_entity_relations(self, relations: Iterable[Relation]) -> None:
        for batch in _batches(relations, self.batch_size):
            self.session.write(entity_relation_statements(batch))

    def delete_papers(self, paper_ids: Iterable[str]) -> int:
        """Remove papers and the entities left with no paper; returns how many papers were removed."""
        removed = 0
        for batch in _batches(dict.fromkeys(paper_ids), self.batch_size):
            results = self.session.write(
                [(DELETE_RESULTS_OF_PAPERS, {"ids": batch})]
                + [(MARK_TARGETS_OF_PAPERS, {"ids": batch}), (DELETE_PAPERS, {"ids": batch})]
                + [(query, {}) for query in SETTLE_STALE]
            )
            removed += results[2][0]["deleted"] if results[2] else 0
        return removed

    def merge_entities(self, plan: Mapping[str, str]) -> int:
        """Fold each entity of `plan` ({merged id: surviving id}) into its survivor; returns how many merged.

        The same merges as `NetworkXStore.merge_entities` (see `paperkg.graph.merging`), applied in chunks of
        `batch_size` steps, each one unit of work; running a plan again merges nothing.
        """
        ids = sorted(plan.keys() | plan.values())
        present = {e.id for batch in _batches(ids, self.page_size) for e in self._entities_by_id(batch)}
        steps = merge_steps(plan, present)
        for chunk in _batches(steps, self.batch_size):
            self._merge_chunk(chunk)
        return len(steps)

    def rename_entities(self, names: Mapping[str, str]) -> int:
        """Give entities new names (`{id: name}`), the old name kept as an alias, as `NetworkXStore` does."""
        renamed = 0
        for batch in _batches(sorted(names), self.batch_size):
            rows = []
            for entity in self._entities_by_id(batch):
                name = names[entity.id]
                if name != entity.name:
                    spellings = {*entity.aliases, entity.name}
                    rows.append({"id": entity.id, "name": name, "aliases": sorted(spellings - {name})})
            if rows:
                self.session.write([(SET_ENTITY_NAMES, {"rows": rows})])
                renamed += len(rows)
        return renamed

    def _merge_chunk(self, steps: Sequence[tuple[str, str]]) -> None:
        merged = [old for old, _ in steps]
        involved = sorted({*merged, *(new for _, new in steps)})
        edges = self._edges_of([{"id": old, "all": True, "others": []} for old in merged])
        others = sorted(neighbours(edges) | set(involved))
        survivors = [{"id": i, "all": False, "others": others} for i in involved if i not in set(merged)]
        edges += self._edges_of(survivors)
        self.session.write(merge_statements(self._entities_by_id(involved), edges, steps))

    def _entities_by_id(self, ids: list[str]) -> list[Entity]:
        return [record_to_entity(r) for r in self.session.read(ENTITIES_BY_ID, {"ids": ids})]

    def _edges_of(self, rows: list[dict]) -> list[Relation]:
        """Edges into and out of the entities of `rows` (`{id, all, others}`, see EDGES_INTO)."""
        if not rows:
            return []
        records = self.session.read(EDGES_INTO, {"rows": rows}) + self.session.read(
            EDGES_OUT_OF, {"rows": rows}
        )
        # a result's role edges into an entity are moved by merge_statements, not read as relations
        return [record_to_relation(r) for r in records if r["type"] in _RELATION_TYPES]

    # --- reading -----------------------------------------------------------------------------
    def _pages(self, template: str) -> Iterator[dict]:
        """Every record of a keyset-paged query (pages of `page_size` nodes, by the session's page key)."""
        query = for_page_key(template, self.session.page_key)
        after = self.session.first_page_after
        while records := self.session.read(query, {"after": after, "limit": self.page_size}):
            yield from records
            after = records[-1]["page_key"]

    def papers(self) -> Iterator[Paper]:
        for record in self._pages(PAPERS_PAGE):
            yield record_to_paper(record["props"])

    def entities(self) -> Iterator[Entity]:
        for record in self._pages(ENTITIES_PAGE):
            yield record_to_entity(record)

    def relations(self) -> Iterator[Relation]:
        for label in (PAPER_LABEL, ENTITY_LABEL):
            for record in self._pages(for_label(RELATIONS_PAGE, label)):
                if record["type"] is not None:
                    yield record_to_relation(record)

    def results(self) -> Iterator[Result]:
        for record in self._pages(RESULTS_PAGE):
            yield record_to_result(record)

    def paper_count(self, entity_id: str) -> int:
        """Distinct papers linked to an entity (its stored `paper_count`); 0 when there is no such entity."""
        records = self.session.read(PAPER_COUNT, {"id": entity_id})
        return int(records[0]["paper_count"] or 0) if records else 0

    def counts(self) -> GraphCounts:
        nodes = {}
        for label in (PAPER_LABEL, *(t.value for t in EntityType)):
            if n := self.session.read(for_label(COUNT_NODES, label))[0]["n"]:
                nodes[label] = n
        relationships = {}
        for relation_type in RelationType:
            if n := self.session.read(for_relation_type(COUNT_RELATIONSHIPS, relation_type))[0]["n"]:
                relationships[relation_type.value] = n
        if n := self.session.read(COUNT_RESULTS)[0]["n"]:
            nodes[RESULT_LABEL] = n
            relationships[REPORTS] = self.session.read(COUNT_REPORTS)[0]["n"]
            for role, edge_type in RESULT_ROLE_TYPES.items():
                if n := self.session.read(for_role(COUNT_ROLE_EDGES, role))[0]["n"]:
                    relationships[edge_type] = n
        return GraphCounts(
            nodes=dict(sorted(nodes.items())), relationships=dict(sorted(relationships.items()))
        )

    def close(self) -> None:
        self.session.close()
