"""Issue 15, resolution: a build of nothing changes nothing, and building B then A gives A+B exactly.

Slices of the seed pages, found by replaying resolution on the seed graph (before the fix each one broke):
three papers of the first page whose first pass merges QA- into QA, which the next pass then merges with
question answering (an empty build merged one more entity), and eight papers of two pages whose merged names
and survivors depended on which was built first.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paperkg.sources import ReadStats, read_papers
from tests.cli_process import paperkg
from tests.conftest_paths import SEEDS

FIXED_POINT_TITLES = (
    "Revisiting Text-to-Image Evaluation with Gecko",
    "Meta-training with Demonstration Retrieval for Efficient Few-shot Learning",
    "Large Language Models Struggle to Learn Long-Tail Knowledge",
)
SLICE_A = (  # seeds/000_…
    "PanGu-$α$: Large-scale Autoregressive",
    "Wide Attention Is The Way Forward For Transformers?",
    "Vision-by-Language for Training-Free Compositional Image Retrieval",
    "Improved Active Multi-Task Representation Learning via Lasso",
)
SLICE_B = (  # seeds/001_…
    "Pretraining task diversity and the emergence of non-Bayesian in-context learning",
    "Horizon-Length Prediction: Advancing Fill-in-the-Middle",
    "Images Speak in Images: A Generalist Painter",
    "IBCL: Zero-shot Model Generation for Task Trade-offs",
)


def seed_slice(path: Path, titles: tuple[str, ...]) -> Path:
    """The seed papers whose titles start with `titles`, as JSONL (title, abstract) at `path`."""
    papers = {p.title: p for p in read_papers(sorted(SEEDS.glob("*.txt")), stats=ReadStats())}
    rows = []
    for start in titles:
        found = [p for title, p in papers.items() if title.startswith(start)]
        assert len(found) == 1, (start, len(found))
        rows.append({"title": found[0].title, "abstract": found[0].abstract})
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def build(out: Path, *inputs: Path) -> str:
    ran = paperkg("build", *inputs, "--out", out, "--rejects", out.with_suffix(".rejects.jsonl"), timeout=300)
    assert ran.code == 0, ran.err
    return ran.out


def entity_graph(path: Path) -> tuple[dict, list]:
    """Entity nodes (id → label, name, aliases) and every edge with its count and evidence, from a graph file.
    Paper nodes are left out: they name the file each paper was read from."""
    data = json.loads(path.read_text(encoding="utf-8"))
    nodes = {
        n["id"]: (n["label"], n["name"], tuple(n["aliases"])) for n in data["nodes"] if n["label"] != "Paper"
    }
    edges = sorted(
        (e["source"], e["target"], e["key"], e.get("count"), json.dumps(e.get("evidence"), sort_keys=True))
        for e in data["edges"]
    )
    return nodes, edges


@pytest.fixture(scope="module")
def slices(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("slices")
    seed_slice(folder / "fixed_point.jsonl", FIXED_POINT_TITLES)
    seed_slice(folder / "a.jsonl", SLICE_A)
    seed_slice(folder / "b.jsonl", SLICE_B)
    (folder / "empty.jsonl").write_text("", encoding="utf-8")
    return folder


def test_building_an_empty_file_into_a_graph_changes_nothing(slices, tmp_path):
    graph = tmp_path / "graph.json"
    build(graph, slices / "fixed_point.jsonl")
    before = entity_graph(graph)
    assert "task:qa" in before[0] and "task:questionanswering" not in before[0], (
        "one build reaches the fixed point (QA- into QA, then question answering into QA)"
    )
    out = build(graph, slices / "empty.jsonl")
    assert "resolution merged 0 entities" in out
    assert entity_graph(graph) == before


def test_building_b_then_a_equals_building_a_and_b_at_once(slices, tmp_path):
    together, one_by_one = tmp_path / "together.json", tmp_path / "one_by_one.json"
    build(together, slices / "a.jsonl", slices / "b.jsonl")
    build(one_by_one, slices / "b.jsonl")
    build(one_by_one, slices / "a.jsonl")
    nodes, edges = entity_graph(together)
    assert entity_graph(one_by_one) == (nodes, edges)
    assert len(nodes) > 50 and len(edges) > 50
