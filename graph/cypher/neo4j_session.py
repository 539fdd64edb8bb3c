"""`CypherSession` over the official Neo4j driver (Neo4j 5).

A batch of statements runs in one managed write transaction (`session.execute_write`), so it commits
whole or not at all and the driver retries it on transient errors for up to `timeout` seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit

from paperkg.graph.cypher.session import (
    GraphDBAuthError,
    GraphDBUnavailable,
    Statement,
    connect_timeout_s,
)

# The driver logs connection failures as warnings; paperkg reports them once, as an error.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")

# Neo4j 5 syntax; FalkorDB's differs (see falkordb_session.py).
NEO4J_SCHEMA = (
    "CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (p:Paper) REQUIRE p.id IS UNIQUE",
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
    "CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name)",
    "CREATE INDEX entity_stale IF NOT EXISTS FOR (e:Entity) ON (e.stale)",
)


def split_userinfo(uri: str) -> tuple[str, str | None, str | None]:
    """`neo4j://user:pw@host:7687` → (`neo4j://host:7687`, user, pw): the driver takes them apart."""
    parts = urlsplit(uri)
    if parts.username is None:
        return uri, None, None
    netloc = parts.hostname or ""
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc)), parts.username, parts.password


class Neo4jSession:
    """One Neo4j database through a driver opened (and checked) at construction."""

    page_key = "n.id"  # index-backed order on the uniqueness constraint
    first_page_after = ""

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        *,
        database: str | None = None,
        timeout: float | None = None,
    ) -> None:
        import neo4j

        uri, uri_user, uri_password = split_userinfo(uri)
        if urlsplit(uri).scheme not in NEO4J_SCHEMES:
            raise ValueError(f"{uri}: not a Neo4j URI (schemes: {', '.join(NEO4J_SCHEMES)})")
        self.uri = uri
        self.user = uri_user or user
        self.database = database
        timeout = connect_timeout_s(timeout)
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=(self.user, uri_password or password),
                connection_timeout=timeout,
                connection_acquisition_timeout=timeout,
                max_transaction_retry_time=2 * timeout,  # then a lost server fails the load
            )
        except neo4j.exceptions.ConfigurationError as err:
            raise ValueError(f"{uri}: {err}") from err
        try:
            self._guard(self._driver.verify_connectivity)
        except BaseException:
            self._driver.close()
            raise

    def _guard(self, call, *args, **kwargs):
        """Run a driver call, turning connection and auth failures into paperkg's errors."""
        from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

        try:
            return call(*args, **kwargs)
        except AuthError as err:
            raise GraphDBAuthError(
                f"{self.uri}: Neo4j refused user {self.user!r} (authentication failed: check the password)"
            ) from err
        except (ServiceUnavailable, SessionExpired, OSError) as err:
            reason = " ".join(str(err).split())  # the driver's message spans lines; paperkg's is one
            raise GraphDBUnavailable(f"{self.uri}: cannot reach Neo4j ({reason})") from err

    def ensure_schema(self) -> None:
        for statement in NEO4J_SCHEMA:  # one transaction each: schema and data never share one
            self.write([(statement, {})])

    def write(self, statements: Sequence[Statement]) -> list[list[dict]]:
        def work(tx) -> list[list[dict]]:
            return [tx.run(query, params).data() for query, params in statements]

        with self._driver.session(database=self.database) as session:
            return self._guard(session.execute_write, work)

    def read(self, query: str, params: dict | None = None) -> list[dict]:
        def work(tx) -> list[dict]:
            return tx.run(query, params or {}).data()

        with self._driver.session(database=self.database) as session:
            return self._guard(session.execute_read, work)

    def close(self) -> None:
        self._driver.close()
