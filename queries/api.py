"""The Python API: `kg = paperkg.open("graph.json")` (or a `bolt://`, `neo4j://`, `falkordb://` URI).

>>> kg = paperkg.open("graph.json")                      # doctest: +SKIP
>>> kg.lookup("gpt4").best.name                           # doctest: +SKIP
'GPT-4'
>>> kg.query("top_entities", type="benchmark", limit=5)   # doctest: +SKIP
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Any, Self
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel

from paperkg.graph.cypher.session import connect_timeout_s, query_timeout_s, redact_uri
from paperkg.graph.file_cache import cached
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.schema import EntityType, clean_text
from paperkg.queries.entity_index import EntityIndex, LookupResult
from paperkg.queries.lazy_rows import LazyRows
from paperkg.queries.named import named_query
from paperkg.queries.paper_index import PaperIndex, PaperLookup
from paperkg.queries.results import EntityRow, NeighborNode, PaperRef, PaperRow
from paperkg.queries.runners import (
    CypherResult,
    CypherRunner,
    FalkorDBExecutor,
    Neo4jExecutor,
    NetworkXRunner,
    QueryRunner,
    falkordb_errors,
    neo4j_errors,
)

NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
DEFAULT_FALKORDB_GRAPH = "paperkg"
ANSWER_GRACE_S = 30.0


class KnowledgeGraph:
    """One graph, whatever the backend: lookups, named queries and (on Cypher backends) raw Cypher."""

    def __init__(self, runner: QueryRunner, source: str = "") -> None:
        self.runner = runner
        self.source = source
        self._file_cypher = None  # a graph file's throwaway FalkorDB, started by the first cypher()

    # --- entities ----------------------------------------------------------------------------------
    @cached_property
    def index(self) -> EntityIndex:
        """Spelling index of every entity, built on first use from the `entity_catalogue` query (for a graph
        file, read from the cache beside it when that was built from the same file)."""
        return cached(
            self._saved_path(),
            "entity-index",
            lambda: EntityIndex(self.query("entity_catalogue")),
            classes=(EntityIndex, LazyRows, EntityRow, EntityType),
        )

    def lookup(self, name: str, type: EntityType | str | None = None) -> LookupResult:
        """Entities named `name`: by id, name or alias (case/punctuation-insensitive), else fuzzy. Control
        characters in `name` count as spaces, as in the stored names."""
        return self.index.lookup(clean_text(name), type)

    def resolve(self, entity: str | EntityRow, type: EntityType | str | None = None) -> EntityRow:
        """The one entity `entity` (an id or a name) stands for: the best match; ValueError if none."""
        if isinstance(entity, EntityRow):
            return entity
        found = self.lookup(entity, type)
        if found.best is None:
            hint = ", ".join(f"{m.entity.name} [{m.entity.type.value}]" for m in found.suggestions)
            kind = f" {EntityType.from_label(type).value}" if isinstance(type, str) else ""
            raise ValueError(
                f"no{kind} entity named {entity!r} in {self.source or 'the graph'}"
                + (f"; did you mean: {hint}?" if hint else " (try `paperkg lookup` with part of the name)")
            )
        return found.best

    # --- papers ------------------------------------------------------------------------------------
    @cached_property
    def paper_index(self) -> PaperIndex:
        """Every paper's id, title and date, built on first use from the `paper_catalogue` query (cached
        beside a graph file, as `index`)."""
        return cached(
            self._saved_path(),
            "paper-index",
            lambda: PaperIndex(self.query("paper_catalogue")),
            classes=(PaperIndex, LazyRows, PaperRef),
        )

    def _saved_path(self) -> Path | None:
        """The graph file whose caches describe this graph, if it is one (see `NetworkXStore.saved_path`)."""
        store = self.store
        return store.saved_path if store is not None else None

    def lookup_paper(self, paper: str) -> PaperLookup:
        """Papers `paper` names: by id (arXiv ids in any form), whole title or short title, else suggestions."""
        return self.paper_index.lookup(paper)

    def resolve_paper(self, paper: str | PaperRef) -> PaperRef:
        """The one paper `paper` (an id or a title) stands for; ValueError naming near titles if none."""
        if isinstance(paper, PaperRef):
            return paper
        found = self.lookup_paper(paper)
        if found.best is not None:
            return found.best
        if found.matches:
            listed = "; ".join(f"{m.paper.id} {m.paper.title!r}" for m in found.matches[:5])
            more = f" (and {len(found.matches) - 5} more)" if len(found.matches) > 5 else ""
            raise ValueError(f"{paper!r} names {len(found.matches)} papers: {listed}{more}; give an id")
        hint = "; ".join(f"{m.paper.id} {m.paper.title!r}" for m in found.suggestions)
        raise ValueError(
            f"no paper with id or title {paper!r} in {self.source or 'the graph'}"
            + (f"; did you mean: {hint}?" if hint else "")
        )

    def why_empty(self, name: str, /, **params: Any) -> str | None:
        """Why a named query returned no rows, where the graph itself explains it (else None).

        `new_entities` needs paper dates: the Hugging Face Daily Papers pages carry none.
        """
        if name != "new_entities":
            return None
        dates = [paper.date for paper in self.paper_index.by_id.values() if paper.date]
        if not dates:
            return (
                f"no paper in {self.source or 'this graph'} has a date, so no entity has a first-seen date; "
                "build from sources with dates (arXiv metadata or Atom feeds, JSONL/CSV with a date field)"
            )
        after = named_query(name).bind(params)["after"]
        newest = max(dates)
        if newest <= after:
            return f"the newest dated paper is from {newest}: nothing is first seen after {after}"
        total = len(self.paper_index)
        return None if len(dates) == total else f"only {len(dates)} of {total} papers have a date"

    def papers(self, entity: str | EntityRow) -> list[PaperRow]:
        """Papers linked to an entity (id or name), newest first."""
        return self.query("papers_mentioning", entity=self.resolve(entity).id)

    def neighbors(self, entity: str | EntityRow, hops: int = 1) -> list[NeighborNode]:
        """Papers and entities within `hops` edges of an entity (id or name)."""
        return self.query("neighborhood", entity=self.resolve(entity).id, hops=hops)

    # --- queries -----------------------------------------------------------------------------------
    def query(self, name: str, /, **params: Any) -> list[BaseModel]:
        """Run a named query; entity parameters may be names (resolved like `lookup`), paper parameters
        titles (resolved like `lookup_paper`)."""
        query = named_query(name)
        bound = query.bind(params)
        for param in query.params:
            if param.ref == "entity" and bound[param.name] is not None:
                bound[param.name] = self.resolve(bound[param.name]).id
            elif param.ref == "paper" and bound[param.name] is not None:
                bound[param.name] = self.resolve_paper(bound[param.name]).id
        return self.runner.run(query, bound)

    def cypher(self, text: str, /, read_only: bool = True, **params: Any) -> CypherResult:
        """Raw Cypher with parameters, in a read-only transaction unless `read_only=False`.

        On a graph file it runs, read-only, on a throwaway FalkorDB loaded with the graph on first use
        (`paperkg.queries.file_cypher`; sensible up to a few hundred thousand relationships).
        """
        run_cypher = getattr(self.runner, "cypher", None)
        if run_cypher is None:
            if self._file_cypher is None:
                from paperkg.queries.file_cypher import GraphFileCypher

                self._file_cypher = GraphFileCypher(self.runner.store)
            return self._file_cypher.execute(text, params, read_only=read_only)
        return run_cypher(text, params, read_only=read_only)

    @property
    def store(self) -> NetworkXStore | None:
        """The NetworkX store behind a graph file (None on Cypher backends)."""
        return self.runner.store if isinstance(self.runner, NetworkXRunner) else None

    def close(self) -> None:
        if self._file_cypher is not None:
            self._file_cypher.close()
        self.runner.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"KnowledgeGraph({self.source!r})"


def open(target: str | Path | NetworkXStore) -> KnowledgeGraph:
    """A graph file (node-link JSON), a store, or a server URI: `bolt://user:pw@host:7687/db`,
    `falkordb://host:6379/graph`."""
    if isinstance(target, NetworkXStore):
        return KnowledgeGraph(NetworkXRunner(target), str(target.path or "<memory>"))
    text = str(target)
    scheme = urlsplit(text).scheme.lower() if "://" in text else ""
    if scheme == "falkordb" or scheme == "redis":
        return KnowledgeGraph(CypherRunner(falkordb_executor(text)), text)
    if scheme in NEO4J_SCHEMES:
        return KnowledgeGraph(CypherRunner(neo4j_executor(text)), text)
    if scheme:
        raise ValueError(f"unsupported graph URI scheme {scheme!r} in {text!r}")
    return KnowledgeGraph(NetworkXRunner(NetworkXStore.open(text, create=False)), text)


def falkordb_executor(
    uri: str, timeout: float | None = None, query_timeout: float | None = None
) -> FalkorDBExecutor:
    """`falkordb://[:password@]host:port/graph` (graph defaults to "paperkg"); ConnectionError within about
    `timeout` seconds (default: env PAPERKG_CONNECT_TIMEOUT, else 5) when the server is down, silent or
    refuses the credentials. Queries stop after
    `query_timeout` seconds (default: env PAPERKG_QUERY_TIMEOUT, else 60), and the client gives up on a server
    that stops answering `ANSWER_GRACE_S` after that (a busy server may notice a query's limit late)."""
    from falkordb import FalkorDB
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    from paperkg.graph.cypher.falkordb_session import probe_falkordb

    parts = urlsplit(uri)
    graph_name = parts.path.strip("/") or DEFAULT_FALKORDB_GRAPH
    seconds = query_timeout_s(query_timeout)
    timeout = connect_timeout_s(timeout)
    credentials = {
        "username": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
    }
    host, port = parts.hostname or "localhost", parts.port or 6379
    with falkordb_errors(redact_uri(uri), graph_name, timeout):
        probe_falkordb(host, port, timeout, **credentials)  # a silent server fails here, within `timeout`
    with falkordb_errors(redact_uri(uri), graph_name, seconds + timeout):
        client = FalkorDB(
            host=host,
            port=port,
            socket_connect_timeout=timeout,
            socket_timeout=seconds + ANSWER_GRACE_S,  # past the server's own stop: a lost server
            retry=Retry(NoBackoff(), 0),  # a retried timeout would double the wait
            **credentials,
        )
    return FalkorDBExecutor(client.select_graph(graph_name), client, redact_uri(uri), seconds)


def neo4j_executor(
    uri: str, timeout: float | None = None, query_timeout: float | None = None
) -> Neo4jExecutor:
    """`bolt://user:password@host:7687/database`; credentials default to NEO4J_USER / NEO4J_PASSWORD.
    ConnectionError within about `timeout` seconds (default: env PAPERKG_CONNECT_TIMEOUT, else 5) when the
    server is down or silent; queries stop after
    `query_timeout` seconds (default: env PAPERKG_QUERY_TIMEOUT, else 60)."""
    from neo4j import GraphDatabase

    parts = urlsplit(uri)
    user = unquote(parts.username) if parts.username else os.environ.get("NEO4J_USER", "neo4j")
    password = unquote(parts.password) if parts.password else os.environ.get("NEO4J_PASSWORD", "")
    address = f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    database = parts.path.strip("/") or os.environ.get("NEO4J_DATABASE") or None
    timeout = connect_timeout_s(timeout)
    driver = GraphDatabase.driver(
        address,
        auth=(user, password),
        connection_timeout=timeout,
        connection_acquisition_timeout=timeout,
        max_transaction_retry_time=timeout,
    )
    try:
        with neo4j_errors(redact_uri(uri)):  # fail now, not after the driver's 30 s of retries
            driver.verify_connectivity()
    except BaseException:
        driver.close()
        raise
    return Neo4jExecutor(driver, database, redact_uri(uri), query_timeout)
