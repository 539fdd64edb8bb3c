"""Query runners: the seam between `KnowledgeGraph` and a backend.

A runner answers a named query with the query's row models. `NetworkXRunner` calls the query's NetworkX
function; `CypherRunner` sends its `.cypher` text, with parameters, through a `CypherExecutor` (FalkorDB or
Neo4j here; a store class only has to provide `execute`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel

from paperkg.graph.cypher.session import (
    GraphDBAuthError,
    GraphDBUnavailable,
    QueryTimeout,
    clean_value,
    query_timeout_s,
    refuse_load_csv,
)
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.schema import clean_text
from paperkg.queries.named import NamedQuery


class ReadOnlyQueryError(ValueError):
    """Cypher that writes, sent read-only (the default)."""

    def __init__(self, server: str) -> None:
        super().__init__(
            f"this Cypher writes to the graph, and {server} runs it read-only unless asked: "
            "add --write (in Python: kg.cypher(..., read_only=False))"
        )


class CypherError(ValueError):
    """The server rejected a Cypher text (syntax, unknown variable, …); the message is the server's."""


class CypherResult(BaseModel):
    """Columns and rows of a raw Cypher query; graph values (nodes, edges) become plain dicts."""

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


@runtime_checkable
class CypherExecutor(Protocol):
    def execute(self, text: str, params: dict[str, Any], *, read_only: bool = True) -> CypherResult: ...

    def close(self) -> None: ...


class QueryRunner(Protocol):
    def run(self, query: NamedQuery, params: dict[str, Any]) -> list[BaseModel]: ...

    def close(self) -> None: ...


class NetworkXRunner:
    """Named queries as NetworkX functions over an in-memory store, each within `timeout` seconds (default:
    env PAPERKG_QUERY_TIMEOUT, else 60) where the platform can stop it (the main thread, with SIGALRM)."""

    def __init__(self, store: NetworkXStore, timeout: float | None = None) -> None:
        self.store = store
        self.timeout = query_timeout_s(timeout)

    def run(self, query: NamedQuery, params: dict[str, Any]) -> list[BaseModel]:
        with time_budget(self.timeout, str(self.store.path or "the graph")):
            return query.networkx(self.store, **params)

    def close(self) -> None:
        self.store.close()


