"""Results in every store: written, read back, replaced on re-ingest, deleted with their paper, moved by entity
merges; the NetworkX store is the reference the Cypher engines (FalkorDB, and Neo4j where it runs) must equal."""

from __future__ import annotations

import pytest

from paperkg.graph.cypher.store import CypherStore
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.schema import (
    Entity,
    EntityType,
    Paper,
    PaperGraph,
    Relation,
    RelationType,
    Result,
    ResultKind,
    entity_id_for,
)
from paperkg.graph.transfer import copy_store
from tests.test_cypher_store import open_cypher_store  # noqa: F401  (fixture)


@pytest.fixture
def cypher_store(open_cypher_store) -> CypherStore:  # noqa: F811
    """A fresh FalkorDB graph, and Neo4j where it runs: the Cypher store tests' own fixture."""
    return open_cypher_store()


def entity(entity_type: EntityType, name: str) -> Entity:
    return Entity.named(entity_type, name)


def paper_graph(paper_id: str, results: list[dict], names: list[tuple[EntityType, str]]) -> PaperGraph:
    """A paper mentioning `names`, reporting `results` (fields besides sentence/offsets/ids)."""
    sentence = "Orca-3 improves over Mistral-7B by 19% on MMLU."
    paper = Paper(id=paper_id, title=f"Paper {paper_id}", abstract=sentence, source="test.jsonl")
    entities = [entity(t, n) for t, n in names]
    relations = [Relation(source_id=paper_id, target_id=e.id, type=RelationType.MENTIONS) for e in entities]
    built = [
        Result(paper_id=paper_id, sentence=sentence, start=10 * i, end=10 * i + 3, **fields)
        for i, fields in enumerate(results)
    ]
    return PaperGraph(paper=paper, entities=tuple(entities), relations=tuple(relations), results=tuple(built))


ORCA, MISTRAL = entity_id_for(EntityType.MODEL, "Orca-3"), entity_id_for(EntityType.MODEL, "Mistral-7B")
MMLU, ACC = entity_id_for(EntityType.BENCHMARK, "MMLU"), entity_id_for(EntityType.METRIC, "accuracy")
NAMES = [
    (EntityType.MODEL, "Orca-3"),
    (EntityType.MODEL, "Mistral-7B"),
    (EntityType.BENCHMARK, "MMLU"),
    (EntityType.METRIC, "accuracy"),
]
IMPROVEMENT = {
    "value": "19%",
    "number": 19.0,
    "unit": "%",
    "kind": ResultKind.IMPROVEMENT,
    "system": "Orca-3",
    "system_id": ORCA,
    "benchmark": "MMLU",
    "benchmark_id": MMLU,
    "baseline": "Mistral-7B",
    "baseline_id": MISTRAL,
}
SCORE = {
    "value": "71.3%",
    "number": 71.3,
    "unit": "%",
    "kind": ResultKind.SCORE,
    "system": "our model",
    "system_id": ORCA,
    "benchmark": "MMLU",
    "benchmark_id": MMLU,
    "metric": "accuracy",
    "metric_id": ACC,
}


def results_of(store) -> list[str]:
    return sorted(r.model_dump_json() for r in store.results())


def test_networkx_store_keeps_results_and_replaces_them_on_rewrite(tmp_path):
    store = NetworkXStore()
    store.write([paper_graph("p1", [IMPROVEMENT, SCORE], NAMES)])
    assert {(r.id, r.value, r.system_id) for r in store.results()} == {
        ("p1#r0-3", "19%", ORCA),
        ("p1#r10-13", "71.3%", ORCA),
    }
    counts = store.counts()
    assert counts.nodes["Result"] == 2 and counts.relationships["REPORTS"] == 2
    assert (
        counts.relationships["SYSTEM"],
        counts.relationships["BASELINE"],
        counts.relationships["METRIC"],
    ) == (2, 1, 1)
    store.write([paper_graph("p1", [SCORE], NAMES)])  # re-ingest: the paper's results now
    assert [r.value for r in store.results()] == ["71.3%"]
    saved = NetworkXStore.open(store.save(tmp_path / "g.json"))
    assert results_of(saved) == results_of(store)
    store.delete_papers(["p1"])
    assert list(store.results()) == [] and "Result" not in store.counts().nodes


