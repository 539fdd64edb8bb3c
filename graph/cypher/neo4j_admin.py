"""Bulk path: a NetworkX graph → CSV files for `neo4j-admin database import full`.

Rows stream straight from the NetworkX graph to the files (no copy of the graph, no model objects).
Papers, entities and results live in three id spaces (`id:ID(Paper)`, `id:ID(Entity)`, `id:ID(Result)`), so
the `id` property is kept and the same uniqueness constraints apply after import. Arrays use U+001F (unit separator) as
delimiter, a character that never occurs in text (it is replaced by a space if it does). Fields may span
lines (arXiv's wrapped abstracts): then the import needs `--multiline-fields=true`, which makes neo4j-admin parse
each file in one thread, so the export tells whether any field does (`Neo4jAdminExport.multiline_fields`, from
the line ends of each file just written: a C-speed count, cheaper than a Python check of every field) and the
command asks for it only then.
"""

from __future__ import annotations

import csv
from collections.abc import Container, Iterable, Iterator
from itertools import count
from pathlib import Path

from pydantic import BaseModel

from paperkg.graph.cypher.queries import ENTITY_LABEL, PAPER_LABEL
from paperkg.graph.cypher.results import REPORTS, RESULT_LABEL, RESULT_ROLE_TYPES
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.schema import RelationType
from paperkg.graph.store import GraphCounts

ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"

PAPERS_FILE = "papers.csv"
ENTITIES_FILE = "entities.csv"
PAPER_RELATIONS_FILE = "paper_relations.csv"
ENTITY_RELATIONS_FILE = "entity_relations.csv"
RESULTS_FILE = "results.csv"
RESULT_RELATIONS_FILE = "result_relations.csv"

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
RESULT_HEADER = (
    "id:ID(Result)",
    ":LABEL",
    "value",
    "number:double",
    "unit",
    "kind",
    "sentence",
    "start:int",
    "end:int",
    "system",
    "benchmark",
    "metric",
    "baseline",
)
# REPORTS edges (paper → result) and role edges (result → entity) go to two files: each end is resolved in the
# id space its header names.
RESULT_REPORTS_FILE = "result_reports.csv"
RESULT_REPORTS_HEADER = (":START_ID(Paper)", ":END_ID(Result)", ":TYPE")
RESULT_ROLE_HEADER = (":START_ID(Result)", ":END_ID(Entity)", ":TYPE")


class Neo4jAdminExport(BaseModel):
    """What `export_neo4j_admin` wrote."""

    directory: str
    files: list[str]
    nodes: int
    relationships: int
    multiline_fields: bool = True  # some field spans lines: the import needs --multiline-fields=true
    # nodes by label and relationships by type, where the writer counted them
    graph: GraphCounts | None = None

    @property
    def records(self) -> int:
        return self.nodes + self.relationships


_RELATION_TYPES = frozenset(t.value for t in RelationType)


def array_field(values) -> str:
    """A list of strings as one CSV field, elements joined by the array delimiter (never inside one)."""
    joined = ARRAY_DELIMITER.join(values)
    if ARRAY_DELIMITER in joined and joined.count(ARRAY_DELIMITER) >= len(values):
        joined = ARRAY_DELIMITER.join(v.replace(ARRAY_DELIMITER, " ") for v in values)
    return joined


def int_array_field(values) -> str:
    """A list of ints as one CSV field."""
    return ARRAY_DELIMITER.join(map(str, values))


def paper_ids_of(store: NetworkXStore) -> set[str]:
    """Ids of the paper nodes (a set of references to the graph's own strings, not a copy of it)."""
    return {node for node, label in store.graph.nodes(data="label") if label == PAPER_LABEL}


