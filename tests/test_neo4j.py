"""`paperkg load / delete` on the Neo4j the tests start, and what the server enforces: each batch is one
transaction (a load killed with SIGKILL and run again ends with the uninterrupted graph), and wrong
password, unreachable server and a server lost mid-load are one clear line each.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from paperkg.cli import main
from paperkg.graph.cypher.neo4j_session import Neo4jSession
from paperkg.graph.cypher.store import CypherStore
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.schema import Entity, EntityType, Paper, PaperGraph, Relation, RelationType
from paperkg.graph.synthetic import synthetic_paper_graphs, synthetic_variant_relations
from tests.neo4j_server import running_neo4j
from tests.test_cypher_store import snapshot

pytestmark = pytest.mark.neo4j
FAIL_WITHIN_S = 15.0


def _graph_file(path, papers: int, entities: int):
    store = NetworkXStore()
    store.write(synthetic_paper_graphs(papers, entities=entities))
    store.write_entity_relations(synthetic_variant_relations(entities, every=9))
    return store.save(path)


def _open(server) -> CypherStore:
    return CypherStore(Neo4jSession(server.uri, server.user, server.password))


def _args(server) -> list[str]:
    return ["--backend", "neo4j", "--uri", server.uri]


@pytest.fixture
def password_env(neo4j_db, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_db.password)
    return neo4j_db


def test_load_delete_and_reingest_equal_networkx(password_env, tmp_path, capsys):
    server = password_env
    graph_file = _graph_file(tmp_path / "graph.json", 200, 250)
    assert main(["load", str(graph_file), *_args(server), "--batch-size", "37"]) == 0
    assert f"into {server.uri}" in capsys.readouterr().out
    store = _open(server)
    try:
        assert snapshot(store) == snapshot(NetworkXStore.open(graph_file, create=False))
        doomed = [p.id for p in NetworkXStore.open(graph_file, create=False).papers()][::4]
        assert main(["delete", *doomed, "no-such-paper", *_args(server)]) == 0
        assert f"deleted {len(doomed)} papers (1 not found)" in capsys.readouterr().out
        assert main(["delete", *doomed, "no-such-paper", "--graph", str(graph_file)]) == 0
        assert snapshot(store) == snapshot(NetworkXStore.open(graph_file, create=False))
        # re-ingest: the full graph again, with one paper changed, into what is left
        full = _graph_file(tmp_path / "full.json", 200, 250)
        changed = NetworkXStore.open(full, create=False)
        gpt4 = Entity.named(EntityType.MODEL, "GPT-4", ("GPT4",))
        paper = Paper(id=doomed[1], title="Changed", abstract="Now about GPT-4.", source="x.jsonl")
        mention = Relation(source_id=paper.id, target_id=gpt4.id, type=RelationType.MENTIONS, count=3)
        changed.write([PaperGraph(paper=paper, entities=(gpt4,), relations=(mention,))])
        changed.save(full)
        assert main(["load", str(full), *_args(server)]) == 0
        assert snapshot(store) == snapshot(NetworkXStore.open(full, create=False))
    finally:
        store.close()


def _paper_count(server) -> int:
    session = Neo4jSession(server.uri, server.user, server.password)
    try:
        return session.read("MATCH (p:Paper) RETURN count(p) AS n")[0]["n"]
    finally:
        session.close()


def test_a_load_killed_mid_way_and_run_again_gives_the_uninterrupted_graph(password_env, tmp_path):
    server, batch = password_env, 20
    papers = 1200  # 60 transactions: killed after 4, long before the last
    graph_file = _graph_file(tmp_path / "graph.json", papers, 600)
    argv = [sys.executable, "-m", "paperkg.cli", "load", str(graph_file), *_args(server)]
    argv += ["--batch-size", str(batch)]
    loading = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while (seen := _paper_count(server)) < 4 * batch and time.monotonic() < deadline:
            assert loading.poll() is None, loading.communicate()
            time.sleep(0.02)
        loading.send_signal(signal.SIGKILL)
    finally:
        loading.kill()
        loading.wait()
    assert loading.returncode == -signal.SIGKILL
    time.sleep(0.5)  # the server sees the socket close and rolls back the open transaction
    committed = _paper_count(server)
    assert seen <= committed < papers  # killed mid-way
    assert committed % batch == 0  # whole batches only: each is one transaction
    assert main(["load", str(graph_file), *_args(server)]) == 0  # run again (default batches: quicker)
    store = _open(server)
    try:
        assert snapshot(store) == snapshot(NetworkXStore.open(graph_file, create=False))
    finally:
        store.close()


def _fails_with_one_line(argv: list[str], capsys) -> str:
    started = time.monotonic()
    code = main(argv)
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code == 2 and elapsed < FAIL_WITHIN_S
    assert "loaded" not in out and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err


def test_wrong_password_is_one_line_naming_user_and_uri(
    default_connect_timeout, neo4j_server, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("NEO4J_PASSWORD", "definitely-wrong")
    graph_file = _graph_file(tmp_path / "graph.json", 5, 10)
    err = _fails_with_one_line(["load", str(graph_file), *_args(neo4j_server)], capsys)
    assert "authentication failed" in err and neo4j_server.uri in err and "'neo4j'" in err
    assert "definitely-wrong" not in err


def test_unreachable_neo4j_is_one_line(default_connect_timeout, tmp_path, capsys, monkeypatch):
    from paperkg.graph.cypher.falkordb_server import free_port

    monkeypatch.setenv("NEO4J_PASSWORD", "whatever-pw")
    uri = f"bolt://127.0.0.1:{free_port()}"
    graph_file = _graph_file(tmp_path / "graph.json", 5, 10)
    err = _fails_with_one_line(["load", str(graph_file), "--backend", "neo4j", "--uri", uri], capsys)
    assert uri in err and "cannot reach" in err


def test_a_neo4j_lost_mid_load_is_one_line_not_a_success(tmp_path, capsys, monkeypatch):
    graph_file = _graph_file(tmp_path / "graph.json", 300, 300)
    original = Neo4jSession.write
    calls = []
    with running_neo4j() as server:

        def write_then_lose_server(self, statements):
            calls.append(1)
            if len(calls) == 3:  # the server dies after two batches
                os.kill(server.pid, signal.SIGKILL)
            return original(self, statements)

        monkeypatch.setattr(Neo4jSession, "write", write_then_lose_server)
        monkeypatch.setenv("NEO4J_PASSWORD", server.password)
        argv = ["load", str(graph_file), *_args(server), "--batch-size", "20", "--timeout", "2"]
        err = _fails_with_one_line(argv, capsys)
    assert len(calls) == 3
    assert server.uri in err and "cannot reach" in err
