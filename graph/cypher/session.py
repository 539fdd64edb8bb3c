"""What differs between Cypher servers, behind one small interface.

`CypherStore` sends the same Cypher text to every server; a `CypherSession` hides the rest:
the driver, how a batch of statements becomes one unit of work, the schema (constraint/index) syntax,
the key reads page by, and how failures are reported. Implementations: `Neo4jSession` (official driver, one managed write
transaction per batch with the driver's retries) and `FalkorDBSession` (Redis-protocol client, each
statement atomic on its own).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

Statement = tuple[str, dict]
DEFAULT_TIMEOUT_S = 5.0  # connection checks: a dead or silent server is reported well within 10 s
DEFAULT_QUERY_TIMEOUT_S = 60.0
QUERY_TIMEOUT_ENV = "PAPERKG_QUERY_TIMEOUT"
CONNECT_TIMEOUT_ENV = "PAPERKG_CONNECT_TIMEOUT"


def _seconds_from_env(name: str, default: float) -> float:
    """A positive number of seconds from env `name`, else `default`; a clear error names a bad value."""
    text = os.environ.get(name)
    try:
        value = float(text) if text else default
    except ValueError:
        raise ValueError(f"{name}={text!r}: expected a number of seconds") from None
    if value <= 0:
        raise ValueError(f"{name}={text!r}: expected more than 0 seconds")
    return value


def query_timeout_s(given: float | None = None) -> float:
    """Seconds a read query may run: `given`, else env PAPERKG_QUERY_TIMEOUT, else 60."""
    if given is not None:
        return float(given)
    return _seconds_from_env(QUERY_TIMEOUT_ENV, DEFAULT_QUERY_TIMEOUT_S)


def connect_timeout_s(given: float | None = None) -> float:
    """Seconds a connection check may take: `given`, else env PAPERKG_CONNECT_TIMEOUT, else 5.

    The environment serves a server that is far away or busy; 5 s reports a dead one quickly.
    """
    if given is not None:
        return float(given)
    return _seconds_from_env(CONNECT_TIMEOUT_ENV, DEFAULT_TIMEOUT_S)


class QueryTimeout(TimeoutError):
    """A query ran past its time limit; names the limit and how to raise it."""

    def __init__(self, where: str, seconds: float) -> None:
        super().__init__(
            f"{where}: the query ran past its {seconds:g} s limit and was stopped; narrow it (fewer hops, a "
            f"LIMIT) or allow more time with {QUERY_TIMEOUT_ENV}=SECONDS"
        )


def clean_value(value):
    """A query parameter with every string in it `clean_text`ed (a NUL breaks FalkorDB's parameter header)."""
    from paperkg.graph.schema import clean_data

    return clean_data(value)


_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)


def refuse_load_csv(text: str) -> None:
    """A read-only query must not read files or URLs: `LOAD CSV` is refused before anything is sent."""
    if _LOAD_CSV.search(text):
        raise ValueError(
            "LOAD CSV reads files and URLs, which read-only Cypher does not do: add --write to run it "
            "(in Python: kg.cypher(..., read_only=False))"
        )


class GraphDBUnavailable(ConnectionError):
    """The server cannot be reached (down, wrong address, connection lost); names the URI."""


class GraphDBAuthError(ConnectionError):
    """The server refused the credentials; names the URI and user, never the password."""


class CypherSession(Protocol):
    """A connection to one graph (Neo4j database or FalkorDB graph)."""

    uri: str
    page_key: str
    """How reads page through nodes: `n.id`, or `id(n)` where string range scans are unreliable."""
    first_page_after: str | int
    """A page key below every real one."""

    def ensure_schema(self) -> None:
        """Create the uniqueness constraints on Paper.id and Entity.id and the Entity.name index (idempotent)."""
        ...

    def write(self, statements: Sequence[Statement]) -> list[list[dict]]:
        """Run statements in order as one unit of work; one list of result records per statement."""
        ...

    def read(self, query: str, params: dict | None = None) -> list[dict]:
        """Run a read query; its records as dicts keyed by column name."""
        ...

    def close(self) -> None: ...


def redact_uri(uri: str) -> str:
    """`uri` without a password in its user-info part, safe to print."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    netloc = parts.hostname or ""
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    if parts.username:
        netloc = f"{parts.username}:***@{netloc}"
    return urlunsplit(parts._replace(netloc=netloc))
