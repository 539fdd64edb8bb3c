"""The store interface every backend implements (NetworkX, Neo4j, FalkorDB)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

from pydantic import BaseModel

from paperkg.graph.schema import Entity, Paper, PaperGraph, Relation


class GraphCounts(BaseModel):
    """Node and edge counts by label / relation type."""

    nodes: dict[str, int]
    relationships: dict[str, int]

    @property
    def total_nodes(self) -> int:
        return sum(self.nodes.values())

    @property
    def total_relationships(self) -> int:
        return sum(self.relationships.values())


@runtime_checkable
class GraphStore(Protocol):
    """Write papers with their entities and edges; read them back.

    Writing a paper replaces every edge that paper had before, so re-running a build or a load
    never duplicates anything and a changed paper leaves no stale edges. Entities are merged by id
    (aliases united).
    """

    def write(self, papers: Iterable[PaperGraph]) -> None: ...

    def write_entity_relations(self, relations: Iterable[Relation]) -> None: ...

    def papers(self) -> Iterator[Paper]: ...

    def entities(self) -> Iterator[Entity]: ...

    def relations(self) -> Iterator[Relation]: ...

    def counts(self) -> GraphCounts: ...

    def close(self) -> None: ...
