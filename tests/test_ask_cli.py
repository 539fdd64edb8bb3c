"""`paperkg query`, `paperkg cypher` and `paperkg lookup` on a synthetic graph file."""

from __future__ import annotations

import csv
import io
import json

import pytest

from paperkg.cli import main
from tests.synthetic_graph import synthetic_store


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    return str(synthetic_store().save(tmp_path_factory.mktemp("cli") / "graph.json"))


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_query_formats(capsys, graph_file):
    code, out, _ = run(
        capsys, "query", "cooccurring", "-p", "entity=gpt 4", "-p", "limit=2", "--graph", graph_file
    )
    assert code == 0
    assert out.splitlines() == [
        "id               type       name     papers",
        "benchmark:gsm8k  Benchmark  GSM8K    3",
        "model:gpt3.5     Model      GPT-3.5  3",
    ]
    _, out, _ = run(
        capsys, "query", "variants", "--param", "family=LLaMA-2", "--format", "json", "--graph", graph_file
    )
    assert [row["name"] for row in json.loads(out)] == ["LLaMA-2-70B", "LLaMA-2-7B", "LLaMA-2-7B-Chat"]
    _, out, _ = run(
        capsys, "query", "papers_mentioning", "-p", "entity=C4", "--format", "csv", "--graph", graph_file
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["2307.09288", "2205.00002", "t-bert-revisited"]
    assert rows[0]["relations"] == "MENTIONS, USES"


def test_query_list_and_errors(capsys, graph_file):
    code, out, _ = run(capsys, "query", "--list")
    assert code == 0 and "  shortest_connection  the shortest path between two entities\n" in out
    assert "      -p max_hops=4             a whole number from 1 to 8 (default: 6)\n" in out
    code, _, err = run(
        capsys, "query", "neighborhood", "-p", "entity=LoRA", "-p", "hops=9", "--graph", graph_file
    )
    assert code == 2 and "at most 3" in err
    code, _, err = run(capsys, "query", "top_entities", "-p", "oops", "--graph", graph_file)
    assert code == 2 and "KEY=VALUE" in err
    code, _, err = run(capsys, "cypher", "CREATE (n)", "--write", "--graph", graph_file)
    assert code == 2 and "graph file takes no Cypher writes" in err


def test_lookup_exact_fuzzy_and_suggestions(capsys, graph_file):
    code, out, _ = run(capsys, "lookup", "gsm8k", "--graph", graph_file)
    assert code == 0 and out.startswith("GSM8K [Benchmark] benchmark:gsm8k — 3 papers\n")
    code, out, _ = run(capsys, "lookup", "HumanEvl", "--graph", graph_file)
    assert code == 0 and "fuzzy match on 'HumanEval'" in out
    code, _, err = run(capsys, "lookup", "llama-3", "--graph", graph_file)
    assert code == 1 and "did you mean: LLaMA-2 [Model]" in err
