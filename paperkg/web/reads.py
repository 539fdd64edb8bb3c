"""What the explorer reads beyond the named queries, on a graph file (NetworkX) or a Cypher server.

Both readers return the same plain rows; the Cypher texts are constants here with every value a parameter.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Protocol

from paperkg.graph.networkx_store import PAPER_LABEL, NetworkXStore

TYPED_RELATIONS = ("PROPOSES", "EVALUATES_ON", "COMPARES_WITH", "USES")
RESULT_FIELDS = ("value", "number", "unit", "kind", "sentence", "start", "end")
RESULT_ROLES = ("system", "benchmark", "metric", "baseline")


class Reads(Protocol):
    def paper(self, paper_id: str) -> dict | None:
        """`{id, title, abstract, date, url}` of a paper, or None."""

    def paper_edges(self, paper_id: str) -> list[dict]:
        """`{entity, relation, evidence: [{sentence, start, end}]}` for each edge of the paper."""

    def paper_results(self, paper_id: str) -> list[dict]:
        """The paper's results: value fields plus each role as written and its entity id (or None)."""

    def entity_evidence(self, entity_id: str) -> dict[str, dict[str, str]]:
        """`{paper id: {relation: first evidence sentence}}` of the papers' edges to the entity."""

    def family(self, entity_id: str) -> list[str]:
        """Ids of the entities this one is a VARIANT_OF."""

    def pair_relations(self, entity_id: str) -> list[dict]:
        """`{other, own, theirs, papers}`: entities a paper links with a typed relation (`theirs`) while it
        links `entity_id` with a typed relation (`own`), with the ids of those papers."""

    def shared_papers(self, entity_ids: list[str]) -> list[tuple[str, str, int]]:
        """`(a, b, papers)` for each pair of the entities (a < b) that share papers."""


class NetworkXReads:
    """Reads over the in-memory graph of a graph file."""

    def __init__(self, store: NetworkXStore) -> None:
        self.graph = store.graph

    def _is_paper(self, node: str) -> bool:
        return node in self.graph and self.graph.nodes[node].get("label") == PAPER_LABEL

    def paper(self, paper_id: str) -> dict | None:
        if not self._is_paper(paper_id):
            return None
        data = self.graph.nodes[paper_id]
        fields = ("title", "abstract", "date", "url")
        return {"id": paper_id} | {name: data.get(name) for name in fields}

    def paper_edges(self, paper_id: str) -> list[dict]:
        if not self._is_paper(paper_id):
            return []
        return [
            {"entity": target, "relation": key, "evidence": list(data.get("evidence", ()))}
            for _, target, key, data in self.graph.out_edges(paper_id, keys=True, data=True)
        ]

    def paper_results(self, paper_id: str) -> list[dict]:
        nodes = self.graph.nodes
        rows = []
        for result in self.graph.graph.get("results", {}).get(paper_id, ()):
            row = {name: result.get(name) for name in RESULT_FIELDS + RESULT_ROLES}
            for role in RESULT_ROLES:
                linked = result.get(f"{role}_id")
                row[f"{role}_id"] = linked if linked in nodes else None
            rows.append(row)
        return sorted(rows, key=lambda r: r["start"])

    def entity_evidence(self, entity_id: str) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = defaultdict(dict)
        if entity_id not in self.graph:
            return found
        for paper, _, key, data in self.graph.in_edges(entity_id, keys=True, data=True):
            evidence = data.get("evidence") or ()
            if evidence and self._is_paper(paper):
                found[paper][key] = evidence[0]["sentence"]
        return found

    def family(self, entity_id: str) -> list[str]:
        if entity_id not in self.graph:
            return []
        return sorted(t for _, t, key in self.graph.out_edges(entity_id, keys=True) if key == "VARIANT_OF")

    def pair_relations(self, entity_id: str) -> list[dict]:
        graph = self.graph
        if entity_id not in graph:
            return []
        found: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for paper, _, own in graph.in_edges(entity_id, keys=True):
            if own not in TYPED_RELATIONS or not self._is_paper(paper):
                continue
            for _, other, theirs in graph.out_edges(paper, keys=True):
                if other != entity_id and theirs in TYPED_RELATIONS:
                    found[(other, own, theirs)].add(paper)
        return [
            {"other": other, "own": own, "theirs": theirs, "papers": sorted(papers)}
            for (other, own, theirs), papers in found.items()
        ]

    def shared_papers(self, entity_ids: list[str]) -> list[tuple[str, str, int]]:
        graph = self.graph
        papers = {
            e: {p for p in graph.predecessors(e) if self._is_paper(p)} for e in entity_ids if e in graph
        }
        ids = sorted(papers)
        pairs = []
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                shared = len(papers[a] & papers[b])
                if shared:
                    pairs.append((a, b, shared))
        return pairs


