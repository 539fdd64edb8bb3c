"""NetworkX store: idempotent writes, rewrites without stale edges, persistence round trips."""

import networkx as nx

from paperkg.graph.networkx_store import NetworkXStore
from tests.graph_factories import paper_graph

P1 = paper_graph(
    "p1", "GPT-4 beats GPT4 on MMLU.", [("GPT-4", "MODEL"), ("GPT4", "MODEL", "GPT-4"), ("MMLU", "BENCHMARK")]
)
P2 = paper_graph("p2", "We test GPT-4 with accuracy.", [("GPT-4", "MODEL"), ("accuracy", "METRIC")])


def test_papers_and_entities_become_labelled_nodes_with_counted_edges():
    store = NetworkXStore()
    store.write([P1, P2])
    graph = store.graph
    assert graph.nodes["p1"]["label"] == "Paper"
    assert graph.nodes["model:gpt4"]["label"] == "Model"
    assert graph.nodes["model:gpt4"]["name"] == "GPT-4"
    assert graph.nodes["model:gpt4"]["aliases"] == ["GPT4"]
    assert graph.edges["p1", "model:gpt4", "MENTIONS"]["count"] == 2
    assert store.paper_count("model:gpt4") == 2
    assert store.counts().nodes == {"Benchmark": 1, "Metric": 1, "Model": 1, "Paper": 2}
    assert store.counts().relationships == {"MENTIONS": 4}


def test_writing_the_same_papers_twice_changes_nothing():
    once, twice = NetworkXStore(), NetworkXStore()
    once.write([P1, P2])
    twice.write([P1, P2])
    twice.write([P2, P1])
    assert nx.utils.graphs_equal(once.graph, twice.graph)
    assert once.counts() == twice.counts()


def test_rewriting_a_changed_paper_leaves_no_stale_edges_or_orphans():
    store = NetworkXStore()
    store.write([P1, P2])
    changed = paper_graph("p1", "Now only CIFAR-10.", [("CIFAR-10", "DATASET")])
    store.write([changed])
    assert "benchmark:mmlu" not in store.graph  # orphaned by the rewrite
    assert list(store.graph.successors("p1")) == ["dataset:cifar10"]
    assert store.paper_count("model:gpt4") == 1


def test_delete_removes_paper_and_entities_left_without_papers():
    store = NetworkXStore()
    store.write([P1, P2])
    assert store.delete_papers(["p1", "missing"]) == 1
    assert "p1" not in store.graph and "benchmark:mmlu" not in store.graph
    assert "model:gpt4" in store.graph


def test_node_link_json_round_trip(tmp_path):
    store = NetworkXStore()
    store.write([P1, P2])
    path = store.save(tmp_path / "g.json")
    loaded = NetworkXStore.open(path, create=False)
    assert nx.utils.graphs_equal(store.graph, loaded.graph)
    assert sorted(p.id for p in loaded.papers()) == ["p1", "p2"]
    relation = next(r for r in loaded.relations() if r.target_id == "benchmark:mmlu")
    assert P1.paper.text[relation.evidence[0].start : relation.evidence[0].end] == "MMLU"


def test_graphml_export_reads_back_with_same_nodes(tmp_path):
    store = NetworkXStore()
    store.write([P1, P2])
    path = store.export_graphml(tmp_path / "g.graphml")
    back = nx.read_graphml(path)
    assert set(back.nodes) == set(store.graph.nodes)
    assert back.nodes["model:gpt4"]["label"] == "Model"


def test_opening_a_broken_graph_file_names_the_file(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    try:
        NetworkXStore.open(bad)
    except ValueError as err:
        assert "broken.json" in str(err)
    else:
        raise AssertionError("a broken graph file must raise")
