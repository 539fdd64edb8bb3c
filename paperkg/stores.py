"""Open a graph store by backend name: the one place the CLI and the Python API choose a backend."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from pathlib import Path

from paperkg.graph.store import GraphStore

DEFAULT_GRAPH = Path("graph.json")
BACKENDS = ("networkx", "neo4j", "falkordb")
DEFAULT_BATCH_SIZE = 500

# environment variable, then default, for each setting a flag leaves unset
_ENV = {
    "neo4j": {
        "uri": "NEO4J_URI",
        "user": "NEO4J_USER",
        "password": "NEO4J_PASSWORD",
        "database": "NEO4J_DATABASE",
    },
    "falkordb": {
        "uri": "FALKORDB_URI",
        "user": "FALKORDB_USER",
        "password": "FALKORDB_PASSWORD",
        "database": "FALKORDB_GRAPH",
    },
}
_DEFAULTS = {
    "neo4j": {"uri": "neo4j://localhost:7687", "user": "neo4j", "password": None, "database": None},
    "falkordb": {"uri": "falkordb://localhost:6379", "user": None, "password": None, "database": "paperkg"},
}


def connection_settings(
    backend: str,
    *,
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
    env: Mapping[str, str] | None = None,
) -> dict[str, str | None]:
    """uri/user/password/database for a server backend: flag, else environment, else default."""
    env = os.environ if env is None else env
    given = {"uri": uri, "user": user, "password": password, "database": database}
    return {
        key: value if value is not None else env.get(_ENV[backend][key]) or _DEFAULTS[backend][key]
        for key, value in given.items()
    }


def open_store(
    backend: str = "networkx",
    *,
    graph_file: Path | None = None,
    create: bool = True,
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    timeout: float | None = None,
) -> GraphStore:
    """The store for `backend`.

    networkx reads/writes `graph_file` (node-link JSON). neo4j and falkordb connect to a server from
    the arguments or the environment (`NEO4J_URI`, `NEO4J_USER`, `NEO4J_PASSWORD`, `NEO4J_DATABASE`;
    `FALKORDB_URI`, `FALKORDB_PASSWORD`, `FALKORDB_GRAPH`); `database` is the FalkorDB graph name.
    Raises `ConnectionError` (with the URI, never the password) within about `timeout` seconds (default:
    env PAPERKG_CONNECT_TIMEOUT, else 5) when
    the server is unreachable or refuses the credentials.
    """
    if backend == "networkx":
        from paperkg.graph.networkx_store import NetworkXStore

        return NetworkXStore.open(graph_file or DEFAULT_GRAPH, create=create)
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    from paperkg.graph.cypher.store import CypherStore

    settings = connection_settings(backend, uri=uri, user=user, password=password, database=database)
    if backend == "neo4j":
        from paperkg.graph.cypher.neo4j_session import Neo4jSession

        if settings["password"] is None:
            raise ValueError("neo4j backend: no password (set NEO4J_PASSWORD or pass --password)")
        session = Neo4jSession(
            settings["uri"],
            settings["user"],
            settings["password"],
            database=settings["database"],
            timeout=timeout,
        )
    else:
        try:
            from paperkg.graph.cypher.falkordb_session import FalkorDBSession
        except ImportError as err:
            raise ValueError("falkordb backend needs `pip install paperkg[falkordb]`") from err
        session = FalkorDBSession(
            settings["uri"],
            settings["database"],
            user=settings["user"],
            password=settings["password"],
            timeout=timeout,
        )
    try:
        return CypherStore(session, batch_size=batch_size)
    except BaseException:
        session.close()
        raise


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """`--backend` and the server connection flags shared by build, load and delete."""
    from paperkg.commands import positive_int

    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        default="networkx",
        help="graph store: a graph file (networkx) or a Neo4j or FalkorDB server",
    )
    server = parser.add_argument_group("neo4j / falkordb server (flags override the environment)")
    server.add_argument(
        "--uri",
        help="neo4j://HOST:7687 or falkordb://HOST:6379 (default: env NEO4J_URI / FALKORDB_URI, else localhost)",
    )
    server.add_argument("--user", help="user name (default: env NEO4J_USER, else neo4j)")
    server.add_argument(
        "--password", help="password (default: env NEO4J_PASSWORD / FALKORDB_PASSWORD, the safer place)"
    )
    server.add_argument(
        "--database",
        "--graph-name",
        dest="database",
        metavar="NAME",
        help="Neo4j database or FalkorDB graph (default: env NEO4J_DATABASE / FALKORDB_GRAPH, else the "
        "server's default database / paperkg)",
    )
    server.add_argument(
        "--batch-size",
        type=positive_int,
        default=DEFAULT_BATCH_SIZE,
        metavar="N",
        help="papers per write transaction",
    )
    server.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="give up connecting after this long (default: env PAPERKG_CONNECT_TIMEOUT, else 5)",
    )


def store_from_args(
    args: argparse.Namespace, *, graph_file: Path | None = None, create: bool = True
) -> GraphStore:
    """`open_store` with the options `add_store_options` added."""
    return open_store(
        args.backend,
        graph_file=graph_file,
        create=create,
        uri=args.uri,
        user=args.user,
        password=args.password,
        database=args.database,
        batch_size=args.batch_size,
        timeout=args.timeout,
    )
