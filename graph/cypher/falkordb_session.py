"""`CypherSession` over FalkorDB's Redis-protocol client (`falkordb` package).

FalkorDB has no multi-statement transactions: each statement of a batch is atomic on its own and they
run in order, which is why the shared Cypher is written so that any prefix of a batch leaves a graph
the next write repairs. (FalkorDB's experimental Bolt endpoint is not used: it fails on large batches.)
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from paperkg.graph.cypher.session import (
    GraphDBAuthError,
    GraphDBUnavailable,
    Statement,
    connect_timeout_s,
    redact_uri,
)

FALKORDB_SCHEMES = ("falkordb", "redis")
DEFAULT_PORT = 6379
QUERY_TIMEOUT_S = 300.0

# FalkorDB syntax: no IF NOT EXISTS, and a unique constraint needs a range index on the same property.
FALKORDB_INDEXES = (
    "CREATE INDEX FOR (p:Paper) ON (p.id)",
    "CREATE INDEX FOR (e:Entity) ON (e.id)",
    "CREATE INDEX FOR (e:Entity) ON (e.name)",
    "CREATE INDEX FOR (e:Entity) ON (e.stale)",
)
FALKORDB_UNIQUE = (("Paper", "id"), ("Entity", "id"))


def cypher_text(query: str, params: dict | None) -> str:
    """The query as FalkorDB receives it: parameters as a `CYPHER name=literal …` header, as the client writes it."""
    from falkordb.helpers import stringify_param_value

    if not params:
        return query
    return (
        "CYPHER "
        + "".join(f"`{name}`={stringify_param_value(value)} " for name, value in params.items())
        + query
    )


def parse_falkordb_uri(uri: str) -> tuple[str, int, str | None, str | None]:
    """`falkordb://[user:password@]host[:port]` → (host, port, user, password)."""
    parts = urlsplit(uri)
    if parts.scheme not in FALKORDB_SCHEMES or not parts.hostname:
        raise ValueError(f"{redact_uri(uri)}: not a FalkorDB URI (expected falkordb://HOST:PORT)")
    return parts.hostname, parts.port or DEFAULT_PORT, parts.username or None, parts.password or None


def probe_falkordb(host: str, port: int, timeout: float, **credentials) -> None:
    """Check within `timeout` that a server answers and accepts the credentials.

    Separate from the client that runs queries, whose reads may take longer than a connection check.
    """
    from redis import Redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    client = Redis(
        host=host,
        port=port,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        retry=Retry(NoBackoff(), 0),  # one try: the default retries would triple the wait
        **credentials,
    )
    try:
        client.ping()
    finally:
        client.close()


class FalkorDBSession:
    """One FalkorDB graph (by name) on a server, connection checked at construction."""

    # Its range index orders non-ASCII strings unlike ORDER BY does (`id > $after` then skips or
    # repeats nodes), so reads page by internal node id, which it seeks efficiently.
    page_key = "id(n)"
    first_page_after = -1

    def __init__(
        self,
        uri: str,
        graph: str,
        *,
        user: str | None = None,
        password: str | None = None,
        timeout: float | None = None,
    ) -> None:
        from falkordb import FalkorDB

        host, port, uri_user, uri_password = parse_falkordb_uri(uri)
        self.uri = redact_uri(uri)
        self.graph_name = graph
        credentials = {"username": user or uri_user, "password": password or uri_password}
        timeout = connect_timeout_s(timeout)
        self._guard(probe_falkordb, host, port, timeout, **credentials)
        self._db = self._guard(
            FalkorDB,
            host=host,
            port=port,
            socket_connect_timeout=timeout,
            socket_timeout=QUERY_TIMEOUT_S,
            **credentials,
        )
        self._graph = self._db.select_graph(graph)

    def _guard(self, call, *args, **kwargs):
        """Run a client call, turning connection and auth failures into paperkg's errors."""
        from redis.exceptions import (
            AuthenticationError,
            ConnectionError,
            InvalidResponse,
            ResponseError,
            TimeoutError,
        )

        try:
            return call(*args, **kwargs)
        except AuthenticationError as err:
            raise GraphDBAuthError(f"{self.uri}: FalkorDB refused the credentials ({err})") from err
        except ResponseError as err:
            if str(err).startswith(("NOAUTH", "WRONGPASS")):
                raise GraphDBAuthError(f"{self.uri}: FalkorDB refused the credentials ({err})") from err
            raise
        except (ConnectionError, TimeoutError, OSError) as err:
            raise GraphDBUnavailable(f"{self.uri}: cannot reach FalkorDB ({err})") from err
        except InvalidResponse as err:
            raise GraphDBUnavailable(
                f"{self.uri}: no FalkorDB there, it answers another protocol ({err})"
            ) from err

    def ensure_schema(self) -> None:
        from redis.exceptions import ResponseError

        for statement in FALKORDB_INDEXES:
            try:
                self._guard(self._graph.query, statement)
            except ResponseError as err:
                if "already indexed" not in str(err):
                    raise
        for label, prop in FALKORDB_UNIQUE:
            try:
                self._guard(self._graph.create_node_unique_constraint, label, prop)
            except ResponseError as err:
                if "already exists" not in str(err):
                    raise

    def _run(self, query: str, params: dict | None) -> list[dict]:
        return self._run_text(cypher_text(query, params))

    def _run_text(self, text: str) -> list[dict]:
        result = self._guard(self._graph.query, text)
        names = [column[1] for column in result.header]
        return [dict(zip(names, row, strict=True)) for row in result.result_set]

    def write(self, statements: Sequence[Statement]) -> list[list[dict]]:
        """In order, each statement's text built while the one before runs (the server works meanwhile)."""
        if len(statements) < 2:
            return [self._run(query, params) for query, params in statements]
        results = []
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="paperkg-encode") as encoder:
            texts = encoder.map(lambda statement: cypher_text(*statement), statements)
            for text in texts:
                results.append(self._run_text(text))
        return results

    def read(self, query: str, params: dict | None = None) -> list[dict]:
        return self._run(query, params)

    def close(self) -> None:
        self._db.connection.close()
