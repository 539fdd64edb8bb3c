"""Issue 15, output: control characters stored raw in a graph file never reach the terminal as escape
sequences, and a graph file missing what paperkg reads is one line naming the file and the node."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli_process import assert_user_error, paperkg

RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CLEAR_SCREEN = "\x1b[2J"
NAME = f"GPT-4{CLEAR_SCREEN}\x9b31m\x07"
TITLE = "A title\x1b]0;pwned\x07 that retitles the terminal\r"


def graph_file(path: Path, *, drop: tuple[str, str] | None = None) -> Path:
    """A node-link graph file written by hand (as an older paperkg or another tool may have): one paper
    mentioning one model, with raw control characters in the model's name and the paper's title.
    `drop=(node id, attribute)` leaves that attribute out."""
    nodes = [
        {
            "id": "2401.00001",
            "label": "Paper",
            "title": TITLE,
            "abstract": "Uses GPT-4.",
            "source": "x.jsonl",
        },
        {"id": "model:gpt4", "label": "Model", "name": NAME, "aliases": ["gpt4\x1b[0m"]},
    ]
    if drop:
        node = next(n for n in nodes if n["id"] == drop[0])
        del node[drop[1]]
    edge = {"source": "2401.00001", "target": "model:gpt4", "key": "MENTIONS", "type": "MENTIONS", "count": 1}
    data = {"directed": True, "multigraph": True, "graph": {}, "nodes": nodes, "edges": [edge]}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ("lookup", "model:gpt4"),
        ("query", "papers_mentioning", "-p", "entity=model:gpt4"),
        ("query", "entity_catalogue", "--format", "csv"),
        ("query", "paper_catalogue"),
    ],
)
def test_control_characters_in_a_graph_file_are_cleaned_when_it_opens(tmp_path, args):
    ran = paperkg(*args, "--graph", graph_file(tmp_path / "graph.json"))
    assert ran.code == 0, ran.err
    assert not RAW_CONTROL.search(ran.out + ran.err), repr(ran.out + ran.err)
    assert "GPT-4 [2J 31m" in ran.out or "A title ]0;pwned  that retitles the terminal" in ran.out


def test_control_characters_a_server_holds_print_as_escapes(falkordb_server, falkordb_graph):
    """A graph another tool wrote into the server: paperkg prints its names, never their escape sequences."""
    from falkordb import FalkorDB

    client = FalkorDB(host=falkordb_server.host, port=falkordb_server.port)
    client.select_graph(falkordb_graph).query(
        "CREATE (:Entity:Model {id: 'model:x', name: $name})", {"name": NAME}
    )
    client.connection.close()
    ran = paperkg(
        "cypher", "MATCH (e:Entity) RETURN e.name", "--graph", f"{falkordb_server.uri}/{falkordb_graph}"
    )
    assert ran.code == 0, ran.err
    assert not RAW_CONTROL.search(ran.out), repr(ran.out)
    assert "GPT-4\\x1b[2J\\x9b31m\\x07" in ran.out


def test_a_name_that_matches_nothing_is_echoed_without_its_escapes(tmp_path):
    ran = paperkg("lookup", f"nothing{CLEAR_SCREEN}", "--graph", graph_file(tmp_path / "graph.json"))
    assert ran.code == 1
    assert CLEAR_SCREEN not in ran.err and "nothing" in ran.err


@pytest.mark.parametrize(
    ("drop", "fragment"),
    [
        (("model:gpt4", "label"), "node 'model:gpt4' has no label"),
        (("2401.00001", "label"), "node '2401.00001' has no label"),
        (("model:gpt4", "name"), "entity node 'model:gpt4' has no name"),
    ],
)
@pytest.mark.parametrize("command", [("lookup", "gpt4", "--graph"), ("viz", "--out", "v.html", "--graph")])
def test_a_graph_file_missing_a_node_attribute_is_one_line_naming_file_and_node(
    tmp_path, drop, fragment, command
):
    path = graph_file(tmp_path / "graph.json", drop=drop)
    ran = paperkg(*command, path, cwd=tmp_path)
    assert_user_error(ran, command[0], str(path), fragment)


def test_a_graph_file_without_aliases_still_opens(tmp_path):
    ran = paperkg(
        "lookup", "model:gpt4", "--graph", graph_file(tmp_path / "graph.json", drop=("model:gpt4", "aliases"))
    )
    assert ran.code == 0, ran.err
