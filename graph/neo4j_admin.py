"""Bulk path: a NetworkX graph → CSV files for `neo4j-admin database import full`.

Rows stream straight from the NetworkX graph to the files (no copy of the graph, no model objects).
Papers and entities live in two id spaces (`id:ID(Paper)`, `id:ID(Entity)`), so the `id` property is
kept and the same uniqueness constraints apply after import. Arrays use U+001F (unit separator) as
delimiter, a character that never occurs in text (it is replaced by a space if it does); fields may
span lines (abstracts), hence `--multiline-fields=true`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from paperkg.graph.cypher import ENTITY_LABEL, PAPER_LABEL
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.schema import RelationType

ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"

PAPERS_FILE = "papers.csv"
ENTITIES_FILE = "entities.csv"
PAPER_RELATIONS_FILE = "paper_relations.csv"
ENTITY_RELATIONS_FILE = "entity_relations.csv"

PAPER_HEADER = (
    "id:ID(Paper)",
    ":LABEL",
    "title",
    "abstract",
    "source",
    "source_id",
    "line:int",
    "url",
    "date",
    "authors:string[]",
    "categories:string[]",
)
ENTITY_HEADER = ("id:ID(Entity)", ":LABEL", "name", "aliases:string[]", "paper_count:int")
_EDGE_PROPERTIES = (
    "count:int",
    "evidence_sentences:string[]",
    "evidence_starts:int[]",
    "evidence_ends:int[]",
)
PAPER_RELATION_HEADER = (":START_ID(Paper)", ":END_ID(Entity)", ":TYPE", *_EDGE_PROPERTIES)
ENTITY_RELATION_HEADER = (":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", *_EDGE_PROPERTIES)


class Neo4jAdminExport(BaseModel):
    """What `export_neo4j_admin` wrote."""

    directory: str
    files: list[str]
    nodes: int
    relationships: int

    @property
    def records(self) -> int:
        return self.nodes + self.relationships


def array_field(values) -> str:
    """A list property as one CSV field: elements joined by the array delimiter."""
    return ARRAY_DELIMITER.join(str(v).replace(ARRAY_DELIMITER, " ") for v in values)


def paper_csv_rows(store: NetworkXStore) -> Iterator[tuple]:
    for node, data in store.graph.nodes(data=True):
        if data.get("label") == PAPER_LABEL:
            yield (
                node,
                PAPER_LABEL,
                data.get("title"),
                data.get("abstract"),
                data.get("source"),
                data.get("source_id"),
                data.get("line"),
                data.get("url"),
                data.get("date"),
                array_field(data.get("authors") or ()),
                array_field(data.get("categories") or ()),
            )


def entity_csv_rows(store: NetworkXStore) -> Iterator[tuple]:
    graph = store.graph
    nodes = graph.nodes
    for node, data in nodes(data=True):
        label = data.get("label")
        if label != PAPER_LABEL:
            papers = sum(1 for p in graph.predecessors(node) if nodes[p].get("label") == PAPER_LABEL)
            labels = array_field((ENTITY_LABEL, label))
            yield (node, labels, data["name"], array_field(data.get("aliases") or ()), papers)


def relation_csv_rows(store: NetworkXStore, *, from_papers: bool) -> Iterator[tuple]:
    """Paper → entity edges (`from_papers`) or entity → entity edges."""
    nodes = store.graph.nodes
    for source, target, key, data in store.graph.edges(keys=True, data=True):
        if (nodes[source].get("label") == PAPER_LABEL) is not from_papers:
            continue
        evidence = data.get("evidence") or ()
        yield (
            source,
            target,
            RelationType(key).value,
            data.get("count", 1),
            array_field(e["sentence"] for e in evidence),
            array_field(e["start"] for e in evidence),
            array_field(e["end"] for e in evidence),
        )


def export_neo4j_admin(store: NetworkXStore, directory: str | Path) -> Neo4jAdminExport:
    """Write papers.csv, entities.csv, paper_relations.csv and entity_relations.csv into `directory`."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    written = {
        PAPERS_FILE: _write_rows(target / PAPERS_FILE, PAPER_HEADER, paper_csv_rows(store)),
        ENTITIES_FILE: _write_rows(target / ENTITIES_FILE, ENTITY_HEADER, entity_csv_rows(store)),
        PAPER_RELATIONS_FILE: _write_rows(
            target / PAPER_RELATIONS_FILE, PAPER_RELATION_HEADER, relation_csv_rows(store, from_papers=True)
        ),
        ENTITY_RELATIONS_FILE: _write_rows(
            target / ENTITY_RELATIONS_FILE,
            ENTITY_RELATION_HEADER,
            relation_csv_rows(store, from_papers=False),
        ),
    }
    return Neo4jAdminExport(
        directory=str(target),
        files=list(written),
        nodes=written[PAPERS_FILE] + written[ENTITIES_FILE],
        relationships=written[PAPER_RELATIONS_FILE] + written[ENTITY_RELATIONS_FILE],
    )


def _write_rows(path: Path, header: tuple, rows: Iterator[tuple]) -> int:
    """Stream rows under a header into a CSV file; returns how many rows (not counting the header)."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def import_command(directory: str = "/import", database: str = "neo4j") -> str:
    """The `neo4j-admin` command that imports an export (Neo4j stopped; files under `directory`)."""
    return " ".join(
        (
            f"neo4j-admin database import full {database} --overwrite-destination",
            f"--array-delimiter={ARRAY_DELIMITER_OPTION} --multiline-fields=true",
            f"--nodes={directory}/{PAPERS_FILE}",
            f"--nodes={directory}/{ENTITIES_FILE}",
            f"--relationships={directory}/{PAPER_RELATIONS_FILE}",
            f"--relationships={directory}/{ENTITY_RELATIONS_FILE}",
        )
    )
