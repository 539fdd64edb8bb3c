"""Load a NetworkX test graph into a FalkorDB server through the real Cypher store (as `paperkg load` does)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from paperkg.graph.cypher.falkordb_server import running_falkordb
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.transfer import copy_store
from paperkg.stores import open_store


@contextmanager
def start_falkordb() -> Iterator[tuple[str, int]]:
    """A FalkorDB server on a free loopback port for the duration of the block: (host, port)."""
    with running_falkordb() as server:
        yield server.host, server.port


def load_store(host: str, port: int, graph: str, store: NetworkXStore) -> None:
    """Copy `store` into graph `graph` of the FalkorDB at host:port with the production CypherStore."""
    target = open_store("falkordb", uri=f"falkordb://{host}:{port}", database=graph)
    try:
        copy_store(store, target)
    finally:
        target.close()