def test_cypher_store_holds_the_same_results_as_networkx(cypher_store):
    graphs = [paper_graph("p1", [IMPROVEMENT, SCORE], NAMES), paper_graph("p2", [SCORE], NAMES)]
    reference = NetworkXStore()
    reference.write(graphs)
    cypher_store.write(graphs)
    assert results_of(cypher_store) == results_of(reference)
    assert cypher_store.counts() == reference.counts()
    cypher_store.write(graphs)  # the same input again: nothing doubles
    assert results_of(cypher_store) == results_of(reference)
    assert cypher_store.counts() == reference.counts()


def test_cypher_store_replaces_and_deletes_a_papers_results(cypher_store):
    cypher_store.write([paper_graph("p1", [IMPROVEMENT, SCORE], NAMES), paper_graph("p2", [SCORE], NAMES)])
    cypher_store.write([paper_graph("p1", [SCORE], NAMES)])
    assert sorted((r.paper_id, r.value) for r in cypher_store.results()) == [("p1", "71.3%"), ("p2", "71.3%")]
    cypher_store.delete_papers(["p2"])
    assert [(r.paper_id, r.value) for r in cypher_store.results()] == [("p1", "71.3%")]
    assert cypher_store.counts().nodes["Result"] == 1


MMLU5 = entity_id_for(EntityType.BENCHMARK, "MMLU-5")


def test_entity_merges_move_result_links_on_every_store(cypher_store):
    graphs = [
        paper_graph("p1", [IMPROVEMENT], NAMES),
        paper_graph(
            "p2",
            [dict(SCORE, benchmark="MMLU-5", benchmark_id=MMLU5)],
            [*NAMES, (EntityType.BENCHMARK, "MMLU-5")],
        ),
    ]
    reference = NetworkXStore()
    reference.write(graphs)
    copy_store(reference, cypher_store)  # `paperkg load`: the results travel with their papers
    plan = {MMLU5: MMLU}
    assert reference.merge_entities(plan) == cypher_store.merge_entities(plan) == 1
    assert {r.benchmark_id for r in reference.results()} == {MMLU}
    assert results_of(cypher_store) == results_of(reference)
    assert cypher_store.counts() == reference.counts()


def test_neo4j_admin_export_carries_results_and_their_links(tmp_path):
    import csv

    from paperkg.graph.cypher.neo4j_admin import export_neo4j_admin, import_command

    store = NetworkXStore()
    store.write([paper_graph("p1", [IMPROVEMENT, SCORE], NAMES)])
    export = export_neo4j_admin(store, tmp_path)
    with (tmp_path / "results.csv").open(encoding="utf-8") as handle:
        results = list(csv.DictReader(handle))
    assert [
        (r["id:ID(Result)"], r[":LABEL"], r["value"], r["number:double"], r["kind"]) for r in results
    ] == [
        ("p1#r0-3", "Result", "19%", "19.0", "improvement"),
        ("p1#r10-13", "Result", "71.3%", "71.3", "score"),
    ]
    with (tmp_path / "result_reports.csv").open(encoding="utf-8") as handle:
        assert [tuple(row) for row in csv.reader(handle)][1:] == [
            ("p1", "p1#r0-3", "REPORTS"),
            ("p1", "p1#r10-13", "REPORTS"),
        ]
    with (tmp_path / "result_relations.csv").open(encoding="utf-8") as handle:
        roles = sorted(tuple(row) for row in list(csv.reader(handle))[1:])
    assert roles == sorted(
        [
            ("p1#r0-3", ORCA, "SYSTEM"),
            ("p1#r0-3", MMLU, "BENCHMARK"),
            ("p1#r0-3", MISTRAL, "BASELINE"),
            ("p1#r10-13", ORCA, "SYSTEM"),
            ("p1#r10-13", MMLU, "BENCHMARK"),
            ("p1#r10-13", ACC, "METRIC"),
        ]
    )
    counts = store.counts()
    assert export.nodes == counts.total_nodes and export.relationships == counts.total_relationships
    assert "--nodes=/import/results.csv" in import_command()
