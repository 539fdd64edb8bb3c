"""`CypherStore` behaviour on real Cypher engines: FalkorDB and Neo4j, both started by the test fixtures.

Every test runs against the NetworkX store as the reference: same input, same graph.
"""

from __future__ import annotations

import pytest

from paperkg.graph.cypher.rows import paper_write_statements
from paperkg.graph.cypher.store import CypherStore
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.schema import Entity, EntityType, Evidence, Paper, PaperGraph, Relation, RelationType
from paperkg.graph.synthetic import synthetic_paper_graph, synthetic_paper_graphs, synthetic_variant_relations


def _open_neo4j_store(server, batch_size: int) -> CypherStore:
    from paperkg.graph.cypher.neo4j_session import Neo4jSession

    return CypherStore(Neo4jSession(server.uri, server.user, server.password), batch_size=batch_size)


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def open_cypher_store(request):
    """A factory of stores on one fresh graph: `open_cypher_store(batch_size=…)`."""
    opened: list[CypherStore] = []

    def factory(batch_size: int = 500) -> CypherStore:
        if request.param == "neo4j":
            store = _open_neo4j_store(request.getfixturevalue("neo4j_db"), batch_size)
        else:
            from paperkg.graph.cypher.falkordb_session import FalkorDBSession

            server = request.getfixturevalue("falkordb_server")
            graph = request.getfixturevalue("falkordb_graph")
            store = CypherStore(FalkorDBSession(server.uri, graph), batch_size=batch_size)
        opened.append(store)
        return store

    yield factory
    for store in opened:
        store.close()


@pytest.fixture
def cypher_store(open_cypher_store) -> CypherStore:
    return open_cypher_store()


def snapshot(store) -> tuple:
    """Everything a store holds, in a comparable form (paper_count included)."""
    papers = sorted(p.model_dump_json() for p in store.papers())
    entities = sorted(e.model_dump_json() for e in store.entities())
    relations = sorted(r.model_dump_json() for r in store.relations())
    paper_counts = {e.id: store.paper_count(e.id) for e in store.entities()}
    return papers, entities, relations, paper_counts, store.counts()


def reference(*writes) -> NetworkXStore:
    store = NetworkXStore()
    for graphs in writes:
        store.write(graphs)
    return store


def _paper(pid: str, title: str = "T") -> Paper:
    return Paper(id=pid, title=title, abstract="Abstract.", source="t.jsonl")


def _mentions(paper: Paper, *entities: Entity, typed: RelationType | None = None) -> PaperGraph:
    relations = [
        Relation(
            source_id=paper.id,
            target_id=e.id,
            type=RelationType.MENTIONS,
            count=2,
            evidence=(Evidence(sentence=f"About {e.name}.", start=0, end=len(e.name)),),
        )
        for e in entities
    ]
    if typed:
        relations.append(Relation(source_id=paper.id, target_id=entities[0].id, type=typed))
    return PaperGraph(paper=paper, entities=entities, relations=tuple(relations))


GPT4 = Entity.named(EntityType.MODEL, "GPT-4", ("GPT4",))
BERT = Entity.named(EntityType.MODEL, "BERT")
GSM8K = Entity.named(EntityType.DATASET, "GSM8K")
ACC = Entity.named(EntityType.METRIC, "accuracy")


def test_synthetic_graph_equals_the_networkx_graph(cypher_store):
    graphs = list(synthetic_paper_graphs(300, entities=400))
    cypher_store.write(graphs)
    cypher_store.write_entity_relations(synthetic_variant_relations(400))
    expected = reference(graphs)
    expected.write_entity_relations(synthetic_variant_relations(400))
    assert cypher_store.counts().total_relationships > 2000
    assert cypher_store.counts() == expected.counts()
    assert snapshot(cypher_store) == snapshot(expected)


def test_reloading_changes_nothing(cypher_store):
    graphs = list(synthetic_paper_graphs(120, entities=150))
    cypher_store.write(graphs)
    before = snapshot(cypher_store)
    cypher_store.write(graphs)
    cypher_store.write(reversed(graphs))
    assert snapshot(cypher_store) == before


def test_batch_size_does_not_change_the_result(open_cypher_store):
    graphs = list(synthetic_paper_graphs(60, entities=80))
    store = open_cypher_store(batch_size=7)
    store.write(graphs)
    assert snapshot(store) == snapshot(reference(graphs))


def test_changed_paper_replaces_its_edges_and_drops_orphans(cypher_store):
    first = [
        _mentions(_paper("p1", "v1"), GPT4, GSM8K, typed=RelationType.PROPOSES),
        _mentions(_paper("p2"), GPT4),
    ]
    changed = [_mentions(_paper("p1", "v2"), BERT, GSM8K, typed=RelationType.EVALUATES_ON)]
    cypher_store.write(first)
    cypher_store.write(changed)
    assert snapshot(cypher_store) == snapshot(reference(first, changed))
    p1 = {(r.type, r.target_id) for r in cypher_store.relations() if r.source_id == "p1"}
    assert p1 == {
        (RelationType.MENTIONS, BERT.id),
        (RelationType.MENTIONS, GSM8K.id),
        (RelationType.EVALUATES_ON, BERT.id),
    }
    assert [p.title for p in cypher_store.papers() if p.id == "p1"] == ["v2"]
    assert cypher_store.paper_count(GPT4.id) == 1  # p2 still mentions it
    # p2 changes too: GPT-4 is left with no paper and goes
    cypher_store.write([_mentions(_paper("p2"), ACC)])
    assert GPT4.id not in {e.id for e in cypher_store.entities()}


