"""The entities of a corpus without its edges: what resolution reads and changes, for graphs too large to hold.

A NetworkX store holds about 8 KB per paper, so a million papers need about 10 GB before resolution starts.
Resolution itself reads only the entities, how many papers link each, and (once, for names) the spellings
papers write. `EntityTable` keeps the entities and, per entity, the papers that link it; it merges and renames
them exactly as `NetworkXStore` does, and records each round's merges so that a later pass over the paper
graphs can fold every paper's edges into the survivors as the store would have (`folded_edges`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain

from paperkg.graph.cypher.results import final_survivors
from paperkg.graph.merging import merge_steps
from paperkg.graph.networkx_store import (
    add_spellings,
    entity_to_node,
    fold_edge_data,
    node_to_entity,
    relation_edge_data,
    rename_node,
)
from paperkg.graph.schema import Entity, Evidence, PaperGraph, Relation, RelationType

Edges = dict[tuple[str, str], dict]  # (target id, relation type) -> edge data, as the store keeps it


class EntityTable:
    """Entities by id (`nodes`: label, name, aliases, as the store's nodes), the papers linking each (`papers`:
    paper numbers), the merge steps of each resolution round (`rounds`) and the entity → entity relations
    resolution wrote (`entity_relations`)."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict] = {}
        self.papers: dict[str, set[int]] = {}
        self.rounds: list[list[tuple[str, str]]] = []
        self.entity_relations: dict[tuple[str, str, str], Relation] = {}
        self._paper_ids: set[str] = set()

    def add(self, item: PaperGraph) -> None:
        """Take in one paper graph: its entities merged into those seen (aliases as the store merges them), the
        paper counted for every entity it links."""
        paper_id = item.paper.id
        if paper_id in self._paper_ids:
            raise ValueError(
                f"paper {paper_id} comes twice; the paper graphs of one build hold each paper once"
            )
        self._paper_ids.add(paper_id)
        paper = len(self._paper_ids)
        for entity in item.entities:
            if entity.id in self.nodes:
                add_spellings(self.nodes[entity.id], entity.name, entity.aliases)
            else:
                self.nodes[entity.id] = entity_to_node(entity)
        for relation in item.relations:
            if relation.source_id != paper_id:
                raise ValueError(
                    f"paper {paper_id}: a relation from {relation.source_id}, not from the paper"
                )
            if relation.type is not RelationType.VARIANT_OF:
                self.papers.setdefault(relation.target_id, set()).add(paper)

    # --- what resolution reads and changes (`paperkg.graph.resolution.ResolvableStore`) ---------------------
    def entities(self) -> Iterator[Entity]:
        for entity_id, data in self.nodes.items():
            yield node_to_entity(entity_id, data)

    def paper_counts(self) -> dict[str, int]:
        """Distinct papers linking each entity (`resolution.paper_counts` of the store's relations)."""
        return {entity_id: len(papers) for entity_id, papers in self.papers.items() if papers}

    def merge_entities(self, plan: Mapping[str, str]) -> int:
        """`NetworkXStore.merge_entities` on the entities: papers and spellings go to the survivor."""
        steps = merge_steps(
            plan, [entity_id for entity_id in plan.keys() | plan.values() if entity_id in self.nodes]
        )
        for old, new in steps:
            self.papers.setdefault(new, set()).update(self.papers.pop(old, ()))
            gone = self.nodes.pop(old)
            add_spellings(self.nodes[new], gone["name"], gone["aliases"])
        if steps:
            self.rounds.append(steps)
        return len(steps)

    def rename_entities(self, names: Mapping[str, str]) -> int:
        return sum(rename_node(self.nodes[i], name) for i, name in names.items() if i in self.nodes)

    def write_entity_relations(self, relations: Iterable[Relation]) -> None:
        for relation in relations:
            if relation.source_id in self.nodes and relation.target_id in self.nodes:
                self.entity_relations[(relation.source_id, relation.target_id, relation.type.value)] = (
                    relation
                )

    # --- what a pass over the paper graphs needs ----------------------------------------------------------
    def round_moves(self) -> list[dict[str, tuple[int, str]]]:
        """Per round, `{merged id: (its step's position, survivor id)}`."""
        return [{old: (position, new) for position, (old, new) in enumerate(steps)} for steps in self.rounds]

    def final_ids(self) -> dict[str, str]:
        """`{merged id: the id it ends in}` over all rounds."""
        return final_survivors(chain.from_iterable(self.rounds))


def folded_edges(item: PaperGraph, round_moves: Sequence[Mapping[str, tuple[int, str]]]) -> Edges:
    """A paper's edges as a store holds them after resolution: written (a repeated edge's data replaces the
    earlier), then each round's merges applied in step order, an edge to a merged entity folded into the
    survivor's edge of its type (`fold_edge_data`)."""
    edges: Edges = {}
    for relation in item.relations:
        data = relation_edge_data(relation)
        edges[(relation.target_id, relation.type.value)] = {**data, "evidence": tuple(data["evidence"])}
    for moves in round_moves:
        for _, old in sorted(
            (moves[target][0], target) for target in {t for t, _ in edges} if target in moves
        ):
            new = moves[old][1]
            for key in [key for target, key in edges if target == old]:
                data = edges.pop((old, key))
                if (new, key) in edges:
                    fold_edge_data(edges[(new, key)], data)
                else:
                    edges[(new, key)] = data
    return edges


def mentions_relations(
    graphs: Iterable[PaperGraph], round_moves: Sequence[Mapping[str, tuple[int, str]]]
) -> Iterator[Relation]:
    """Every paper's MENTIONS edges after the merges, as relations (what `written_spellings` reads)."""
    mentions = RelationType.MENTIONS.value
    for item in graphs:
        for (target, key), data in folded_edges(item, round_moves).items():
            if key == mentions:
                yield Relation.model_construct(
                    source_id=item.paper.id,
                    target_id=target,
                    type=RelationType.MENTIONS,
                    count=data["count"],
                    evidence=tuple(Evidence.model_construct(**e) for e in data["evidence"]),
                )