def paper_row(paper_id: str, data: dict) -> tuple:
    """The papers.csv row of a paper node's attributes (`paper_to_node`)."""
    return (
        paper_id,
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


def entity_row(entity_id: str, label: str, name: str, aliases, papers: int) -> tuple:
    """The entities.csv row of an entity linked to `papers` papers."""
    return (entity_id, array_field((ENTITY_LABEL, label)), name, array_field(aliases or ()), papers)


def relation_row(source: str, target: str, key: str, count: int, evidence) -> tuple:
    """The relationship row of one edge; `evidence`: records with sentence, start and end."""
    if key not in _RELATION_TYPES:
        raise ValueError(f"edge {source} → {target} has unknown relation type {key!r}")
    if evidence:
        sentences = array_field([e["sentence"] for e in evidence])
        starts = int_array_field([e["start"] for e in evidence])
        ends = int_array_field([e["end"] for e in evidence])
    else:
        sentences = starts = ends = ""
    return (source, target, key, count, sentences, starts, ends)


def paper_csv_rows(store: NetworkXStore) -> Iterator[tuple]:
    for node, data in store.graph.nodes(data=True):
        if data.get("label") == PAPER_LABEL:
            yield paper_row(node, data)


def entity_csv_rows(store: NetworkXStore, paper_ids: set[str]) -> Iterator[tuple]:
    pred = store.graph._pred  # see relation_csv_rows
    for node, data in store.graph.nodes(data=True):
        label = data.get("label")
        if label != PAPER_LABEL:
            papers = sum(1 for p in pred[node] if p in paper_ids)
            yield entity_row(node, label, data["name"], data.get("aliases"), papers)


def relation_csv_rows(store: NetworkXStore, paper_ids: set[str], *, from_papers: bool) -> Iterator[tuple]:
    """Paper → entity edges (`from_papers`) or entity → entity edges."""
    # the graph's own adjacency dicts: the read-only views cost several times more per edge
    for source, targets in store.graph._succ.items():
        if (source in paper_ids) is not from_papers:
            continue
        for target, edges in targets.items():
            for key, data in edges.items():
                yield relation_row(source, target, key, data.get("count", 1), data.get("evidence"))


def _stored_results(store: NetworkXStore) -> Iterator[tuple[str, dict]]:
    """`(paper id, result fields)` of every result kept beside the graph (see `NetworkXStore`)."""
    for paper_id, results in store.graph.graph.get("results", {}).items():
        for result in results:
            yield paper_id, result


def result_id(paper_id: str, result: dict) -> str:
    return f"{paper_id}#r{result['start']}-{result['end']}"  # as `Result.id`


def result_row(paper_id: str, r: dict) -> tuple:
    """The results.csv row of one stored result's fields."""
    return (
        result_id(paper_id, r),
        RESULT_LABEL,
        r["value"],
        r["number"],
        r["unit"],
        r["kind"],
        r["sentence"],
        r["start"],
        r["end"],
        r.get("system"),
        r.get("benchmark"),
        r.get("metric"),
        r.get("baseline"),
    )


def result_role_rows_of(paper_id: str, r: dict, present: Container[str]) -> Iterator[tuple]:
    """Result → entity rows of one result, for the entities `present` in the graph."""
    for role, edge_type in RESULT_ROLE_TYPES.items():
        if (entity_id := r.get(f"{role}_id")) and entity_id in present:
            yield (result_id(paper_id, r), entity_id, edge_type)


def result_csv_rows(store: NetworkXStore) -> Iterator[tuple]:
    for paper_id, r in _stored_results(store):
        yield result_row(paper_id, r)


def result_reports_rows(store: NetworkXStore) -> Iterator[tuple]:
    for paper_id, r in _stored_results(store):
        yield (paper_id, result_id(paper_id, r), REPORTS)


def result_role_rows(store: NetworkXStore) -> Iterator[tuple]:
    """Result → entity edges whose entity is in the graph (as the Cypher stores create them)."""
    for paper_id, r in _stored_results(store):
        yield from result_role_rows_of(paper_id, r, store.graph)


FILE_HEADERS = {
    PAPERS_FILE: PAPER_HEADER,
    ENTITIES_FILE: ENTITY_HEADER,
    PAPER_RELATIONS_FILE: PAPER_RELATION_HEADER,
    ENTITY_RELATIONS_FILE: ENTITY_RELATION_HEADER,
    RESULTS_FILE: RESULT_HEADER,
    RESULT_REPORTS_FILE: RESULT_REPORTS_HEADER,
    RESULT_RELATIONS_FILE: RESULT_ROLE_HEADER,
}
NODE_FILES = (PAPERS_FILE, ENTITIES_FILE, RESULTS_FILE)


class ExportFiles:
    """The CSV files of one export, open together so that one pass over the papers can fill several; `close`
    returns what was written."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.rows = dict.fromkeys(FILE_HEADERS, 0)
        self._handles = {
            name: (self.directory / name).open("w", encoding="utf-8", newline="") for name in FILE_HEADERS
        }
        self._writers = {
            name: csv.writer(handle, lineterminator="\n") for name, handle in self._handles.items()
        }
        for name, header in FILE_HEADERS.items():
            self._writers[name].writerow(header)

    def write(self, name: str, rows: Iterable[tuple]) -> None:
        counter = count()
        self._writers[name].writerows(row for row, _ in zip(rows, counter))  # ticks once per row written
        self.rows[name] += next(counter)

    def close(self) -> Neo4jAdminExport:
        for handle in self._handles.values():
            handle.close()
        return Neo4jAdminExport(
            directory=str(self.directory),
            files=list(FILE_HEADERS),
            multiline_fields=any(
                _has_line_breaks_in_fields(self.directory / name, rows) for name, rows in self.rows.items()
            ),
            nodes=sum(self.rows[name] for name in NODE_FILES),
            relationships=sum(rows for name, rows in self.rows.items() if name not in NODE_FILES),
        )


def export_neo4j_admin(store: NetworkXStore, directory: str | Path) -> Neo4jAdminExport:
    """Write papers.csv, entities.csv, paper_relations.csv, entity_relations.csv and the results'
    results.csv, result_reports.csv and result_relations.csv into `directory`."""
    paper_ids = paper_ids_of(store)
    files = ExportFiles(directory)
    try:
        files.write(PAPERS_FILE, paper_csv_rows(store))
        files.write(ENTITIES_FILE, entity_csv_rows(store, paper_ids))
        files.write(PAPER_RELATIONS_FILE, relation_csv_rows(store, paper_ids, from_papers=True))
        files.write(ENTITY_RELATIONS_FILE, relation_csv_rows(store, paper_ids, from_papers=False))
        files.write(RESULTS_FILE, result_csv_rows(store))
        files.write(RESULT_REPORTS_FILE, result_reports_rows(store))
        files.write(RESULT_RELATIONS_FILE, result_role_rows(store))
    finally:
        summary = files.close()
    return summary


def _has_line_breaks_in_fields(path: Path, rows: int) -> bool:
    """Whether a written CSV file has a line break inside a field: more line ends than its rows and header."""
    line_ends = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            line_ends += chunk.count(b"\n")
    return line_ends > rows + 1


def import_command(
    directory: str = "/import", database: str = "neo4j", *, multiline_fields: bool = True
) -> str:
    """The `neo4j-admin` command that imports an export (Neo4j stopped; files under `directory`).

    `multiline_fields`: whether a field spans lines (`Neo4jAdminExport.multiline_fields`); the default is the
    setting that imports any export.
    """
    multiline = " --multiline-fields=true" if multiline_fields else ""
    return " ".join(
        (
            f"neo4j-admin database import full {database} --overwrite-destination",
            f"--array-delimiter={ARRAY_DELIMITER_OPTION}{multiline}",
            f"--nodes={directory}/{PAPERS_FILE}",
            f"--nodes={directory}/{ENTITIES_FILE}",
            f"--relationships={directory}/{PAPER_RELATIONS_FILE}",
            f"--relationships={directory}/{ENTITY_RELATIONS_FILE}",
            f"--nodes={directory}/{RESULTS_FILE}",
            f"--relationships={directory}/{RESULT_REPORTS_FILE}",
            f"--relationships={directory}/{RESULT_RELATIONS_FILE}",
        )
    )