def test_paper_count_follows_writes_and_deletes(cypher_store):
    cypher_store.write([_mentions(_paper(f"p{i}"), GSM8K, ACC) for i in range(5)])
    assert cypher_store.paper_count(GSM8K.id) == 5
    cypher_store.write([_mentions(_paper("p0"), ACC)])
    assert cypher_store.paper_count(GSM8K.id) == 4 and cypher_store.paper_count(ACC.id) == 5
    assert cypher_store.delete_papers(["p1", "p2", "missing"]) == 2
    assert cypher_store.paper_count(GSM8K.id) == 2 and cypher_store.paper_count(ACC.id) == 3


def test_delete_papers_removes_orphans_like_networkx(cypher_store):
    graphs = list(synthetic_paper_graphs(80, entities=120))
    cypher_store.write(graphs)
    cypher_store.write_entity_relations(synthetic_variant_relations(120, every=7))
    doomed = [g.paper.id for g in graphs[::3]]
    expected = reference(graphs)
    expected.write_entity_relations(synthetic_variant_relations(120, every=7))
    assert cypher_store.delete_papers(doomed) == expected.delete_papers(doomed) == len(doomed)
    assert snapshot(cypher_store) == snapshot(expected)


@pytest.mark.parametrize("cut", range(16))
def test_a_load_killed_after_any_statement_completes_when_run_again(cypher_store, cut):
    old = [synthetic_paper_graph(i, entities=30, per_paper=5) for i in range(20)]
    new = [synthetic_paper_graph(i, entities=30, per_paper=5, seed=1) for i in range(10, 30)]
    cypher_store.write(old)
    statements = paper_write_statements(new)
    assert cut < len(statements) == 16  # papers, 6 entity types, 5 relation types, stale edges, 3 settle
    cypher_store.session.write(statements[:cut])  # the process dies here
    cypher_store.write(new)
    assert snapshot(cypher_store) == snapshot(reference(old, new))


@pytest.mark.parametrize("cut", range(21))
def test_a_load_of_new_papers_killed_after_any_statement_completes_when_run_again(cypher_store, cut):
    """The CREATE path (papers new to the graph) is as kill-safe as the replace path."""
    old = [synthetic_paper_graph(i, entities=30, per_paper=5) for i in range(20)]
    new = [synthetic_paper_graph(i, entities=30, per_paper=5, seed=1) for i in range(10, 30)]
    cypher_store.write(old)
    statements = paper_write_statements(new, new_papers={g.paper.id for g in new[10:]})
    assert cut < len(statements) == 21  # + 5 CREATE statements for papers 20…29
    cypher_store.session.write(statements[:cut])  # the process dies here
    cypher_store.write(new)
    assert snapshot(cypher_store) == snapshot(reference(old, new))


def test_a_paper_written_twice_in_one_load_keeps_its_last_version(open_cypher_store):
    store = open_cypher_store(batch_size=9)
    first = list(synthetic_paper_graphs(30, entities=40))
    changed = list(synthetic_paper_graphs(30, entities=40, seed=2))[::3]
    store.write(first + changed)  # new in one batch, existing by a later one
    assert snapshot(store) == snapshot(reference(first, changed))


def test_variant_of_needs_both_ends(cypher_store):
    cypher_store.write([_mentions(_paper("p1"), GPT4, BERT)])
    cypher_store.write_entity_relations(
        [
            Relation(source_id=GPT4.id, target_id=BERT.id, type=RelationType.VARIANT_OF),
            Relation(source_id=GPT4.id, target_id="model:absent", type=RelationType.VARIANT_OF),
        ]
    )
    variants = [r for r in cypher_store.relations() if r.type is RelationType.VARIANT_OF]
    assert [(r.source_id, r.target_id) for r in variants] == [(GPT4.id, BERT.id)]


NASTY = [
    'O\'Brien "quoted" model',
    "`backtick` } { braces $param",
    "MATCH (n) DETACH DELETE n",
    "back\\slash and new\nline",
    "Überfall-数据集 🚀",
    "RETURN",
]


def test_names_with_quotes_backticks_braces_and_keywords_load_and_query_intact(cypher_store):
    entities = [Entity.named(EntityType.DATASET, name, (name + " (alias)",)) for name in NASTY]
    graphs = [
        _mentions(_paper(f"p'{i}`", title=name), entity)
        for i, (name, entity) in enumerate(zip(NASTY, entities))
    ]
    cypher_store.write(graphs)
    assert snapshot(cypher_store) == snapshot(reference(graphs))
    assert {p.title for p in cypher_store.papers()} == set(NASTY)
    for name in NASTY:
        found = cypher_store.session.read("MATCH (e:Entity {name: $name}) RETURN e.id AS id", {"name": name})
        assert len(found) == 1, name


def test_schema_is_created_on_first_use_and_opening_again_is_fine(open_cypher_store):
    store = open_cypher_store()
    if store.session.__class__.__name__ == "FalkorDBSession":
        constraints = store.session.read("CALL db.constraints()")
        unique = {(c["label"], tuple(c["properties"])) for c in constraints if c["type"] == "UNIQUE"}
        indexes = {(i["label"], p) for i in store.session.read("CALL db.indexes()") for p in i["properties"]}
        assert ("Entity", "name") in indexes
    else:
        constraints = store.session.read("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type")
        unique = {
            (c["labelsOrTypes"][0], tuple(c["properties"])) for c in constraints if "UNIQUE" in c["type"]
        }
    assert {("Paper", ("id",)), ("Entity", ("id",))} <= unique
    store.session.ensure_schema()  # idempotent


def test_reading_pages_through_everything(open_cypher_store):
    store = open_cypher_store()
    store.page_size = 3
    graphs = list(synthetic_paper_graphs(25, entities=40, per_paper=4))
    store.write(graphs)
    assert snapshot(store) == snapshot(reference(graphs))
