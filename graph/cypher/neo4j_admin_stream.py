"""Bulk path for graphs too large to hold: paper graphs → resolution → CSV files for `neo4j-admin`, streamed.

`export_neo4j_admin` reads a NetworkX store, which holds about 8 KB per paper (10 GB for a million papers).
`export_paper_graphs` reads the paper graphs (a build's shard files) three times instead and holds only an
`EntityTable`, the entities and the papers linking each:

1. every paper's entities and links → corpus-wide resolution (`apply_resolution` on the table);
2. every paper's MENTIONS evidence, folded into the survivors → the spellings that name each entity;
3. every paper's rows, its edges and results pointed at the survivors, written straight to the files; the
   entities and the VARIANT_OF edges last.

The files hold the rows `export_neo4j_admin` writes for a store the same paper graphs were written to and
resolved in (tested), in another order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from paperkg.extract.resolve import written_spellings
from paperkg.graph.cypher.neo4j_admin import (
    ENTITIES_FILE,
    ENTITY_RELATIONS_FILE,
    PAPER_RELATIONS_FILE,
    PAPERS_FILE,
    RESULT_RELATIONS_FILE,
    RESULT_REPORTS_FILE,
    RESULTS_FILE,
    ExportFiles,
    Neo4jAdminExport,
    entity_row,
    paper_row,
    relation_row,
    result_id,
    result_role_rows_of,
    result_row,
)
from paperkg.graph.cypher.results import REPORTS, RESULT_LABEL, point_roles_at_survivors
from paperkg.graph.entity_table import EntityTable, folded_edges, mentions_relations
from paperkg.graph.networkx_store import PAPER_LABEL, paper_to_node
from paperkg.graph.resolution import ResolutionSummary, apply_resolution
from paperkg.graph.schema import PaperGraph, results_of_paper
from paperkg.graph.store import GraphCounts


def resolve_paper_graphs(graphs: Callable[[], Iterable[PaperGraph]]) -> tuple[EntityTable, ResolutionSummary]:
    """The corpus's entities resolved as a store resolves them; `graphs()` gives the paper graphs (a fresh
    pass each call)."""
    table = EntityTable()
    for item in graphs():
        table.add(item)
    summary = apply_resolution(
        table,
        counts=table.paper_counts,
        spellings=lambda entities: written_spellings(
            entities, mentions_relations(graphs(), table.round_moves())
        ),
    )
    return table, summary


def export_paper_graphs(
    graphs: Callable[[], Iterable[PaperGraph]], directory: str | Path
) -> tuple[Neo4jAdminExport, ResolutionSummary]:
    """Resolve the paper graphs corpus-wide and write them as neo4j-admin CSV files into `directory`."""
    table, summary = resolve_paper_graphs(graphs)
    return write_resolved(table, graphs(), directory), summary


def write_resolved(
    table: EntityTable, graphs: Iterable[PaperGraph], directory: str | Path
) -> Neo4jAdminExport:
    """Write the paper graphs `table` was resolved from as neo4j-admin CSV files, pointed at the survivors."""
    moves, final = table.round_moves(), table.final_ids()
    nodes: Counter[str] = Counter(data["label"] for data in table.nodes.values())
    relationships: Counter[str] = Counter(key for _, _, key in table.entity_relations)
    files = ExportFiles(directory)
    try:
        for item in graphs:
            paper_id = item.paper.id
            files.write(PAPERS_FILE, [paper_row(paper_id, paper_to_node(item.paper))])
            edges = folded_edges(item, moves)
            relationships.update(key for _, key in edges)
            files.write(
                PAPER_RELATIONS_FILE,
                (
                    relation_row(paper_id, target, key, data["count"], data["evidence"])
                    for (target, key), data in edges.items()
                ),
            )
            results = [
                point_roles_at_survivors(r.model_dump(mode="json", exclude={"id"}), final)
                for r in results_of_paper(item)
            ]
            files.write(RESULTS_FILE, (result_row(paper_id, r) for r in results))
            files.write(RESULT_REPORTS_FILE, ((paper_id, result_id(paper_id, r), REPORTS) for r in results))
            nodes.update({PAPER_LABEL: 1, RESULT_LABEL: len(results)})
            relationships[REPORTS] += len(results)
            for r in results:
                roles = list(result_role_rows_of(paper_id, r, table.nodes))
                relationships.update(edge_type for _, _, edge_type in roles)
                files.write(RESULT_RELATIONS_FILE, roles)
        files.write(
            ENTITIES_FILE,
            (
                entity_row(
                    entity_id,
                    data["label"],
                    data["name"],
                    data["aliases"],
                    len(table.papers.get(entity_id, ())),
                )
                for entity_id, data in table.nodes.items()
            ),
        )
        files.write(
            ENTITY_RELATIONS_FILE,
            (
                relation_row(source, target, key, relation.count, [e.model_dump() for e in relation.evidence])
                for (source, target, key), relation in table.entity_relations.items()
            ),
        )
    finally:
        export = files.close()
    counted = GraphCounts(
        nodes={label: n for label, n in sorted(nodes.items()) if n},
        relationships={key: n for key, n in sorted(relationships.items()) if n},
    )
    return export.model_copy(update={"graph": counted})