@contextmanager
def time_budget(seconds: float, where: str) -> Iterator[None]:
    """Stop the block with `QueryTimeout` after `seconds` (a real-time timer; only in the main thread of a
    process that can receive SIGALRM, elsewhere the block runs unbounded)."""
    import signal
    import threading

    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise QueryTimeout(where, seconds)

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class CypherRunner:
    """Named queries as their `.cypher` files, run read-only through an executor."""

    def __init__(self, executor: CypherExecutor) -> None:
        self.executor = executor

    def run(self, query: NamedQuery, params: dict[str, Any]) -> list[BaseModel]:
        if query.cypher_steps is not None:
            return query.cypher_steps(self._read, query.cypher, **params)
        return [query.row.model_validate(record) for record in self._read(query.cypher, params)]

    def _read(self, text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.executor.execute(text, params, read_only=True).records()

    def cypher(self, text: str, params: dict[str, Any], *, read_only: bool = True) -> CypherResult:
        return self.executor.execute(text, params, read_only=read_only)

    def close(self) -> None:
        self.executor.close()


@contextmanager
def falkordb_errors(uri: str, graph_name: str = "", timeout: float = 0.0) -> Iterator[None]:
    """Client failures as paperkg's errors: unreachable or refusing server, a write sent read-only, a missing
    graph, or Cypher the server rejects; each names what to fix."""
    from redis.exceptions import AuthenticationError, ConnectionError, ResponseError, TimeoutError

    try:
        yield
    except AuthenticationError as err:
        raise GraphDBAuthError(f"{uri}: FalkorDB refused the credentials ({err})") from err
    except ResponseError as err:
        message = str(err)
        if message.startswith(("NOAUTH", "WRONGPASS")):
            raise GraphDBAuthError(f"{uri}: FalkorDB refused the credentials ({err})") from None
        if "read-only queries" in message:
            raise ReadOnlyQueryError("FalkorDB") from None
        if "timed out" in message.casefold():
            raise QueryTimeout(uri, timeout) from None
        if "empty key" in message:
            raise ValueError(
                f"{uri}: there is no graph {graph_name!r} on this server (load one with `paperkg load`)"
            ) from None
        raise CypherError(f"FalkorDB rejected the Cypher: {message}") from None
    except TimeoutError as err:
        raise GraphDBUnavailable(
            f"{uri}: FalkorDB stopped answering ({err}); is the server running and free?"
        ) from None
    except (ConnectionError, OSError) as err:
        raise GraphDBUnavailable(f"{uri}: cannot reach FalkorDB ({err}); is the server running?") from None


class FalkorDBExecutor:
    """Cypher on a FalkorDB graph (`falkordb.Graph`); read-only queries go through `GRAPH.RO_QUERY`.

    Every query has a time limit (`timeout` seconds, the server stops it); text and parameters are cleaned of
    control characters first (a NUL breaks the parameter header; a `\\x01` has crashed the server); FalkorDB has
    no read-only transactions, so a read-only `LOAD CSV` (which reads files and URLs) is refused here.
    """

    def __init__(
        self, graph: Any, client: Any = None, uri: str = "falkordb", timeout: float | None = None
    ) -> None:
        self.graph = graph
        self.client = client
        self.uri = uri
        self.timeout = query_timeout_s(timeout)

    def execute(self, text: str, params: dict[str, Any], *, read_only: bool = True) -> CypherResult:
        if read_only:
            refuse_load_csv(text)
        run = self.graph.ro_query if read_only else self.graph.query
        text, params = clean_text(text), clean_value(params or {})
        with falkordb_errors(self.uri, getattr(self.graph, "name", ""), self.timeout):
            result = run(text, params, timeout=max(1, round(self.timeout * 1000)))
        columns = [
            column[1] if isinstance(column, (list, tuple)) else str(column) for column in result.header
        ]
        rows = [[_falkordb_value(value) for value in row] for row in result.result_set]
        return CypherResult(columns=columns, rows=rows)

    def close(self) -> None:
        if self.client is not None and hasattr(self.client, "close"):
            self.client.close()


def _falkordb_value(value: Any) -> Any:
    """Nodes, edges and paths from the falkordb client as plain dicts and lists."""
    if hasattr(value, "labels") and hasattr(value, "properties"):
        return {"labels": list(value.labels), **dict(value.properties)}
    if hasattr(value, "relation") and hasattr(value, "properties"):
        return {"type": value.relation, **dict(value.properties)}
    if hasattr(value, "nodes") and hasattr(value, "edges") and callable(value.nodes):
        return {
            "nodes": [_falkordb_value(n) for n in value.nodes()],
            "edges": [_falkordb_value(e) for e in value.edges()],
        }
    if isinstance(value, list):
        return [_falkordb_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _falkordb_value(v) for k, v in value.items()}
    return value


@contextmanager
def neo4j_errors(uri: str, timeout: float = 0.0) -> Iterator[None]:
    """Driver failures as paperkg's errors, as `falkordb_errors` does for FalkorDB."""
    from neo4j.exceptions import AuthError, ClientError, ServiceUnavailable, SessionExpired

    try:
        yield
    except AuthError as err:
        raise GraphDBAuthError(f"{uri}: Neo4j refused the credentials ({err.message})") from None
    except ClientError as err:
        if err.code == "Neo.ClientError.Statement.AccessMode":
            raise ReadOnlyQueryError("Neo4j") from None
        if "TransactionTimedOut" in (err.code or ""):
            raise QueryTimeout(uri, timeout) from None
        raise CypherError(f"Neo4j rejected the Cypher: {err.message}") from None
    except (ServiceUnavailable, SessionExpired, OSError) as err:
        raise GraphDBUnavailable(f"{uri}: cannot reach Neo4j ({err}); is the server running?") from None


class Neo4jExecutor:
    """Cypher on Neo4j through the official driver, in a read (or write) transaction with a time limit
    (`timeout` seconds). READ mode refuses writes but not `LOAD CSV`, which reads files and URLs: refused here
    when read-only."""

    def __init__(
        self, driver: Any, database: str | None = None, uri: str = "neo4j", timeout: float | None = None
    ) -> None:
        self.driver = driver
        self.database = database
        self.uri = uri
        self.timeout = query_timeout_s(timeout)

    def execute(self, text: str, params: dict[str, Any], *, read_only: bool = True) -> CypherResult:
        from neo4j import unit_of_work

        if read_only:
            refuse_load_csv(text)
        text, params = clean_text(text), clean_value(params or {})

        @unit_of_work(timeout=self.timeout)  # a managed transaction's limit (a Query's own one is ignored)
        def work(tx: Any) -> CypherResult:
            result = tx.run(text, params)
            keys = list(result.keys())
            rows = [[record.data()[key] for key in keys] for record in result]
            return CypherResult(columns=keys, rows=rows)

        with neo4j_errors(self.uri, self.timeout), self.driver.session(database=self.database) as session:
            return session.execute_read(work) if read_only else session.execute_write(work)

    def close(self) -> None:
        self.driver.close()
