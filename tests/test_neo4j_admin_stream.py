"""The streamed bulk export writes the rows of a store built and resolved from the same paper graphs."""

import csv
from pathlib import Path

import pytest

import paperkg
from paperkg.build import extract_paper_graphs
from paperkg.graph.cypher.neo4j_admin import FILE_HEADERS, export_neo4j_admin
from paperkg.graph.cypher.neo4j_admin_stream import export_paper_graphs
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.resolution import apply_resolution
from paperkg.sources import read_papers
from tests.conftest_paths import DEV
from tests.graph_factories import paper_graph


def rows(directory: Path) -> dict[str, list[list[str]]]:
    """Each file's header and its rows, sorted (the two exports write them in different orders)."""
    found = {}
    for name in FILE_HEADERS:
        with (directory / name).open(encoding="utf-8", newline="") as handle:
            header, *body = csv.reader(handle)
        found[name] = [header, *sorted(body)]
    return found


def stored_export(graphs, directory: Path):
    store = NetworkXStore()
    store.write(graphs)
    resolution = apply_resolution(store)
    return export_neo4j_admin(store, directory), resolution, store.counts()


@pytest.fixture(scope="module")
def seed_graphs():
    papers = list(read_papers([DEV / "seed_papers.jsonl"]))
    return list(extract_paper_graphs(papers, paperkg.load()))


def merging_graphs():
    """Paper 1 defines LoRA; paper 2 names LoRA and the long form apart, so its edges to both fold into one."""
    return [
        paper_graph(
            "p1",
            "We tune with Low-Rank Adaptation (LoRA) on GSM8K.",
            [
                ("Low-Rank Adaptation", "METHOD"),
                ("LoRA", "METHOD", "Low-Rank Adaptation"),
                ("GSM8K", "DATASET"),
            ],
        ),
        paper_graph(
            "p2",
            "LoRA is cheap. We propose Low-Rank Adaptation on GSM8K and LoRA again.",
            [("LoRA", "METHOD"), ("Low-Rank Adaptation", "METHOD"), ("GSM8K", "DATASET")],
        ),
    ]


@pytest.mark.parametrize("corpus", ["seed dev split", "hand-made merge"])
def test_streamed_export_writes_the_resolved_stores_rows(corpus, seed_graphs, tmp_path):
    graphs = seed_graphs if corpus == "seed dev split" else merging_graphs()
    stored, stored_resolution, stored_counts = stored_export(graphs, tmp_path / "store")
    streamed, streamed_resolution = export_paper_graphs(lambda: iter(graphs), tmp_path / "stream")
    assert streamed_resolution == stored_resolution
    assert stored_resolution.merged > 0  # the case is one where entities merge
    assert (streamed.nodes, streamed.relationships, streamed.multiline_fields) == (
        stored.nodes,
        stored.relationships,
        stored.multiline_fields,
    )
    assert rows(tmp_path / "stream") == rows(tmp_path / "store")
    assert streamed.graph == stored_counts


def test_a_paper_that_comes_twice_is_named(tmp_path):
    graphs = merging_graphs()
    with pytest.raises(ValueError, match="paper p1 comes twice"):
        export_paper_graphs(lambda: iter([*graphs, graphs[0]]), tmp_path)
