"""Open a graph store by backend name: the one place the CLI and the Python API choose a backend."""

from __future__ import annotations

from pathlib import Path

from paperkg.graph.store import GraphStore

BACKENDS = ("networkx",)


def open_store(
    backend: str = "networkx", *, graph_file: Path | None = None, create: bool = True
) -> GraphStore:
    """The store for `backend`; NetworkX reads/writes `graph_file` (node-link JSON)."""
    if backend == "networkx":
        from paperkg.graph.networkx_store import NetworkXStore

        return NetworkXStore.open(graph_file or Path("graph.json"), create=create)
    raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
