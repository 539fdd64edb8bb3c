"""What differs between Cypher servers, behind one small interface.

`CypherStore` sends the same Cypher text to every server; a `CypherSession` hides the rest:
the driver, how a batch of statements becomes one unit of work, the schema (constraint/index) syntax,
the key reads page by, and how failures are reported. Implementations: `Neo4jSession` (official driver, one managed write
transaction per batch with the driver's retries) and `FalkorDBSession` (Redis-protocol client, each
statement atomic on its own).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

Statement = tuple[str, dict]
DEFAULT_TIMEOUT_S = 5.0  # connection checks: a dead or silent server is reported well within 10 s


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
