"""A user mistake ends in one line, `paperkg COMMAND: error: …`, naming the argument and the fix; never a
traceback. Each case runs `paperkg` in its own process, as a user would."""

from __future__ import annotations

import pytest

from paperkg.graph.networkx_store import NetworkXStore
from tests.cli_process import assert_user_error
from tests.cli_process import paperkg as run
from tests.conftest import free_port
from tests.graph_factories import paper_graph
from tests.synthetic_graph import synthetic_store


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A synthetic graph file (graph.json), an undated one (undated.json) and a file that is no graph."""
    folder = tmp_path_factory.mktemp("errors")
    synthetic_store().save(folder / "graph.json")
    undated = NetworkXStore()
    undated.write([paper_graph("t-a", "We train BERT on C4.", [("BERT", "MODEL"), ("C4", "DATASET")])])
    undated.save(folder / "undated.json")
    (folder / "notes.json").write_text("not a graph", encoding="utf-8")
    return folder


CASES = [
    # (arguments, command, fragments of the error line)
    (
        ["query", "top_entities", "-p", "limit=abc"],
        "query",
        ["parameter 'limit'", "whole number", "limit=10"],
    ),
    (
        ["query", "top_entities", "-p", "type=models"],
        "query",
        ["parameter 'type'", "model, method", "'models'"],
    ),
    (["query", "top_entities", "-p", "oops"], "query", ["-p", "KEY=VALUE", "-p limit=10"]),
    (["query", "top_entities", "-p", "kind=model"], "query", ["no parameter 'kind'", "it takes type, limit"]),
    (["query", "new_entities"], "query", ["parameter 'after' is required", "after=2023-06"]),
    (
        ["query", "neighborhood", "-p", "entity=LoRA", "-p", "hops=9"],
        "query",
        ["'hops'", "at most 3", "got 9"],
    ),
    (["query", "no_such_query"], "query", ["unknown query 'no_such_query'", "papers_mentioning"]),
    (
        ["query", "variants", "-p", "family=llama-3"],
        "query",
        ["no entity named 'llama-3'", "did you mean: LLaMA-2"],
    ),
    (["query", "paper_proposes", "-p", "paper=Llama"], "query", ["no paper with id or title 'Llama'"]),
    (["lookup", "gpt4", "--type", "gadget"], "lookup", ["argument --type", "one of model, method"]),
    (["lookup", "gpt4", "--limit", "0"], "lookup", ["argument --limit", "1 or more"]),
    (["lookup", "gpt4", "--graph", "missing.json"], "lookup", ["missing.json", "paperkg build"]),
    (
        ["lookup", "gpt4", "--graph", "notes.json"],
        "lookup",
        ["notes.json", "not a paperkg node-link graph file"],
    ),
    (["lookup", "gpt4", "--graph", "gopher://host/x"], "lookup", ["unsupported graph URI scheme 'gopher'"]),
    (
        ["cypher", "CREATE (n)", "--write"],
        "cypher",
        ["graph file takes no Cypher writes", "paperkg build"],
    ),
    (["viz", "--out", "x.png", "--format", "svg"], "viz", ["--out x.png", "--format is svg", "x.svg"]),
    (["viz", "--out", "x.jpg"], "viz", ["--out x.jpg", "unknown suffix '.jpg'", ".png"]),
    (["viz", "--out", "picture"], "viz", ["--out picture has no suffix", "--format"]),
    (["viz", "--out", "x.html", "--size", "10x10"], "viz", ["argument --size", "WIDTHxHEIGHT", "2000x1400"]),
    (["viz", "--out", "x.html", "--size", "800x600"], "viz", ["--size", ".png, .svg or .pdf"]),
    (["viz", "--out", "x.html", "--entity", "Zzyzx"], "viz", ["no entity named 'Zzyzx'", "paperkg lookup"]),
    (["viz", "--out", "x.html", "--hops", "0"], "viz", ["argument --hops", "1 or more"]),
    (["show", "no such paper", "--out", "p.html"], "show", ["no paper with id or title 'no such paper'"]),
    (["show", "2303.08774", "--out", "p.pdf"], "show", ["--out p.pdf", "HTML page", "p.html"]),
    (["build", "papers.jsonl", "--processes", "0"], "build", ["argument --processes", "1 or more"]),
    (["evaluate", "missing.jsonl"], "evaluate", ["missing.jsonl", "no such gold file"]),
    (["evaluate", "graph.json", "--corpus", "nope"], "evaluate", ["--corpus nope", "scier"]),
    (["evaluate", "graph.json"], "evaluate", ["can't tell the corpus of graph.json", "--corpus"]),
    (["train", "out", "--data-dir", "."], "train", ["--data-dir .", "train/"]),
    (["load", "graph.json"], "load", ["--backend neo4j or falkordb"]),
]


@pytest.mark.parametrize(("args", "command", "fragments"), CASES, ids=[" ".join(c[0])[:60] for c in CASES])
def test_user_mistakes_end_in_one_line_naming_the_fix(folder, args, command, fragments):
    graph = (
        []
        if "--graph" in args or command in ("build", "evaluate", "train", "load")
        else ["--graph", "graph.json"]
    )
    ran = run(*args, *graph, cwd=folder)
    assert_user_error(ran, command, *fragments)
    assert not (folder / "x.png").exists() and not (folder / "p.pdf").exists()  # nothing written on an error


def test_unreachable_servers_are_named_with_the_fix(folder):
    port = free_port()
    ran = run("lookup", "gpt4", "--graph", f"falkordb://127.0.0.1:{port}/paperkg", cwd=folder)
    assert_user_error(
        ran, "lookup", f"falkordb://127.0.0.1:{port}/paperkg", "cannot reach FalkorDB", "running?"
    )
    ran = run("query", "top_entities", "--graph", f"bolt://neo4j:secret@127.0.0.1:{port}", cwd=folder)
    line = assert_user_error(ran, "query", "cannot reach Neo4j", "running?")
    assert "secret" not in ran.err and "***" in line
    assert ran.err.count("\n") == 1  # the driver's retry log lines are not shown


def test_an_empty_answer_says_why_when_papers_have_no_dates(folder):
    ran = run("query", "new_entities", "-p", "after=2023", "--graph", "undated.json", cwd=folder)
    assert ran.code == 0 and "Traceback" not in ran.err
    assert ran.err.startswith(
        "(no rows: no paper in undated.json has a date, so no entity has a first-seen date"
    )
    ran = run("query", "new_entities", "-p", "after=2030", "--graph", "graph.json", cwd=folder)
    assert (
        ran.code == 0
        and ran.err
        == "(no rows: the newest dated paper is from 2024-02-01: nothing is first seen after 2030)\n"
    )


def test_falkordb_mistakes(folder, falkordb_server, falkordb_graph):
    from tests.falkordb_helper import load_store

    load_store(falkordb_server.host, falkordb_server.port, falkordb_graph, synthetic_store())
    uri = f"falkordb://{falkordb_server.host}:{falkordb_server.port}"
    ran = run("cypher", "CREATE (:Entity {id: 'x'})", "--graph", f"{uri}/{falkordb_graph}", cwd=folder)
    assert_user_error(ran, "cypher", "writes to the graph", "read-only", "add --write")
    ran = run("cypher", "MATCH (n RETURN n", "--graph", f"{uri}/{falkordb_graph}", cwd=folder)
    assert_user_error(ran, "cypher", "FalkorDB rejected the Cypher", "Invalid input")
    ran = run("query", "top_entities", "--graph", f"{uri}/no_such_graph", cwd=folder)
    assert_user_error(ran, "query", "there is no graph 'no_such_graph'", "paperkg load")
    ran = run(
        "cypher", "CREATE (:Entity {id: 'x'}) RETURN 1 AS n", "--write", "--graph", f"{uri}/{falkordb_graph}"
    )
    assert ran.code == 0 and ran.out.split() == ["n", "1"]
