"""`paperkg load / delete / export` and `build --backend`: results on FalkorDB and failure behaviour."""

from __future__ import annotations

import csv
import time
from contextlib import suppress

import pytest

from paperkg.cli import build_parser, main
from paperkg.graph.cypher.neo4j_admin import (
    ARRAY_DELIMITER,
    ENTITY_HEADER,
    ENTITY_RELATION_HEADER,
    PAPER_HEADER,
    PAPER_RELATION_HEADER,
)
from paperkg.graph.cypher.session import CONNECT_TIMEOUT_ENV
from paperkg.graph.cypher.store import CypherStore
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.schema import Entity, EntityType, Evidence, Paper, PaperGraph, Relation, RelationType
from paperkg.graph.synthetic import synthetic_paper_graphs, synthetic_variant_relations
from tests.conftest import free_port, running_falkordb
from tests.neo4j_server import running_neo4j

FAIL_WITHIN_S = 10.0
SECRET = "not-the-real-pw-7f3a"
NASTY_TITLE = 'A "quoted", multi-line\ntitle; with {braces} and `ticks`'
COT = Entity.named(EntityType.METHOD, 'Chain-of-Thought; "CoT"', ("CoT", "chain of thought"))


@pytest.fixture
def graph_file(tmp_path):
    """A saved NetworkX graph: synthetic papers, VARIANT_OF edges and one paper with a nasty title."""
    store = NetworkXStore()
    store.write(synthetic_paper_graphs(150, entities=200))
    nasty = COT
    paper = Paper(
        id="2401.99999", title=NASTY_TITLE, abstract="Uses CoT.", source="x.jsonl", authors=("A; B", "C")
    )
    store.write(
        [
            PaperGraph(
                paper=paper,
                entities=(nasty,),
                relations=(
                    Relation(
                        source_id=paper.id,
                        target_id=nasty.id,
                        type=RelationType.MENTIONS,
                        count=2,
                        evidence=(Evidence(sentence='Uses "CoT"; twice.', start=0, end=3),),
                    ),
                ),
            )
        ]
    )
    store.write_entity_relations(synthetic_variant_relations(200, every=9))
    return store.save(tmp_path / "graph.json")


def _falkordb_args(server, graph: str) -> list[str]:
    return ["--backend", "falkordb", "--uri", server.uri, "--graph-name", graph]


def _open(server, graph: str, password: str | None = None) -> CypherStore:
    from paperkg.graph.cypher.falkordb_session import FalkorDBSession

    return CypherStore(FalkorDBSession(server.uri, graph, password=password))


def test_load_pushes_the_graph_file_and_reloading_changes_nothing(
    graph_file, falkordb_server, falkordb_graph, capsys
):
    assert main(["load", str(graph_file), *_falkordb_args(falkordb_server, falkordb_graph)]) == 0
    assert f"into {falkordb_server.uri}" in capsys.readouterr().out
    expected = NetworkXStore.open(graph_file, create=False)
    store = _open(falkordb_server, falkordb_graph)
    assert store.counts() == expected.counts()
    first = sorted(r.model_dump_json() for r in store.relations())
    assert first == sorted(r.model_dump_json() for r in expected.relations())
    assert (
        main(
            ["load", str(graph_file), *_falkordb_args(falkordb_server, falkordb_graph), "--batch-size", "13"]
        )
        == 0
    )
    assert store.counts() == expected.counts()
    assert sorted(r.model_dump_json() for r in store.relations()) == first
    store.close()


def test_delete_removes_papers_and_orphans_on_falkordb_and_networkx(
    graph_file, falkordb_server, falkordb_graph, capsys
):
    assert main(["load", str(graph_file), *_falkordb_args(falkordb_server, falkordb_graph)]) == 0
    argv = ["delete", "2401.99999", "2000.00000", "no-such-paper"]
    assert main([*argv, *_falkordb_args(falkordb_server, falkordb_graph)]) == 0
    assert "deleted 2 papers (1 not found)" in capsys.readouterr().out
    assert main([*argv, "--graph", str(graph_file)]) == 0
    expected = NetworkXStore.open(graph_file, create=False)
    assert "2401.99999" not in expected.graph and COT.id not in expected.graph
    store = _open(falkordb_server, falkordb_graph)
    assert store.counts() == expected.counts()
    assert sorted(e.id for e in store.entities()) == sorted(e.id for e in expected.entities())
    store.close()


def _read_csv(path):
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return tuple(rows[0]), rows[1:]


