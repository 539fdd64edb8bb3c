"""What the explorer reads beyond the named queries, on a graph file (NetworkX) or a Cypher server.

Both readers return the same plain rows; the Cypher texts are constants here with every value a parameter.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any, Protocol

from paperkg.graph.networkx_store import PAPER_LABEL, NetworkXStore

TYPED_RELATIONS = ("PROPOSES", "EVALUATES_ON", "COMPARES_WITH", "USES")
RESULT_FIELDS = ("value", "number", "unit", "kind", "sentence", "start", "end")
RESULT_ROLES = ("system", "benchmark", "metric", "baseline")
MAX_VARIANT_DEPTH = 5  # as variants.cypher
PAPER_SETS_KEPT = 4096


class Reads(Protocol):
    def paper(self, paper_id: str) -> dict | None:
        """`{id, title, abstract, date, url}` of a paper, or None."""

    def paper_edges(self, paper_id: str) -> list[dict]:
        """`{entity, relation, evidence: [{sentence, start, end}]}` for each edge of the paper."""

    def paper_results(self, paper_id: str) -> list[dict]:
        """The paper's results: value fields plus each role as written and its entity id (or None)."""

    def entity_papers(self, entity_id: str) -> list[dict]:
        """`{id, title, date, relations, evidence: {relation: first sentence}}` of each paper linked to the
        entity; newest first (undated last), then by id, as `papers_mentioning`."""

    def cooccurring(self, entity_id: str, limit: int) -> list[tuple[str, int]]:
        """`(entity id, shared papers)` of the `limit` entities sharing most papers with it, as `cooccurring`."""

    def variants(self, entity_id: str) -> list[tuple[str, int]]:
        """`(entity id, depth)` of the entities VARIANT_OF it, transitively up to 5 steps; nearest first, then by
        id, as `variants`."""

    def family(self, entity_id: str) -> list[str]:
        """Ids of the entities this one is a VARIANT_OF."""

    def pair_relations(self, entity_id: str) -> list[dict]:
        """`{other, own, theirs, papers}`: entities a paper links with a typed relation (`theirs`) while it
        links `entity_id` with a typed relation (`own`), with the ids of those papers."""

    def shared_papers(self, entity_ids: list[str]) -> list[tuple[str, str, int]]:
        """`(a, b, papers)` for each pair of the entities (a < b) that share papers."""


