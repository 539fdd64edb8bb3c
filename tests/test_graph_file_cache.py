"""The binary copies beside a graph file: the same graph as the node-link JSON, and never stale."""

from __future__ import annotations

import json
import os
import shutil

import networkx as nx

import paperkg
from paperkg.graph.file_cache import cache_path, read_cache, write_cache
from paperkg.graph.networkx_store import GRAPH_CLASSES, NetworkXStore, graph_from_node_link
from paperkg.graph.schema import EntityType
from paperkg.graph.synthetic import synthetic_entity, synthetic_paper_graphs, synthetic_variant_relations


def saved_synthetic(path, papers: int = 40, seed: int = 0):
    store = NetworkXStore()
    store.write(synthetic_paper_graphs(papers, entities=60, seed=seed))
    store.write_entity_relations(synthetic_variant_relations(60, every=7))
    store.merge_entities({synthetic_entity(12).id: synthetic_entity(0).id})
    return store.save(path)


def cached_graph(path):
    return read_cache(path, classes=GRAPH_CLASSES)


def everything(graph: nx.MultiDiGraph) -> tuple:
    """Nodes, edges and graph data as JSON values (an edge's evidence is a tuple in memory, a list in JSON)."""
    return (
        list(graph.nodes(data=True)),
        json.loads(json.dumps(list(graph.edges(keys=True, data=True)))),
        graph.graph,
    )


def from_json(path) -> nx.MultiDiGraph:
    data = json.loads(path.read_text(encoding="utf-8"))
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")


def test_the_binary_copy_holds_the_same_graph_as_the_json(tmp_path):
    path = saved_synthetic(tmp_path / "graph.json")
    assert cache_path(path).exists()
    cached = cached_graph(path)
    assert everything(cached) == everything(from_json(path))
    opened = NetworkXStore.open(path)
    assert everything(opened.graph) == everything(from_json(path))