def test_export_neo4j_admin_writes_typed_headers_and_every_record(graph_file, tmp_path, capsys):
    out = tmp_path / "import"
    assert main(["export", "--format", "neo4j-admin", str(out), "--graph", str(graph_file)]) == 0
    printed = capsys.readouterr().out
    assert "neo4j-admin database import full neo4j" in printed and "--array-delimiter=U+001F" in printed
    assert "--multiline-fields=true" in printed  # the nasty title spans two lines
    expected = NetworkXStore.open(graph_file, create=False)
    counts = expected.counts()

    header, papers = _read_csv(out / "papers.csv")
    assert header == PAPER_HEADER and header[0] == "id:ID(Paper)"
    assert len(papers) == counts.nodes["Paper"]
    nasty = next(row for row in papers if row[0] == "2401.99999")
    assert nasty[1] == "Paper" and nasty[2] == NASTY_TITLE
    assert nasty[header.index("authors:string[]")].split(ARRAY_DELIMITER) == ["A; B", "C"]

    header, entities = _read_csv(out / "entities.csv")
    assert header == ENTITY_HEADER and header[0] == "id:ID(Entity)"
    assert len(entities) == counts.total_nodes - counts.nodes["Paper"]
    by_id = {row[0]: row for row in entities}
    cot = by_id[COT.id]
    assert cot[1].split(ARRAY_DELIMITER) == ["Entity", "Method"]
    assert cot[3].split(ARRAY_DELIMITER) == ["CoT", "chain of thought"]
    for entity_id, row in by_id.items():
        assert int(row[4]) == expected.paper_count(entity_id)

    header, paper_edges = _read_csv(out / "paper_relations.csv")
    assert header == PAPER_RELATION_HEADER and header[:3] == (":START_ID(Paper)", ":END_ID(Entity)", ":TYPE")
    _, entity_edges = _read_csv(out / "entity_relations.csv")
    assert _read_csv(out / "entity_relations.csv")[0] == ENTITY_RELATION_HEADER
    assert len(paper_edges) + len(entity_edges) == counts.total_relationships
    assert {row[2] for row in entity_edges} == {"VARIANT_OF"}
    cot_edge = next(row for row in paper_edges if row[0] == "2401.99999")
    assert cot_edge[2:] == ["MENTIONS", "2", 'Uses "CoT"; twice.', "0", "3"]


def test_build_and_load_accept_connection_flags():
    args = build_parser().parse_args(
        [
            "build",
            "in/",
            "--backend",
            "neo4j",
            "--uri",
            "neo4j://h:7687",
            "--user",
            "u",
            "--database",
            "papers",
        ]
    )
    assert (args.backend, args.uri, args.user, args.database, args.batch_size) == (
        "neo4j",
        "neo4j://h:7687",
        "u",
        "papers",
        500,
    )
    args = build_parser().parse_args(["load", "g.json", "--backend", "falkordb", "--graph-name", "kg"])
    assert args.database == "kg"


# --- failure behaviour ----------------------------------------------------------------------------
def _run_failing(argv: list[str], capsys, monkeypatch) -> str:
    monkeypatch.delenv(CONNECT_TIMEOUT_ENV, raising=False)  # the users' default
    monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
    monkeypatch.setenv("FALKORDB_PASSWORD", SECRET)
    started = time.monotonic()
    code = main(argv)
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code != 0
    assert elapsed < FAIL_WITHIN_S
    assert "loaded" not in out and "deleted" not in out
    assert SECRET not in out + err
    return err


@pytest.mark.parametrize(
    "backend, uri",
    [
        ("falkordb", "falkordb://127.0.0.1:{port}"),
        ("neo4j", "bolt://127.0.0.1:{port}"),
        ("neo4j", "neo4j://127.0.0.1:{port}"),
        ("falkordb", "falkordb://no-such-host.invalid:6379"),
        ("neo4j", "neo4j://no-such-host.invalid:7687"),
    ],
)
@pytest.mark.parametrize("command", ["load", "delete", "build"])
def test_server_down_or_wrong_address_fails_fast_naming_the_uri(
    command, backend, uri, graph_file, capsys, monkeypatch
):
    uri = uri.format(port=free_port())
    first = {"load": [str(graph_file)], "delete": ["2401.99999"], "build": [str(graph_file)]}[command]
    err = _run_failing([command, *first, "--backend", backend, "--uri", uri], capsys, monkeypatch)
    assert uri in err and "cannot reach" in err


def test_unknown_uri_scheme_is_a_clear_error(graph_file, capsys, monkeypatch):
    err = _run_failing(
        ["load", str(graph_file), "--backend", "neo4j", "--uri", "http://localhost:7474"], capsys, monkeypatch
    )
    assert "not a Neo4j URI" in err


@pytest.fixture(scope="module")
def protected_falkordb():
    with running_falkordb(password="right-pw") as server:
        yield server