class NetworkXReads:
    """Reads over the in-memory graph of a graph file, straight from its adjacency dicts (a hub entity of a
    50,000-paper graph has thousands of papers: no per-row objects until the rows are chosen)."""

    def __init__(self, store: NetworkXStore) -> None:
        self.graph = store.graph
        self.nodes = store.graph._node  # node id -> attributes, without NodeView lookups
        self.papers_of = lru_cache(maxsize=PAPER_SETS_KEPT)(self.papers_of)

    def _is_paper(self, node: str) -> bool:
        data = self.nodes.get(node)
        return data is not None and data.get("label") == PAPER_LABEL

    def _is_entity(self, node: str) -> bool:
        data = self.nodes.get(node)
        return data is not None and data.get("label") != PAPER_LABEL

    def paper(self, paper_id: str) -> dict | None:
        if not self._is_paper(paper_id):
            return None
        data = self.nodes[paper_id]
        fields = ("title", "abstract", "date", "url")
        return {"id": paper_id} | {name: data.get(name) for name in fields}

    def paper_edges(self, paper_id: str) -> list[dict]:
        if not self._is_paper(paper_id):
            return []
        return [
            {"entity": target, "relation": key, "evidence": list(data.get("evidence", ()))}
            for target, keyed in self.graph.succ[paper_id].items()
            for key, data in keyed.items()
        ]

    def paper_results(self, paper_id: str) -> list[dict]:
        rows = []
        for result in self.graph.graph.get("results", {}).get(paper_id, ()):
            row = {name: result.get(name) for name in RESULT_FIELDS + RESULT_ROLES}
            for role in RESULT_ROLES:
                linked = result.get(f"{role}_id")
                row[f"{role}_id"] = linked if linked in self.nodes else None
            rows.append(row)
        return sorted(rows, key=lambda r: r["start"])

    def entity_papers(self, entity_id: str) -> list[dict]:
        if not self._is_entity(entity_id):
            return []
        rows = []
        for paper, keyed in self.graph.pred[entity_id].items():
            data = self.nodes[paper]
            if data.get("label") != PAPER_LABEL:
                continue
            evidence = {key: e["evidence"][0]["sentence"] for key, e in keyed.items() if e.get("evidence")}
            rows.append(
                {
                    "id": paper,
                    "title": data.get("title") or "",
                    "date": data.get("date"),
                    "relations": sorted(keyed),
                    "evidence": evidence,
                }
            )
        rows.sort(key=lambda row: row["id"])
        rows.sort(key=lambda row: row["date"] or "", reverse=True)
        return rows

    def cooccurring(self, entity_id: str, limit: int) -> list[tuple[str, int]]:
        if not self._is_entity(entity_id):
            return []
        counts: Counter = Counter()
        succ, nodes = self.graph.succ, self.nodes
        for paper in self.graph.pred[entity_id]:
            if nodes[paper].get("label") == PAPER_LABEL:
                counts.update(succ[paper].keys())  # a paper's edges all go to entities
        counts.pop(entity_id, None)
        ranked = heapq.nsmallest(limit, ((-n, other) for other, n in counts.items()))
        return [(other, -n) for n, other in ranked]

    def variants(self, entity_id: str) -> list[tuple[str, int]]:
        if not self._is_entity(entity_id):
            return []
        pred = self.graph.pred
        depth = {entity_id: 0}
        frontier = [entity_id]
        for step in range(1, MAX_VARIANT_DEPTH + 1):
            found = [v for node in frontier for v, keys in pred[node].items() if "VARIANT_OF" in keys]
            frontier = [v for v in dict.fromkeys(found) if v not in depth]
            depth.update((v, step) for v in frontier)
        return sorted(((v, d) for v, d in depth.items() if v != entity_id), key=lambda vd: (vd[1], vd[0]))

    def family(self, entity_id: str) -> list[str]:
        if entity_id not in self.nodes:
            return []
        return sorted(t for t, keyed in self.graph.succ[entity_id].items() if "VARIANT_OF" in keyed)

    def pair_relations(self, entity_id: str) -> list[dict]:
        if not self._is_entity(entity_id):
            return []
        found: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        succ, nodes = self.graph.succ, self.nodes
        typed_relations = set(TYPED_RELATIONS)
        for paper, own_keys in self.graph.pred[entity_id].items():
            typed = typed_relations.intersection(own_keys)
            if not typed or nodes[paper].get("label") != PAPER_LABEL:
                continue
            for other, keys in succ[paper].items():
                if len(keys) == 1 and "MENTIONS" in keys or other == entity_id:
                    continue
                for theirs in typed_relations.intersection(keys):
                    for own in typed:
                        found[(other, own, theirs)].add(paper)
        return [
            {"other": other, "own": own, "theirs": theirs, "papers": sorted(papers)}
            for (other, own, theirs), papers in found.items()
        ]

    def papers_of(self, entity_id: str) -> frozenset[str]:
        """The papers linked to an entity (kept: a big entity is the neighbour of many others)."""
        nodes = self.nodes
        return frozenset(p for p in self.graph.pred[entity_id] if nodes[p].get("label") == PAPER_LABEL)

    def shared_papers(self, entity_ids: list[str]) -> list[tuple[str, str, int]]:
        papers = {e: self.papers_of(e) for e in entity_ids if self._is_entity(e)}
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

    def entity_papers(self, entity_id: str) -> list[dict]:
        evidence: dict[str, dict[str, str]] = defaultdict(dict)
        for r in self._records(ENTITY_EVIDENCE, entity=entity_id):
            if r["sentences"]:
                evidence[r["paper"]][r["relation"]] = r["sentences"][0]
        return [
            {
                "id": p.id,
                "title": p.title,
                "date": p.date,
                "relations": p.relations,
                "evidence": evidence[p.id],
            }
            for p in self.kg.query("papers_mentioning", entity=entity_id)
        ]

    def cooccurring(self, entity_id: str, limit: int) -> list[tuple[str, int]]:
        return [(r.id, r.papers) for r in self.kg.query("cooccurring", entity=entity_id, limit=limit)]

    def variants(self, entity_id: str) -> list[tuple[str, int]]:
        return [(r.id, r.depth) for r in self.kg.query("variants", family=entity_id)]

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
