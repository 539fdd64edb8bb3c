"""The embedded default store: a NetworkX multigraph saved as node-link JSON.

Nodes are papers and entities (node attribute `label`: Paper, Model, Method, …); edges are keyed by
relation type, so a paper has at most one MENTIONS edge (with a count) and one edge of each typed
relation to an entity. Results (numbers a paper reports) are statements, not things: they are kept beside
the nodes in the graph attribute `results` (`{paper id: [result fields]}`, saved in the same file), and
`counts()` reports them as the Cypher stores' `(:Result)` nodes and REPORTS / role edges.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import networkx as nx

from paperkg.graph.cypher.results import (
    REPORTS,
    RESULT_LABEL,
    RESULT_ROLE_TYPES,
    final_survivors,
    point_roles_at_survivors,
)
from paperkg.graph.file_cache import fingerprint, read_cache, write_cache
from paperkg.graph.merging import merge_steps
from paperkg.graph.schema import (
    Entity,
    EntityType,
    Evidence,
    Paper,
    PaperGraph,
    Relation,
    RelationType,
    Result,
    clean_data,
    results_of_paper,
)
from paperkg.graph.store import GraphCounts

PAPER_LABEL = "Paper"
_RELATION_TYPE_NAMES = frozenset(t.value for t in RelationType)
# JSON escapes of control characters and surrogates, short escapes, raw C1 characters in UTF-8: a file that
# may hold text `clean_text` would change (a false alarm, like an escaped backslash before a "b", costs a pass)
_MAY_HOLD_CONTROLS = re.compile(
    rb"\\u00(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])|\\u[dD][89a-fA-F]|\\[bfr]|\xc2[\x80-\x9f]"
)
GRAPH_CLASSES = (nx.MultiDiGraph, nx.DiGraph, nx.Graph)  # what the binary copy is made of (its code version)
_SHARED_NODE_FIELDS = frozenset({"label", "source", "date"})  # values that repeat across nodes
_PAPER_FIELDS = tuple(name for name in Paper.model_fields if name != "id")


def paper_to_node(paper: Paper) -> dict:
    """Node attributes of a paper (lists, not tuples, so JSON round-trips compare equal)."""
    data = paper.model_dump(include=set(_PAPER_FIELDS))
    data["authors"] = list(paper.authors)
    data["categories"] = list(paper.categories)
    return {"label": PAPER_LABEL, **data}


def node_to_paper(node_id: str, data: dict) -> Paper:
    return Paper(id=node_id, **{k: data[k] for k in _PAPER_FIELDS if k in data})


def node_to_entity(node_id: str, data: dict) -> Entity:
    return Entity(
        id=node_id, type=EntityType(data["label"]), name=data["name"], aliases=tuple(data["aliases"])
    )


def entity_to_node(entity: Entity) -> dict:
    """Node attributes of an entity seen for the first time."""
    return {"label": entity.type.value, "name": entity.name, "aliases": list(entity.aliases)}


def add_spellings(node: dict, name: str, aliases: Iterable[str]) -> None:
    """An entity node gains `name` and `aliases` as aliases (sorted, never its own name): when a paper writes it
    again, or when another entity is merged into it."""
    node["aliases"] = sorted((set(node["aliases"]) | set(aliases) | {name}) - {node["name"]})


def rename_node(node: dict, name: str) -> bool:
    """An entity node named `name`, its old name kept as an alias; False when it already had that name."""
    if node.get("name") == name:
        return False
    spellings = {*node["aliases"], node["name"]}
    node["name"], node["aliases"] = name, sorted(spellings - {name})
    return True


def fold_edge_data(existing: dict, data: dict) -> None:
    """Edge data folded into an edge of the same type between the same nodes (when a merge brings them
    together): counts add up, evidence is appended unless already there."""
    existing["count"] = existing.get("count", 1) + data.get("count", 1)
    evidence = tuple(existing.get("evidence", ()))
    existing["evidence"] = evidence + tuple(e for e in data.get("evidence", ()) if e not in evidence)


def paper_count(graph: nx.MultiDiGraph, entity_id: str) -> int:
    """Distinct papers linked to an entity by any paper relation."""
    return sum(1 for p in graph.predecessors(entity_id) if graph.nodes[p].get("label") == PAPER_LABEL)


def edge_to_relation(source: str, target: str, data: dict) -> Relation:
    """The schema relation of one stored edge."""
    return Relation(
        source_id=source,
        target_id=target,
        type=RelationType(data["type"]),
        count=data.get("count", 1),
        evidence=tuple(Evidence(**e) for e in data.get("evidence", ())),
    )


def relation_edge_data(relation: Relation) -> dict:
    return {
        "type": relation.type.value,
        "count": relation.count,
        "evidence": [e.model_dump() for e in relation.evidence],
    }


NODE_LABELS = (PAPER_LABEL, *(t.value for t in EntityType))


def check_graph(graph: nx.MultiDiGraph, path: Path) -> None:
    """ValueError naming the file and the node or edge when a graph file lacks what paperkg reads: a node's
    `label` (Paper or an entity type), an entity's `name`, an edge's `type`. Missing aliases count as none."""
    for node, data in graph.nodes(data=True):
        label = data.get("label")
        if label not in NODE_LABELS:
            found = "has no label" if label is None else f"has label {label!r}"
            raise ValueError(f"{path}: node {node!r} {found}; expected one of {', '.join(NODE_LABELS)}")
        if label != PAPER_LABEL:
            if not isinstance(data.get("name"), str):
                raise ValueError(f"{path}: entity node {node!r} has no name")
            data.setdefault("aliases", [])
    for source, target, key, data in graph.edges(keys=True, data=True):
        if data.get("type") not in _RELATION_TYPE_NAMES:
            raise ValueError(f"{path}: edge {source!r} -> {target!r} ({key!r}) has no known relation type")


class NetworkXStore:
    """In-memory graph store; `save`/`open` persist it as node-link JSON."""

    def __init__(self, graph: nx.MultiDiGraph | None = None, path: Path | None = None) -> None:
        self.graph = graph if graph is not None else nx.MultiDiGraph()
        self.path = path
        self._file_version: list[int] | None = None  # `fingerprint` of `path` while the graph equals it

    # --- persistence -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> NetworkXStore:
        """Load a saved graph, or start an empty one at `path` when it does not exist yet.

        The graph comes from its binary copy (`graph.json.cache`, see `paperkg.graph.file_cache`) when that
        copy was made from the file as it is now; otherwise from the node-link JSON, and the copy is
        (re)written for the next open."""
        path = Path(path)
        if not path.exists():
            if not create:
                raise FileNotFoundError(f"{path}: no such graph file (build one with `paperkg build`)")
            return cls(path=path)
        version = fingerprint(path)
        graph = read_cache(path, classes=GRAPH_CLASSES)
        if not isinstance(graph, nx.MultiDiGraph):
            try:
                raw = path.read_bytes()
                data = json.loads(raw)
                if _MAY_HOLD_CONTROLS.search(raw):  # written by hand or by an older paperkg
                    data = clean_data(data)
                graph = graph_from_node_link(data)
            except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, nx.NetworkXError) as err:
                raise ValueError(f"{path}: not a paperkg node-link graph file ({err})") from err
            check_graph(graph, path)
            if fingerprint(path) == version:
                write_cache(path, graph, classes=GRAPH_CLASSES)
        store = cls(graph, path)
        store._file_version = version
        return store

    def save(self, path: str | Path | None = None) -> Path:
        """Write node-link JSON (atomically: a temp file renamed over the target), then its binary copy."""
        from paperkg.atomic import write_atomically  # a symlink is written through, the file keeps its mode

        target = Path(path or self.path or "graph.json")
        data = nx.node_link_data(self.graph, edges="edges")
        write_atomically(target, json.dumps(data, ensure_ascii=False, sort_keys=True))
        self.path = target
        self._file_version = fingerprint(target)
        share_repeated_values(self.graph)  # so the binary copy opens as compact as the JSON does
        write_cache(target, self.graph, classes=GRAPH_CLASSES)
        return target

    @property
    def saved_path(self) -> Path | None:
        """The graph file this store holds exactly (opened or saved, not written to since, and the file not
        replaced since), else None: what may be cached beside the file describes this graph."""
        if self.path is None or self._file_version is None:
            return None
        try:
            return self.path if fingerprint(self.path) == self._file_version else None
        except OSError:
            return None

    def export_graphml(self, path: str | Path) -> Path:
        """GraphML for Gephi/Cytoscape; list and dict attributes become JSON strings."""
        nx.write_graphml(self._flat_copy(), path)
        return Path(path)

    def export_gexf(self, path: str | Path) -> Path:
        """GEXF for Gephi; list and dict attributes become JSON strings, as in GraphML."""
        nx.write_gexf(self._flat_copy(), path)
        return Path(path)

    def _flat_copy(self) -> nx.MultiDiGraph:
        """The graph with scalar attributes only, as the GraphML and GEXF writers need."""
        flat = nx.MultiDiGraph()
        for node, data in self.graph.nodes(data=True):
            flat.add_node(node, **_scalar_attributes(data))
        for source, target, key, data in self.graph.edges(keys=True, data=True):
            flat.add_edge(source, target, key=key, **_scalar_attributes(data))
        return flat

    # --- writing -----------------------------------------------------------------------------
    def write(self, papers: Iterable[PaperGraph]) -> None:
        self._file_version = None
        for item in papers:
            self._write_one(item)

    def _write_one(self, item: PaperGraph) -> None:
        graph = self.graph
        paper_id = item.paper.id
        old_targets = set()
        if paper_id in graph:
            old_targets = {target for _, target in graph.out_edges(paper_id)}
            graph.remove_edges_from(list(graph.out_edges(paper_id, keys=True)))
        graph.add_node(paper_id, **paper_to_node(item.paper))
        for entity in item.entities:
            self._merge_entity(entity)
        # a paper's MENTIONS edge and typed edges to one entity cite the same sentences: one record, one tuple
        shared: dict = {}
        records: dict[tuple, dict] = {}
        lists: dict[tuple[int, ...], tuple] = {}
        for relation in item.relations:
            data = relation_edge_data(relation)
            data["evidence"] = _shared_evidence_list(data["evidence"], shared, records, lists)
            graph.add_edge(
                sys.intern(relation.source_id),
                sys.intern(relation.target_id),
                key=sys.intern(relation.type.value),
                **data,
            )
        self._drop_orphans(old_targets)
        results = [r.model_dump(mode="json", exclude={"id"}) for r in results_of_paper(item)]
        if results:
            self._results()[paper_id] = results
        else:
            self.graph.graph.get("results", {}).pop(paper_id, None)

    def _results(self) -> dict[str, list[dict]]:
        """`{paper id: [result fields]}`, the graph attribute results are kept in."""
        return self.graph.graph.setdefault("results", {})

    def _merge_entity(self, entity: Entity) -> None:
        graph = self.graph
        if entity.id in graph:
            add_spellings(graph.nodes[entity.id], entity.name, entity.aliases)
        else:
            graph.add_node(entity.id, **entity_to_node(entity))

    def _drop_orphans(self, entity_ids: Iterable[str]) -> None:
        """Remove entities no paper points to any more (after a paper was rewritten or deleted)."""
        for entity_id in entity_ids:
            if entity_id in self.graph and not any(
                self.graph.nodes[p].get("label") == PAPER_LABEL for p in self.graph.predecessors(entity_id)
            ):
                self.graph.remove_node(entity_id)

    def write_entity_relations(self, relations: Iterable[Relation]) -> None:
        self._file_version = None
        for relation in relations:
            if relation.source_id in self.graph and relation.target_id in self.graph:
                self.graph.add_edge(
                    relation.source_id,
                    relation.target_id,
                    key=relation.type.value,
                    **relation_edge_data(relation),
                )

    def merge_entities(self, plan: Mapping[str, str]) -> int:
        """Fold each entity of `plan` ({merged id: surviving id}) into its survivor; returns how many merged.

        Every edge moves to the survivor: where the survivor already has an edge of that type from the same
        node, counts add up and evidence is concatenated; self-loops that a merge would create are dropped.
        The survivor keeps its name and gains the merged entity's name and aliases. Chains (a → b → c) end at c; see `paperkg.graph.merging`.
        """
        graph = self.graph
        self._file_version = None
        steps = merge_steps(
            plan, [entity_id for entity_id in plan.keys() | plan.values() if entity_id in graph]
        )
        for old, new in steps:
            for source, _, key, data in list(graph.in_edges(old, keys=True, data=True)):
                if source != new:
                    self._add_or_fold_edge(source, new, key, data)
            for _, target, key, data in list(graph.out_edges(old, keys=True, data=True)):
                if target != new:
                    self._add_or_fold_edge(new, target, key, data)
            gone = graph.nodes[old]
            add_spellings(graph.nodes[new], gone["name"], gone["aliases"])
            graph.remove_node(old)
        final = final_survivors(steps)
        for results in self.graph.graph.get("results", {}).values():
            for result in results:
                point_roles_at_survivors(result, final)
        return len(steps)

    def rename_entities(self, names: Mapping[str, str]) -> int:
        """Give entities new names (`{id: name}`); an old name stays as an alias. Returns how many changed."""
        nodes = self.graph.nodes
        return sum(rename_node(nodes[i], name) for i, name in names.items() if i in nodes)

    def _add_or_fold_edge(self, source: str, target: str, key: str, data: dict) -> None:
        existing = self.graph.get_edge_data(source, target, key)
        if existing is None:
            evidence = tuple(data.get("evidence", ()))
            self.graph.add_edge(source, target, key=key, **{**data, "evidence": evidence})
            return
        fold_edge_data(existing, data)

    def delete_papers(self, paper_ids: Iterable[str]) -> int:
        """Remove papers and the entities left with no paper; returns how many papers were removed."""
        self._file_version = None
        removed = 0
        for paper_id in paper_ids:
            if paper_id not in self.graph:
                continue
            targets = set(self.graph.successors(paper_id))
            self.graph.remove_node(paper_id)
            self.graph.graph.get("results", {}).pop(paper_id, None)
            self._drop_orphans(targets)
            removed += 1
        return removed

    # --- reading -----------------------------------------------------------------------------
    def papers(self) -> Iterator[Paper]:
        for node, data in self.graph.nodes(data=True):
            if data.get("label") == PAPER_LABEL:
                yield node_to_paper(node, data)

    def entities(self) -> Iterator[Entity]:
        for node, data in self.graph.nodes(data=True):
            if data.get("label") != PAPER_LABEL:
                yield node_to_entity(node, data)

    def relations(self) -> Iterator[Relation]:
        for source, target, data in self.graph.edges(data=True):
            yield edge_to_relation(source, target, data)

    def results(self) -> Iterator[Result]:
        for results in self.graph.graph.get("results", {}).values():
            for result in results:
                yield Result(**result)

    def paper_count(self, entity_id: str) -> int:
        """Distinct papers linked to an entity by any paper relation."""
        return paper_count(self.graph, entity_id)

    def counts(self) -> GraphCounts:
        nodes = Counter(data.get("label", "?") for _, data in self.graph.nodes(data=True))
        edges = Counter(key for _, _, key in self.graph.edges(keys=True))
        for results in self.graph.graph.get("results", {}).values():
            nodes[RESULT_LABEL] += len(results)
            edges[REPORTS] += len(results)
            for role, edge_type in RESULT_ROLE_TYPES.items():
                edges[edge_type] += sum(1 for r in results if r.get(f"{role}_id") in self.graph)
        nodes, edges = +nodes, +edges  # no zero counts
        return GraphCounts(nodes=dict(sorted(nodes.items())), relationships=dict(sorted(edges.items())))

    def close(self) -> None:
        """Nothing to release; saving is explicit (`save`)."""


def graph_from_node_link(data: dict) -> nx.MultiDiGraph:
    """The graph of node-link data, as `nx.node_link_graph(data, directed=True, multigraph=True,
    edges="edges")` builds it (same nodes, edges, keys, attributes and order), with every repeated string
    (node ids at edge ends, edge keys and types, labels, evidence sentences) and evidence record held once."""
    graph = nx.MultiDiGraph()
    graph.graph = data.get("graph", {})
    shared: dict = {}
    for record in data["nodes"]:
        node = record["id"]
        shared[node] = node
        graph.add_node(
            node,
            **{
                key: shared.setdefault(value, value) if key in _SHARED_NODE_FIELDS else value
                for key, value in record.items()
                if key != "id"
            },
        )
    evidence_records: dict[tuple, dict] = {}
    evidence_lists: dict[tuple[int, ...], tuple] = {}
    edges = []
    for record in data["edges"]:
        attributes = {}
        for key, value in record.items():
            if key == "evidence" and isinstance(value, list):
                value = _shared_evidence_list(value, shared, evidence_records, evidence_lists)
            elif key == "type":
                value = shared.setdefault(value, value)
            if key not in ("source", "target", "key"):
                attributes[key] = value
        source, target = record["source"], record["target"]
        key = record.get("key")
        edges.append(
            (
                shared.get(source, source),
                shared.get(target, target),
                shared.setdefault(key, key),
                attributes,
            )
        )
    graph.add_edges_from(edges)
    return graph


def share_repeated_values(graph: nx.MultiDiGraph) -> None:
    """In place, what `graph_from_node_link` does while reading: each node id at the edge ends, edge key and
    type, label and evidence sentence held once, and one record per distinct evidence. A built graph holds a
    copy of an entity's id per edge and a copy of each sentence per edge; the binary copy saved from it then
    loads as compact as the JSON does. Values, order and adjacency stay as they were."""
    shared: dict = {node: node for node in graph}
    for data in graph._node.values():
        for key in _SHARED_NODE_FIELDS.intersection(data):
            if isinstance(data[key], str):
                data[key] = shared.setdefault(data[key], data[key])
    records: dict[tuple, dict] = {}
    lists: dict[tuple[int, ...], tuple] = {}
    for adjacency in (graph._succ, graph._pred):
        for node, neighbours in adjacency.items():
            adjacency[node] = {shared.get(other, other): keys for other, keys in neighbours.items()}
    for neighbours in graph._succ.values():
        for keys in neighbours.values():
            items = [(shared.setdefault(key, key), data) for key, data in keys.items()]
            keys.clear()
            for key, data in items:
                if isinstance(data.get("type"), str):
                    data["type"] = shared.setdefault(data["type"], data["type"])
                if isinstance(data.get("evidence"), (list, tuple)):
                    data["evidence"] = _shared_evidence_list(data["evidence"], shared, records, lists)
                keys[key] = data


def _shared_evidence_list(
    items: Iterable, shared: dict, records: dict[tuple, dict], lists: dict[tuple[int, ...], tuple]
) -> tuple:
    """An edge's evidence as a tuple of shared records, the tuple itself held once per distinct content (`lists`,
    by the records' ids): the MENTIONS edge and a typed edge of one paper and entity often cite the same
    sentence. A tuple, so no edge can change another's evidence in place."""
    evidence = tuple(_shared_evidence(item, shared, records) for item in items)
    return lists.setdefault(tuple(id(item) for item in evidence), evidence)


def _shared_evidence(item: dict, shared: dict, records: dict[tuple, dict]) -> dict:
    """One evidence record per distinct (sentence, start, end): a MENTIONS edge and the typed edges of the same
    paper and entity usually cite the same sentences. Evidence records are never changed in place."""
    if not isinstance(item, dict) or set(item) != {"sentence", "start", "end"}:
        return item
    identity = (item["sentence"], item["start"], item["end"])
    if identity not in records:
        item["sentence"] = shared.setdefault(item["sentence"], item["sentence"])
        records[identity] = item
    return records[identity]


def _scalar_attributes(data: dict) -> dict:
    return {
        key: (json.dumps(value, ensure_ascii=False) if isinstance(value, (list, tuple, dict)) else value)
        for key, value in data.items()
        if value is not None
    }
