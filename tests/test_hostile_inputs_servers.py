"""Issue 15, servers: hostile text never reaches a server raw, no server can hang a command, and every
failure is one line.

Against the real CLI, the FalkorDB the tests start (`falkordb_server`) and the Neo4j one (`neo4j_server`);
a "silent" server is a real socket that accepts connections and never answers.
"""

from __future__ import annotations

import http.server
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperkg.graph.cypher.session import CONNECT_TIMEOUT_ENV
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.schema import Entity, EntityType, Paper, PaperGraph, Relation, RelationType
from paperkg.graph.synthetic import synthetic_paper_graphs
from tests.cli_process import Ran, assert_user_error, paperkg

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
FAIL_WITHIN_S = 20.0


# --- inputs --------------------------------------------------------------------------------------


def hostile_graph_file(path: Path) -> Path:
    """A node-link graph file written by hand with raw control characters in ids, names and text: what a
    graph file edited outside paperkg (or by an older version) may hold."""
    paper, entity = "2401.0\x01001", "model:gpt\x014"
    data = {
        "directed": True,
        "multigraph": True,
        "graph": {},
        "nodes": [
            {
                "id": paper,
                "label": "Paper",
                "title": "Title\x01 with\x1b[2J escapes",
                "abstract": "An abstract with a NUL\x00 inside.",
                "source": "hostile.jsonl",
                "authors": ["A\x07"],
                "categories": [],
            },
            {"id": entity, "label": "Model", "name": "GPT\x01-4", "aliases": ["gpt\x004"]},
        ],
        "edges": [
            {
                "source": paper,
                "target": entity,
                "key": "MENTIONS",
                "type": "MENTIONS",
                "count": 1,
                "evidence": [{"sentence": "Uses GPT\x01-4.", "start": 5, "end": 11}],
            }
        ],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def synthetic_graph_file(path: Path) -> Path:
    store = NetworkXStore()
    store.write(synthetic_paper_graphs(40, entities=60))
    return store.save(path)


def hub_graph_file(path: Path, width: int = 30) -> Path:
    """Source and target six edges apart through layers of `width` papers and entities, every paper linked to
    every entity of the layers beside it: `width`**5 shortest paths (24 million for 30), one 150-node graph."""

    def entity(name: str) -> Entity:
        return Entity.named(EntityType.METHOD, name)

    def paper(paper_id: str, entities: list[Entity]) -> PaperGraph:
        mentions = [
            Relation(source_id=paper_id, target_id=e.id, type=RelationType.MENTIONS) for e in entities
        ]
        item = Paper(id=paper_id, title=f"Paper {paper_id}", abstract="A hub.", source="hub.jsonl")
        return PaperGraph(paper=item, entities=tuple(entities), relations=tuple(mentions))

    first, second = [entity(f"E{i}") for i in range(width)], [entity(f"F{i}") for i in range(width)]
    store = NetworkXStore()
    store.write(paper(f"t-p{i:03d}", [entity("Alpha Source"), *first]) for i in range(width))
    store.write(paper(f"t-q{i:03d}", [*first, *second]) for i in range(width))
    store.write(paper(f"t-r{i:03d}", [*second, entity("Beta Target")]) for i in range(width))
    return store.save(path)


HUB_PATH = ("shortest_connection", "-p", "source=method:alphasource", "-p", "target=method:betatarget")


def all_text(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False)


def raw_rows(graph: str, text: str) -> list[dict]:
    """Rows of a Cypher query through the CLI, as JSON."""
    ran = paperkg("cypher", text, "--graph", graph, "--format", "json")
    assert ran.code == 0, ran.err
    return json.loads(ran.out)


def is_alive(host: str, port: int) -> bool:
    from falkordb import FalkorDB

    try:
        return bool(FalkorDB(host=host, port=port, socket_timeout=5).connection.ping())
    except Exception:  # noqa: BLE001 - any failure means the server is gone
        return False


@pytest.fixture
def silent_server(monkeypatch) -> Iterator[int]:
    """A TCP port that accepts connections and never answers (a frozen server). Connection checks get the
    1 s that PAPERKG_CONNECT_TIMEOUT asks for (test_graphdb_cli checks the 5 s default)."""
    monkeypatch.setenv(CONNECT_TIMEOUT_ENV, "1")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


@pytest.fixture
def csv_server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server serving a CSV; yields its URL and the paths requested from it."""
    requested: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requested.append(self.path)
            body = b"a,b\n1,2\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/rows.csv", requested
    server.shutdown()
    server.server_close()


def timed(*args: str) -> tuple[Ran, float]:
    start = time.monotonic()
    ran = paperkg(*args, timeout=120)
    return ran, time.monotonic() - start


# --- FalkorDB: hostile text ----------------------------------------------------------------------


def test_control_characters_in_ids_and_text_build_into_falkordb_without_killing_it(
    falkordb_server, falkordb_graph, tmp_path
):
    """A \\x01 in a paper id or entity text crashed the server; a NUL in an abstract failed its batch forever."""
    record = {
        "id": "hostile\x01id",
        "title": "GPT\x01-4 beats BERT\x00 on MMLU",
        "abstract": "We evaluate GPT\x01-4 and LLaMA\x00-2 on MMLU and GSM8K.\x00 Results \x1b[31mred.",
    }
    source = tmp_path / "hostile.jsonl"
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    uri = falkordb_server.uri
    ran = paperkg(
        "build", source, "--backend", "falkordb", "--uri", uri, "--database", falkordb_graph,
        "--rejects", tmp_path / "rejects.jsonl", timeout=300,
    )  # fmt: skip
    assert ran.code == 0, ran.err
    assert is_alive(falkordb_server.host, falkordb_server.port)
    graph = f"{uri}/{falkordb_graph}"
    papers = raw_rows(graph, "MATCH (p:Paper) RETURN p.id AS id, p.title AS title, p.abstract AS abstract")
    entities = raw_rows(graph, "MATCH (e:Entity) RETURN e.id AS id, e.name AS name, e.aliases AS aliases")
    assert [p["id"] for p in papers] == ["hostile id"]
    assert "GPT -4" in {e["name"] for e in entities}
    assert not CONTROL.search(all_text(papers + entities))


def test_a_graph_file_with_raw_control_characters_loads_clean_into_falkordb(
    falkordb_server, falkordb_graph, tmp_path
):
    graph_file = hostile_graph_file(tmp_path / "hostile.json")
    uri = falkordb_server.uri
    for _ in range(2):  # the same batch again: it neither fails nor duplicates
        ran = paperkg("load", graph_file, "--backend", "falkordb", "--uri", uri, "--database", falkordb_graph)
        assert ran.code == 0, ran.err
    assert is_alive(falkordb_server.host, falkordb_server.port)
    rows = raw_rows(
        f"{uri}/{falkordb_graph}",
        "MATCH (p:Paper)-[r]->(e:Entity) RETURN p.id AS paper, p.title AS title, p.abstract AS abstract, "
        "p.authors AS authors, e.id AS entity, e.name AS name, e.aliases AS aliases, "
        "r.evidence_sentences AS evidence",
    )
    assert len(rows) == 1
    assert rows[0]["paper"] == "2401.0 001" and rows[0]["entity"] == "model:gpt 4"
    assert rows[0]["abstract"] == "An abstract with a NUL  inside."
    assert not CONTROL.search(all_text(rows))


def test_a_nul_in_a_cypher_parameter_is_cleaned_not_a_server_error(falkordb_server, falkordb_graph, tmp_path):
    import paperkg as api

    ran = paperkg("load", synthetic_graph_file(tmp_path / "g.json"), "--backend", "falkordb",
                  "--uri", falkordb_server.uri, "--database", falkordb_graph)  # fmt: skip
    assert ran.code == 0, ran.err
    with api.open(f"{falkordb_server.uri}/{falkordb_graph}") as kg:
        assert kg.cypher("RETURN $x AS x", x="a\x00b\x01c").rows == [["a b c"]]
        assert kg.lookup("Model\x00-0").best.id == "model:model0"
        assert kg.query("papers_mentioning", entity="model\x00-0")


# --- timeouts: silent servers and long queries ---------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("lookup", "gpt4", "--graph", "falkordb://127.0.0.1:{port}/paperkg"),
        ("cypher", "RETURN 1", "--graph", "falkordb://127.0.0.1:{port}/paperkg"),
        ("load", "{graph}", "--backend", "falkordb", "--uri", "falkordb://127.0.0.1:{port}"),
        ("lookup", "gpt4", "--graph", "bolt://127.0.0.1:{port}"),
        ("cypher", "RETURN 1", "--graph", "neo4j://127.0.0.1:{port}"),
        ("load", "{graph}", "--backend", "neo4j", "--uri", "bolt://127.0.0.1:{port}", "--password", "x"),
    ],
)
def test_a_server_that_accepts_and_never_answers_fails_in_seconds(silent_server, tmp_path, args):
    graph = synthetic_graph_file(tmp_path / "g.json")
    ran, seconds = timed(*(a.format(port=silent_server, graph=graph) for a in args))
    line = assert_user_error(ran, args[0], f"127.0.0.1:{silent_server}")
    assert seconds < FAIL_WITHIN_S, (seconds, line)


def test_a_query_past_its_time_limit_is_stopped_with_one_line(falkordb_server, falkordb_graph, monkeypatch):
    graph = f"{falkordb_server.uri}/{falkordb_graph}"
    assert paperkg("cypher", "CREATE (:Marker)", "--graph", graph, "--write").code == 0
    monkeypatch.setenv("PAPERKG_QUERY_TIMEOUT", "0.05")
    heavy = "UNWIND range(1, 5000000) AS x WITH x WHERE x % 7 = 0 RETURN count(x)"  # a list it stops within
    ran, seconds = timed("cypher", heavy, "--graph", graph)
    assert_user_error(ran, "cypher", "ran past its 0.05 s limit", "PAPERKG_QUERY_TIMEOUT")
    assert seconds < FAIL_WITHIN_S


def test_a_networkx_query_past_its_time_limit_is_stopped_with_one_line(tmp_path, monkeypatch):
    store = NetworkXStore()
    store.write(synthetic_paper_graphs(1500, entities=3000))
    graph_file = store.save(tmp_path / "graph.json")
    assert paperkg("query", "top_entities", "-p", "limit=5", "--graph", graph_file).code == 0
    monkeypatch.setenv("PAPERKG_QUERY_TIMEOUT", "0.001")
    ran = paperkg("query", "top_entities", "-p", "limit=5", "--graph", graph_file)
    assert_user_error(ran, "query", str(graph_file), "ran past its 0.001 s limit")


def test_a_bad_query_timeout_setting_is_one_line(falkordb_server, falkordb_graph, monkeypatch):
    monkeypatch.setenv("PAPERKG_QUERY_TIMEOUT", "soon")
    ran = paperkg("cypher", "RETURN 1", "--graph", f"{falkordb_server.uri}/{falkordb_graph}")
    assert_user_error(ran, "cypher", "PAPERKG_QUERY_TIMEOUT='soon'")


def test_shortest_connection_through_hubs_answers_as_networkx_in_bounded_time(
    falkordb_server, falkordb_graph, tmp_path, monkeypatch
):
    """Enumerating every shortest path (allShortestPaths) held the server past any limit on this graph."""
    graph_file = hub_graph_file(tmp_path / "hub.json")
    ran = paperkg(
        "load",
        graph_file,
        "--backend",
        "falkordb",
        "--uri",
        falkordb_server.uri,
        "--database",
        falkordb_graph,
    )
    assert ran.code == 0, ran.err
    expected = paperkg("query", *HUB_PATH, "--format", "json", "--graph", graph_file)
    assert expected.code == 0 and len(json.loads(expected.out)) == 7, expected.err
    monkeypatch.setenv("PAPERKG_QUERY_TIMEOUT", "20")
    ran, seconds = timed(
        "query", *HUB_PATH, "--format", "json", "--graph", f"{falkordb_server.uri}/{falkordb_graph}"
    )
    assert ran.code == 0, ran.err
    assert json.loads(ran.out) == json.loads(expected.out)
    assert seconds < FAIL_WITHIN_S


def test_shortest_connection_on_falkordb_is_the_networkx_path_for_random_pairs(
    falkordb_server, falkordb_graph
):
    """The search from both ends takes the same path as NetworkX's from one, ties and hop limits included."""
    import random

    import paperkg as api

    store = NetworkXStore()
    store.write(synthetic_paper_graphs(300, entities=400))
    from tests.falkordb_helper import load_store

    load_store(falkordb_server.host, falkordb_server.port, falkordb_graph, store)
    entities = sorted(e.id for e in store.entities())
    rng = random.Random(15)
    found = 0
    with api.open(store) as local, api.open(f"{falkordb_server.uri}/{falkordb_graph}") as server:
        for _ in range(40):
            params = {
                "source": rng.choice(entities),
                "target": rng.choice(entities),
                "max_hops": rng.randint(1, 8),
            }
            expected = local.query("shortest_connection", **params)
            assert server.query("shortest_connection", **params) == expected, params
            found += bool(expected)
    assert found >= 10


# --- one line for refused connections, refused writes and LOAD CSV -------------------------------


@pytest.mark.parametrize("scheme", ["falkordb", "bolt"])
def test_connection_refused_is_one_line(scheme):
    from paperkg.graph.cypher.falkordb_server import free_port

    port = free_port()
    ran = paperkg("cypher", "RETURN 1", "--graph", f"{scheme}://127.0.0.1:{port}")
    assert_user_error(ran, "cypher", f"127.0.0.1:{port}", "is the server running?")


def test_a_write_sent_read_only_to_falkordb_is_one_line_and_writes_nothing(falkordb_server, falkordb_graph):
    graph = f"{falkordb_server.uri}/{falkordb_graph}"
    assert paperkg("cypher", "CREATE (:Marker {n: 1})", "--graph", graph, "--write").code == 0
    ran = paperkg("cypher", "CREATE (:Marker {n: 2})", "--graph", graph)
    assert_user_error(ran, "cypher", "writes to the graph", "--write")
    assert raw_rows(graph, "MATCH (m:Marker) RETURN m.n AS n") == [{"n": 1}]


def test_load_csv_is_refused_read_only_on_falkordb_and_nothing_is_fetched(
    falkordb_server, falkordb_graph, csv_server, tmp_path
):
    url, requested = csv_server
    graph = f"{falkordb_server.uri}/{falkordb_graph}"
    local = tmp_path / "rows.csv"
    local.write_text("a,b\n1,2\n", encoding="utf-8")
    for source in (url, local.as_uri()):
        ran = paperkg("cypher", f"LOAD CSV FROM '{source}' AS row RETURN row", "--graph", graph)
        assert_user_error(ran, "cypher", "LOAD CSV", "--write")
        ran = paperkg("cypher", f"load  csv with headers from '{source}' AS row RETURN row", "--graph", graph)
        assert_user_error(ran, "cypher", "LOAD CSV")
    assert requested == []


# --- Neo4j ---------------------------------------------------------------------------------------


@pytest.fixture
def neo4j_graph(neo4j_db) -> str:
    return f"bolt://{neo4j_db.user}:{neo4j_db.password}@{neo4j_db.host}:{neo4j_db.port}"


@pytest.mark.neo4j
def test_a_graph_file_with_raw_control_characters_loads_clean_into_neo4j(neo4j_db, neo4j_graph, tmp_path):
    graph_file = hostile_graph_file(tmp_path / "hostile.json")
    ran = paperkg(
        "load", graph_file, "--backend", "neo4j", "--uri", neo4j_db.uri, "--password", neo4j_db.password
    )
    assert ran.code == 0, ran.err
    rows = raw_rows(
        neo4j_graph,
        "MATCH (p:Paper)-[r]->(e:Entity) RETURN p.id AS paper, p.title AS title, p.abstract AS abstract, "
        "e.id AS entity, e.name AS name, e.aliases AS aliases, r.evidence_sentences AS evidence",
    )
    assert [(r["paper"], r["entity"]) for r in rows] == [("2401.0 001", "model:gpt 4")]
    assert not CONTROL.search(all_text(rows))


@pytest.mark.neo4j
def test_neo4j_refuses_writes_and_load_csv_read_only_in_one_line(neo4j_db, neo4j_graph, csv_server):
    url, requested = csv_server
    ran = paperkg("cypher", "CREATE (:Marker)", "--graph", neo4j_graph)
    assert_user_error(ran, "cypher", "writes to the graph", "--write")
    ran = paperkg("cypher", f"LOAD CSV FROM '{url}' AS row RETURN row", "--graph", neo4j_graph)
    assert_user_error(ran, "cypher", "LOAD CSV", "--write")
    assert requested == []
    assert raw_rows(neo4j_graph, "MATCH (m:Marker) RETURN count(m) AS n") == [{"n": 0}]


@pytest.mark.neo4j
def test_a_neo4j_query_past_its_time_limit_is_stopped_with_one_line(neo4j_db, neo4j_graph, monkeypatch):
    monkeypatch.setenv("PAPERKG_QUERY_TIMEOUT", "0.5")
    heavy = "UNWIND range(1, 500000000) AS x WITH x WHERE x % 7 = 0 RETURN count(x)"
    ran, seconds = timed("cypher", heavy, "--graph", neo4j_graph)
    assert_user_error(ran, "cypher", "ran past its 0.5 s limit")
    assert seconds < FAIL_WITHIN_S


@pytest.mark.neo4j
def test_shortest_connection_through_hubs_on_neo4j_answers_as_networkx(
    neo4j_db, neo4j_graph, tmp_path, monkeypatch
):
    graph_file = hub_graph_file(tmp_path / "hub.json")
    ran = paperkg(
        "load", graph_file, "--backend", "neo4j", "--uri", neo4j_db.uri, "--password", neo4j_db.password
    )
    assert ran.code == 0, ran.err
    expected = paperkg("query", *HUB_PATH, "--format", "json", "--graph", graph_file)
    monkeypatch.setenv("PAPERKG_QUERY_TIMEOUT", "20")
    ran, seconds = timed("query", *HUB_PATH, "--format", "json", "--graph", neo4j_graph)
    assert ran.code == 0, ran.err
    assert json.loads(ran.out) == json.loads(expected.out) and len(json.loads(ran.out)) == 7
    assert seconds < FAIL_WITHIN_S