def test_the_compact_json_reader_builds_what_networkx_builds(tmp_path):
    path = saved_synthetic(tmp_path / "graph.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert everything(graph_from_node_link(data)) == everything(from_json(path))


def test_saving_twice_writes_the_same_json_whether_opened_from_json_or_cache(tmp_path):
    path = saved_synthetic(tmp_path / "graph.json")
    first = path.read_bytes()
    NetworkXStore.open(path).save(tmp_path / "again.json")  # from the cache
    cache_path(path).unlink()
    NetworkXStore.open(path).save(tmp_path / "from_json.json")  # from the JSON
    assert (tmp_path / "again.json").read_bytes() == first
    assert (tmp_path / "from_json.json").read_bytes() == first


def test_a_graph_file_replaced_by_another_is_read_from_its_json_not_the_old_cache(tmp_path):
    path = saved_synthetic(tmp_path / "graph.json", papers=40)
    other = saved_synthetic(tmp_path / "other.json", papers=12, seed=3)
    kg = paperkg.open(path)
    assert kg.lookup(synthetic_entity(0).name).found  # writes the index cache
    assert cache_path(path, "entity-index").exists()
    kg.close()
    shutil.copyfile(other, path)  # the old caches stay behind, now stale
    assert cached_graph(path) is None
    reopened = NetworkXStore.open(path)
    assert everything(reopened.graph) == everything(from_json(other))
    assert len(paperkg.open(path).index) == len(paperkg.open(other).index)
    assert cached_graph(path) is not None  # rewritten for the next open


def test_the_lookup_index_follows_a_rebuilt_graph(tmp_path):
    path = tmp_path / "graph.json"
    store = NetworkXStore()
    store.write(synthetic_paper_graphs(10, entities=20))
    store.save(path)
    assert not paperkg.open(path).lookup("NewNet").found
    store = NetworkXStore.open(path)
    store.write([graph_with_entity("NewNet")])
    store.save(path)
    found = paperkg.open(path).lookup("NewNet")
    assert found.found and found.best.type is EntityType.MODEL


def test_a_store_written_after_opening_does_not_use_the_files_index(tmp_path):
    path = saved_synthetic(tmp_path / "graph.json")
    assert paperkg.open(path).lookup(synthetic_entity(0).name).found  # index cached for the file
    store = NetworkXStore.open(path)
    assert store.saved_path == path
    store.write([graph_with_entity("NewNet")])
    assert store.saved_path is None
    assert paperkg.open(store).lookup("NewNet").found


def test_an_unreadable_or_foreign_cache_is_ignored(tmp_path):
    path = saved_synthetic(tmp_path / "graph.json")
    expected = everything(from_json(path))
    cache = cache_path(path)
    header = cache.read_bytes().split(b"\n", 2)
    cache.write_bytes(header[0] + b"\n" + header[1] + b"\n" + b"not a pickle")
    assert everything(NetworkXStore.open(path).graph) == expected
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # same bytes, touched
    assert cached_graph(path) is None
    assert everything(NetworkXStore.open(path).graph) == expected


class OtherCode:
    """Stands for code other than the graph's: a cache made by it is not the graph's."""


def test_a_cache_made_by_other_code_is_not_read(tmp_path):
    path = saved_synthetic(tmp_path / "graph.json")
    write_cache(path, nx.MultiDiGraph(), classes=(OtherCode,))  # current for the file, not for the code
    assert cached_graph(path) is None
    assert everything(NetworkXStore.open(path).graph) == everything(from_json(path))


def test_a_cache_that_cannot_be_written_leaves_the_graph_opening_from_json(tmp_path):
    path = saved_synthetic(tmp_path / "graph.json")
    cache_path(path).unlink()
    (cache_path(path) / "in the way").mkdir(parents=True)  # a folder where the cache would go
    assert everything(NetworkXStore.open(path).graph) == everything(from_json(path))
    assert cached_graph(path) is None and not list(tmp_path.glob("*.tmp"))


def graph_with_entity(name: str):
    from paperkg.graph.schema import Entity, Paper, PaperGraph, Relation, RelationType

    paper = Paper(id="9999.00001", title="A new net", abstract=f"We propose {name}.", source="t.jsonl")
    entity = Entity.named(EntityType.MODEL, name)
    relation = Relation(source_id=paper.id, target_id=entity.id, type=RelationType.PROPOSES)
    return PaperGraph(paper=paper, entities=(entity,), relations=(relation,))


def test_the_cached_indexes_answer_as_freshly_built_ones(tmp_path):
    path = saved_synthetic(tmp_path / "graph.json")
    fresh = paperkg.open(path)
    queries = [synthetic_entity(i).name for i in (0, 5, 13)] + [
        "model-1",
        "Method-13 v1",
        "Metrik-2",
        "nothing",
    ]
    answers = [fresh.lookup(q) for q in queries]  # builds and caches the entity index
    papers = [
        fresh.lookup_paper(t) for t in ("Paper 3: on {braces}, 'quotes' and `ticks`", "2000.00007", "Papr")
    ]
    reopened = paperkg.open(path)

    def no_queries(*args, **kwargs):
        raise AssertionError("the index was rebuilt instead of read from its cache")

    reopened.query = no_queries
    assert [reopened.lookup(q) for q in queries] == answers
    assert [
        reopened.lookup_paper(t) for t in ("Paper 3: on {braces}, 'quotes' and `ticks`", "2000.00007", "Papr")
    ] == papers
    assert list(reopened.index.by_id.items()) == list(fresh.index.by_id.items())
    assert any(a.found for a in answers) and any(p.best for p in papers)


def test_an_opened_graph_holds_each_node_id_and_sentence_once(tmp_path):
    path = saved_synthetic(tmp_path / "graph.json")
    from_cache = NetworkXStore.open(path).graph
    from_file = graph_from_node_link(json.loads(path.read_text(encoding="utf-8")))
    for graph in (from_cache, from_file):
        nodes = {node: node for node in graph}
        assert all(nodes[v] is v for neighbours in graph._succ.values() for v in neighbours)
        assert all(nodes[u] is u for neighbours in graph._pred.values() for u in neighbours)
        sentences: dict[str, str] = {}
        repeats = 0
        for _, _, data in graph.edges(data=True):
            for item in data.get("evidence", ()):
                repeats += item["sentence"] in sentences
                assert sentences.setdefault(item["sentence"], item["sentence"]) is item["sentence"]
        assert repeats > 0  # the synthetic papers do repeat sentences: the check above had work to do


def test_edges_citing_the_same_sentences_share_one_evidence_tuple(tmp_path):
    """Across the graph once opened; within each paper while a build writes it (no table across papers)."""
    path = saved_synthetic(tmp_path / "graph.json")
    from_cache = NetworkXStore.open(path).graph
    from_file = graph_from_node_link(json.loads(path.read_text(encoding="utf-8")))
    written = NetworkXStore()
    written.write(synthetic_paper_graphs(40, entities=60, seed=3))
    for graph, per_paper in ((from_cache, False), (from_file, False), (written.graph, True)):
        held: dict[tuple, tuple] = {}
        shared = 0
        for source, _, data in graph.edges(data=True):
            evidence = data["evidence"]
            assert isinstance(evidence, tuple)  # immutable: one edge cannot change another's evidence
            identity = (
                source if per_paper else None,
                *((e["sentence"], e["start"], e["end"]) for e in evidence),
            )
            shared += identity in held
            assert held.setdefault(identity, evidence) is evidence
        assert shared > 0