PAPER = """
MATCH (p:Paper {id: $paper})
RETURN p.id AS id, coalesce(p.title, '') AS title, p.abstract AS abstract, p.date AS date, p.url AS url
"""
PAPER_EDGES = """
MATCH (:Paper {id: $paper})-[r]->(e:Entity)
RETURN e.id AS entity, type(r) AS relation, r.evidence_sentences AS sentences, r.evidence_starts AS starts,
       r.evidence_ends AS ends
"""
PAPER_RESULTS = """
MATCH (:Paper {id: $paper})-[:REPORTS]->(r:Result)
OPTIONAL MATCH (r)-[:SYSTEM]->(s:Entity)
OPTIONAL MATCH (r)-[:BENCHMARK]->(b:Entity)
OPTIONAL MATCH (r)-[:METRIC]->(m:Entity)
OPTIONAL MATCH (r)-[:BASELINE]->(c:Entity)
RETURN properties(r) AS props, s.id AS system_id, b.id AS benchmark_id, m.id AS metric_id,
       c.id AS baseline_id
ORDER BY r.start
"""
ENTITY_EVIDENCE = """
MATCH (p:Paper)-[r]->(:Entity {id: $entity})
RETURN p.id AS paper, type(r) AS relation, r.evidence_sentences AS sentences
"""
FAMILY = """
MATCH (:Entity {id: $entity})-[:VARIANT_OF]->(f:Entity)
RETURN f.id AS id ORDER BY id
"""
PAIR_RELATIONS = """
MATCH (x:Entity {id: $entity})<-[rx]-(p:Paper)-[ry]->(y:Entity)
WHERE y <> x AND type(rx) IN $typed AND type(ry) IN $typed
RETURN y.id AS other, type(rx) AS own, type(ry) AS theirs, collect(DISTINCT p.id) AS papers
"""
SHARED_PAPERS = """
MATCH (a:Entity)<--(p:Paper)-->(b:Entity)
WHERE a.id IN $ids AND b.id IN $ids AND a.id < b.id
RETURN a.id AS a, b.id AS b, count(DISTINCT p) AS papers
"""


class CypherReads:
    """Reads over a Cypher server, through `KnowledgeGraph.cypher` (read-only)."""

    def __init__(self, kg: Any) -> None:
        self.kg = kg

    def _records(self, text: str, **params: Any) -> list[dict]:
        return self.kg.cypher(text, **params).records()

    def paper(self, paper_id: str) -> dict | None:
        found = self._records(PAPER, paper=paper_id)
        return found[0] if found else None

    def paper_edges(self, paper_id: str) -> list[dict]:
        return [
            {
                "entity": r["entity"],
                "relation": r["relation"],
                "evidence": [
                    {"sentence": s, "start": start, "end": end}
                    for s, start, end in zip(r["sentences"] or (), r["starts"] or (), r["ends"] or ())
                ],
            }
            for r in self._records(PAPER_EDGES, paper=paper_id)
        ]

    def paper_results(self, paper_id: str) -> list[dict]:
        rows = []
        for record in self._records(PAPER_RESULTS, paper=paper_id):
            props = record["props"] or {}
            row = {name: props.get(name) for name in RESULT_FIELDS + RESULT_ROLES}
            row |= {f"{role}_id": record[f"{role}_id"] for role in RESULT_ROLES}
            rows.append(row)
        return sorted(rows, key=lambda r: r["start"])

    def entity_evidence(self, entity_id: str) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = defaultdict(dict)
        for r in self._records(ENTITY_EVIDENCE, entity=entity_id):
            if r["sentences"]:
                found[r["paper"]][r["relation"]] = r["sentences"][0]
        return found

    def family(self, entity_id: str) -> list[str]:
        return [r["id"] for r in self._records(FAMILY, entity=entity_id)]

    def pair_relations(self, entity_id: str) -> list[dict]:
        rows = self._records(PAIR_RELATIONS, entity=entity_id, typed=list(TYPED_RELATIONS))
        return [r | {"papers": sorted(r["papers"])} for r in rows]

    def shared_papers(self, entity_ids: list[str]) -> list[tuple[str, str, int]]:
        rows = self._records(SHARED_PAPERS, ids=list(entity_ids))
        return sorted((r["a"], r["b"], r["papers"]) for r in rows)


def reads_for(kg: Any) -> Reads:
    """The reader for `kg`'s backend."""
    return NetworkXReads(kg.store) if kg.store is not None else CypherReads(kg)
