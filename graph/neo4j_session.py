"""`CypherSession` over the official Neo4j driver (Neo4j 5).

A batch of statements runs in one managed write transaction (`session.execute_write`), so it commits
whole or not at all and the driver retries it on transient errors for up to `timeout` seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from paperkg.graph.cypher_session import (
    DEFAULT_TIMEOUT_S,
    GraphDBAuthError,
    GraphDBUnavailable,
    Statement,
    redact_uri,
)

NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")

# Neo4j 5 syntax; FalkorDB's differs (see falkordb_session.py).
NEO4J_SCHEMA = (
    "CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (p:Paper) REQUIRE p.id IS UNIQUE",
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
    "CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name)",
)


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
        timeout: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        import neo4j

        if urlsplit(uri).scheme not in NEO4J_SCHEMES:
            raise ValueError(f"{redact_uri(uri)}: not a Neo4j URI (schemes: {', '.join(NEO4J_SCHEMES)})")
        self.uri = redact_uri(uri)
        self.user = user
        self.database = database
        self._driver = neo4j.GraphDatabase.driver(
            uri,
            auth=(user, password),
            connection_timeout=timeout,
            connection_acquisition_timeout=timeout,
            max_transaction_retry_time=timeout,
        )
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
            raise GraphDBUnavailable(f"{self.uri}: cannot reach Neo4j ({err})") from err

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
