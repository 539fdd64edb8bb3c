"""Schema models ↔ Cypher parameter rows and result records (pure, no database).

Property graphs allow only scalars and lists of scalars as properties, so a relation's evidence is
stored as three parallel lists (`evidence_sentences`, `evidence_starts`, `evidence_ends`) and tuples
become lists. A `Statement` is a query text and its parameters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from paperkg.graph.cypher.queries import (
    CREATE_PAPER_RELATIONS,
    DELETE_STALE_RELATIONS,
    ENTITY_LABEL,
    MERGE_ENTITIES,
    MERGE_ENTITY_RELATIONS,
    MERGE_PAPER_RELATIONS,
    MERGE_PAPERS,
    SETTLE_STALE,
    for_entity_type,
    for_relation_type,
)
from paperkg.graph.cypher.results import result_write_statements
from paperkg.graph.schema import (
    Entity,
    EntityType,
    Evidence,
    Paper,
    PaperGraph,
    Relation,
    RelationType,
    Result,
    results_of_paper,
)

Statement = tuple[str, dict]
_PAPER_FIELDS = tuple(name for name in Paper.model_fields if name != "id")


def paper_row(paper: Paper) -> dict:
    """`{id, props}` for MERGE_PAPERS: every set field; None and empty lists are left out."""
    props: dict = {"id": paper.id}
    for name in _PAPER_FIELDS:
        value = getattr(paper, name)
        if isinstance(value, tuple):
            value = list(value) or None
        if value is not None:
            props[name] = value
    return {"id": paper.id, "props": props}


def entity_rows(entities: Iterable[Entity]) -> dict[EntityType, list[dict]]:
    """One row per entity id, grouped by type; repeats are merged as the NetworkX store merges them."""
    firsts: dict[str, Entity] = {}
    spellings: dict[str, set[str]] = defaultdict(set)
    for entity in entities:
        firsts.setdefault(entity.id, entity)
        spellings[entity.id].update(entity.aliases, (entity.name,))
    grouped: dict[EntityType, list[dict]] = defaultdict(list)
    for entity_id, first in firsts.items():
        aliases = sorted(spellings[entity_id] - {first.name})
        grouped[first.type].append({"id": entity_id, "name": first.name, "aliases": aliases})
    return dict(grouped)


def relation_row(relation: Relation) -> dict:
    return {
        "source": relation.source_id,
        "target": relation.target_id,
        "count": relation.count,
        "sentences": [e.sentence for e in relation.evidence],
        "starts": [e.start for e in relation.evidence],
        "ends": [e.end for e in relation.evidence],
    }


def relation_rows(relations: Iterable[Relation]) -> dict[RelationType, list[dict]]:
    """Rows grouped by relation type (a type is part of the query text, not a parameter)."""
    grouped: dict[RelationType, list[dict]] = defaultdict(list)
    for relation in relations:
        grouped[relation.type].append(relation_row(relation))
    return dict(grouped)


def relation_key(relation_type: RelationType | str, target_id: str) -> str:
    """The `"TYPE entity_id"` key DELETE_STALE_RELATIONS compares against `type(r) + ' ' + e.id`."""
    return f"{RelationType(relation_type).value} {target_id}"


def last_version_per_paper(graphs: Iterable[PaperGraph]) -> list[PaperGraph]:
    """Drop earlier copies of a paper within one batch: the last write of a paper wins."""
    return list({g.paper.id: g for g in graphs}.values())


@dataclass(frozen=True)
class PreparedBatch:
    """A batch of papers as parameter rows, before knowing which papers are new (the costly part)."""

    papers: list[dict]
    entities: dict[EntityType, list[dict]]
    paper_edges: list[tuple[RelationType, dict]]
    keep: list[dict]
    entity_relations: list[Statement]
    results: list[Result] = ()  # type: ignore[assignment]


def prepare_batch(graphs: Sequence[PaperGraph]) -> PreparedBatch:
    """The rows of a batch; the last copy of a paper wins."""
    graphs = last_version_per_paper(graphs)
    own = [[r for r in g.relations if r.source_id == g.paper.id] for g in graphs]
    return PreparedBatch(
        papers=[paper_row(g.paper) for g in graphs],
        entities=entity_rows(e for g in graphs for e in g.entities),
        paper_edges=[(r.type, relation_row(r)) for relations in own for r in relations],
        keep=[
            {"id": g.paper.id, "keep": [relation_key(r.type, r.target_id) for r in relations]}
            for g, relations in zip(graphs, own, strict=True)
        ],
        entity_relations=entity_relation_statements(
            r for g in graphs for r in g.relations if r.source_id != g.paper.id
        ),
        results=[r for g in graphs for r in results_of_paper(g)],
    )


def new_paper_relation_rows(edges: Iterable[tuple[RelationType, dict]]) -> dict[RelationType, list[dict]]:
    """CREATE_PAPER_RELATIONS rows, grouped by relation type (in `RelationType` order) then by entity.

    Each entity's `papers` counts the papers whose pair with it no earlier type's rows hold, so the
    increments of all statements add up to the distinct new (paper, entity) pairs.
    """
    by_type: dict[RelationType, dict[str, dict]] = defaultdict(dict)
    for relation_type, edge in edges:
        rows = by_type[relation_type]
        row = rows.setdefault(edge["target"], {"target": edge["target"], "papers": 0, "edges": []})
        row["edges"].append(edge)
    counted: set[tuple[str, str]] = set()
    grouped = {}
    for relation_type in RelationType:
        if relation_type not in by_type:
            continue
        rows = list(by_type[relation_type].values())
        for row in rows:
            pairs = {(edge["source"], row["target"]) for edge in row["edges"]} - counted
            row["papers"] = len(pairs)
            counted |= pairs
        grouped[relation_type] = rows
    return grouped


def batch_statements(
    batch: PreparedBatch, new_papers: Collection[str] = (), with_results: Collection[str] = ()
) -> list[Statement]:
    """Everything one prepared batch sends, in a kill-safe order (see `paperkg.graph.cypher.queries`).

    `new_papers` are ids with no node in the graph before this batch: their edges are created outright
    (CREATE_PAPER_RELATIONS); every other paper's edges are replaced by DELETE_STALE + MERGE. `with_results`
    are ids of papers that have results in the graph now: those are deleted before the batch's are created.
    """
    if not batch.papers:
        return []
    statements: list[Statement] = [(MERGE_PAPERS, {"rows": batch.papers})]
    for entity_type, rows in batch.entities.items():
        statements.append((for_entity_type(MERGE_ENTITIES, entity_type), {"rows": rows}))
    created = [(t, edge) for t, edge in batch.paper_edges if edge["source"] in new_papers]
    for relation_type, rows in new_paper_relation_rows(created).items():
        statements.append((for_relation_type(CREATE_PAPER_RELATIONS, relation_type), {"rows": rows}))
    keep = [row for row in batch.keep if row["id"] not in new_papers]
    if keep:  # before the MERGEs, which then only touch edges the papers keep or gain
        statements.append((DELETE_STALE_RELATIONS, {"rows": keep}))
    merged: dict[RelationType, list[dict]] = defaultdict(list)
    for relation_type, edge in batch.paper_edges:
        if edge["source"] not in new_papers:
            merged[relation_type].append(edge)
    for relation_type, rows in merged.items():
        statements.append((for_relation_type(MERGE_PAPER_RELATIONS, relation_type), {"rows": rows}))
    statements.extend(batch.entity_relations)
    statements.extend(result_write_statements(list(with_results), batch.results))
    statements.extend((query, {}) for query in SETTLE_STALE)
    return statements


def paper_write_statements(graphs: Sequence[PaperGraph], new_papers: Collection[str] = ()) -> list[Statement]:
    """`batch_statements` of `graphs`; without `new_papers`, every paper takes the replace path."""
    return batch_statements(prepare_batch(graphs), new_papers)


def entity_relation_statements(relations: Iterable[Relation]) -> list[Statement]:
    """MERGE entity → entity edges (VARIANT_OF) whose two ends exist."""
    return [
        (for_relation_type(MERGE_ENTITY_RELATIONS, relation_type), {"rows": rows})
        for relation_type, rows in relation_rows(relations).items()
    ]


# --- records → models ----------------------------------------------------------------------------
def record_to_paper(props: dict) -> Paper:
    """A `Paper` from a node's properties (missing lists and title read as empty)."""
    data = {k: v for k, v in props.items() if k in Paper.model_fields and v is not None}
    data.setdefault("title", "")
    for name in ("authors", "categories"):
        data[name] = tuple(data.get(name) or ())
    return Paper(**data)


def record_to_entity(record: dict) -> Entity:
    """An `Entity` from `{id, labels, name, aliases}`; its type is the label besides Entity."""
    types = [label for label in record["labels"] if label != ENTITY_LABEL]
    if len(types) != 1:
        raise ValueError(
            f"entity {record['id']!r} has labels {record['labels']}, expected Entity and one type"
        )
    return Entity(
        id=record["id"],
        type=EntityType(types[0]),
        name=record["name"],
        aliases=tuple(sorted(record.get("aliases") or ())),
    )


def record_to_relation(record: dict) -> Relation:
    """A `Relation` from `{source, type, target, count, sentences, starts, ends}`."""
    evidence = tuple(
        Evidence(sentence=s, start=a, end=b)
        for s, a, b in zip(
            record.get("sentences") or (), record.get("starts") or (), record.get("ends") or (), strict=True
        )
    )
    return Relation(
        source_id=record["source"],
        target_id=record["target"],
        type=RelationType(record["type"]),
        count=record.get("count") or 1,
        evidence=evidence,
    )