@pytest.mark.parametrize("password", ["wrong-pw", None])
def test_wrong_or_missing_password_is_an_authentication_error(
    password, protected_falkordb, graph_file, capsys, monkeypatch
):
    monkeypatch.delenv("FALKORDB_PASSWORD", raising=False)
    argv = ["load", str(graph_file), "--backend", "falkordb", "--uri", protected_falkordb.uri]
    if password:
        argv += ["--password", password]
    started = time.monotonic()
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert time.monotonic() - started < FAIL_WITHIN_S
    assert "refused the credentials" in err and protected_falkordb.uri in err
    assert "wrong-pw" not in out + err and "loaded" not in out


def test_right_password_from_the_environment_loads(protected_falkordb, graph_file, capsys, monkeypatch):
    monkeypatch.setenv("FALKORDB_PASSWORD", "right-pw")
    argv = [
        "load",
        str(graph_file),
        "--backend",
        "falkordb",
        "--uri",
        protected_falkordb.uri,
        "--graph-name",
        "kg",
    ]
    assert main(argv) == 0
    assert "right-pw" not in "".join(capsys.readouterr())


def test_server_lost_mid_load_is_a_failure_not_a_success(graph_file, capsys, monkeypatch):
    from falkordb import FalkorDB
    from redis.exceptions import ConnectionError as RedisConnectionError

    from paperkg.graph.cypher.falkordb_session import FalkorDBSession

    with running_falkordb() as server:
        original = FalkorDBSession.write
        calls = []

        def write_then_lose_server(self, statements):
            calls.append(1)
            if len(calls) == 3:  # the server goes away after two batches
                with suppress(RedisConnectionError):
                    FalkorDB(host=server.host, port=server.port).connection.shutdown(nosave=True)
            return original(self, statements)

        monkeypatch.setattr(FalkorDBSession, "write", write_then_lose_server)
        argv = ["load", str(graph_file), "--backend", "falkordb", "--uri", server.uri, "--batch-size", "20"]
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert len(calls) == 3
        assert "loaded" not in out and server.uri in err and "cannot reach" in err


@pytest.fixture
def silent_server():
    """A port that accepts TCP connections and never answers (a hung server, a wrong service)."""
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


@pytest.mark.parametrize(
    "backend, uri, timeout",
    [("falkordb", "falkordb://127.0.0.1:{port}", None), ("neo4j", "bolt://127.0.0.1:{port}", "2")],
)
def test_a_server_that_never_answers_fails_within_the_timeout(
    backend, uri, timeout, silent_server, graph_file, capsys, monkeypatch
):
    uri = uri.format(port=silent_server)
    flags = ["--timeout", timeout] if timeout else []  # default timeout for falkordb
    err = _run_failing(
        ["load", str(graph_file), "--backend", backend, "--uri", uri, *flags], capsys, monkeypatch
    )
    assert uri in err and "cannot reach" in err


def test_export_asks_for_multiline_fields_only_when_a_field_spans_lines(tmp_path):
    from paperkg.graph.cypher.neo4j_admin import export_neo4j_admin, import_command

    store = NetworkXStore()
    store.write(synthetic_paper_graphs(20, entities=30))
    one_line = export_neo4j_admin(store, tmp_path / "one_line")
    assert not one_line.multiline_fields
    assert "--multiline-fields" not in import_command(multiline_fields=one_line.multiline_fields)
    wrapped = Paper(
        id="2401.00001", title="Wrapped", abstract="An arXiv abstract,\nwrapped.", source="x.jsonl"
    )
    store.write([PaperGraph(paper=wrapped, entities=(), relations=())])
    assert export_neo4j_admin(store, tmp_path / "wrapped").multiline_fields
    assert "--multiline-fields=true" in import_command()  # the default imports any export


@pytest.mark.neo4j
def test_printed_import_of_a_multiline_export_keeps_every_line(graph_file, tmp_path, capsys, neo4j_server):
    """The command `paperkg export` prints for a graph with a two-line title, run by Neo4j's importer."""
    from paperkg.graph.cypher.neo4j_session import Neo4jSession
    from tests.neo4j_server import neo4j_admin

    csv_dir, home = tmp_path / "import", tmp_path / "home"
    assert main(["export", "--format", "neo4j-admin", str(csv_dir), "--graph", str(graph_file)]) == 0
    command = capsys.readouterr().out.splitlines()[-1].split()
    imported = neo4j_admin(home, *[arg.replace("=/import/", f"={csv_dir}/") for arg in command[1:]])
    assert imported.returncode == 0, imported.stdout + imported.stderr
    with running_neo4j(home) as server:
        session = Neo4jSession(server.uri, server.user, server.password)
        titles = session.read("MATCH (p:Paper {id: $id}) RETURN p.title AS title", {"id": "2401.99999"})
        papers = session.read("MATCH (p:Paper) RETURN count(p) AS n")[0]["n"]
        session.close()
    assert titles == [{"title": NASTY_TITLE}]
    assert papers == NetworkXStore.open(graph_file, create=False).counts().nodes["Paper"]
