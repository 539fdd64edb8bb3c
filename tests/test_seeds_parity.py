"""The seeds on FalkorDB and Neo4j equal the seeds in NetworkX: `paperkg build --backend …`, `paperkg load`
and (Neo4j) the bulk import of `paperkg export --format neo4j-admin`.

Two of the five seed pages (`SEED_PAGES`, a third of the papers, cross-page resolution included) keep the
module's time down; the seeds are extracted three times in all (once per build), with one spaCy pipeline shared
by the module. tests/test_cli_end_to_end.py builds all five.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import paperkg
from paperkg.build import build_graph
from paperkg.cli import main
from paperkg.graph.cypher.store import CypherStore
from paperkg.graph.networkx_store import NetworkXStore
from tests.conftest import FalkorDBServer
from tests.conftest_paths import SEEDS

SEED_PAGES = ("001_add704be09f4339f.txt", "003_181092292925f1c3.txt")


@pytest.fixture(scope="module")
def nlp():
    return paperkg.load()


@pytest.fixture(scope="module")
def seed_pages(tmp_path_factory) -> Path:
    """A folder with the two seed pages, as a user would point a build at it."""
    folder = tmp_path_factory.mktemp("seed-pages")
    for name in SEED_PAGES:
        (folder / name).symlink_to(SEEDS / name)
    return folder


@pytest.fixture(scope="module")
def seed_papers(seed_pages) -> int:
    """How many distinct papers the two pages hold (pages repeat papers; a build keeps one of each)."""
    from paperkg.sources import read_papers

    return len({paper.id for paper in read_papers([seed_pages])})


@pytest.fixture(scope="module")
def seeds_file(nlp, seed_pages, seed_papers, tmp_path_factory) -> Path:
    """The seeds built by the real pipeline into a NetworkX graph file (resolution included)."""
    folder = tmp_path_factory.mktemp("seeds")
    store = NetworkXStore()
    summary = build_graph([seed_pages], store, nlp=nlp, progress=False, rejects_path=folder / "rejects.jsonl")
    assert summary.built == seed_papers > 100 and summary.merged_entities > 0  # the merge path is exercised
    return store.save(folder / "graph.json")


@pytest.fixture(scope="module")
def expected(seeds_file) -> NetworkXStore:
    return NetworkXStore.open(seeds_file, create=False)


def _graph_name() -> str:
    return f"seeds_{uuid.uuid4().hex[:12]}"


def _open(server: FalkorDBServer, graph: str) -> Iterator[CypherStore]:
    from paperkg.graph.cypher.falkordb_session import FalkorDBSession

    store = CypherStore(FalkorDBSession(server.uri, graph))
    yield store
    store.session.write([("MATCH (n) DETACH DELETE n", {})])
    store.close()


@pytest.fixture(scope="module")
def built(nlp, seed_pages, falkordb_server, tmp_path_factory) -> Iterator[CypherStore]:
    """`paperkg build SEEDS --backend falkordb --uri …`, on the module's pipeline."""
    graph = _graph_name()
    rejects = tmp_path_factory.mktemp("falkordb-build") / "rejects.jsonl"
    argv = ["build", str(seed_pages), "--backend", "falkordb", "--uri", falkordb_server.uri]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(paperkg, "load", lambda **_: nlp)
        assert main([*argv, "--graph-name", graph, "--rejects", str(rejects), "--quiet"]) == 0
    yield from _open(falkordb_server, graph)


@pytest.fixture(scope="module")
def loaded(seeds_file, falkordb_server) -> Iterator[CypherStore]:
    """`paperkg load graph.json --backend falkordb --uri …`."""
    graph = _graph_name()
    argv = ["load", str(seeds_file), "--backend", "falkordb", "--uri", falkordb_server.uri]
    assert main([*argv, "--graph-name", graph]) == 0
    yield from _open(falkordb_server, graph)


def _open_neo4j(server) -> Iterator[CypherStore]:
    from paperkg.graph.cypher.neo4j_session import Neo4jSession

    store = CypherStore(Neo4jSession(server.uri, server.user, server.password))
    yield store
    store.close()


@pytest.fixture
def neo4j_built(nlp, seed_pages, neo4j_db, tmp_path, monkeypatch) -> Iterator[CypherStore]:
    """`paperkg build SEEDS --backend neo4j --uri …` (password from NEO4J_PASSWORD), module's pipeline."""
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_db.password)
    monkeypatch.setattr(paperkg, "load", lambda **_: nlp)
    argv = ["build", str(seed_pages), "--backend", "neo4j", "--uri", neo4j_db.uri, "--batch-size", "50"]
    assert main([*argv, "--rejects", str(tmp_path / "rejects.jsonl"), "--quiet"]) == 0
    yield from _open_neo4j(neo4j_db)


@pytest.fixture
def neo4j_loaded(seeds_file, neo4j_db) -> Iterator[CypherStore]:
    """`paperkg load graph.json --backend neo4j --uri … --password …`."""
    argv = ["load", str(seeds_file), "--backend", "neo4j", "--uri", neo4j_db.uri]
    assert main([*argv, "--password", neo4j_db.password]) == 0
    yield from _open_neo4j(neo4j_db)


@pytest.fixture
def neo4j_imported(seeds_file, tmp_path, capsys) -> Iterator[CypherStore]:
    """`paperkg export --format neo4j-admin`, then the `neo4j-admin database import full` it prints, run by
    Neo4j's own importer into a fresh home, which a Neo4j server then opens. The seeds' fields are one line
    each, so the command is the fast one, without --multiline-fields."""
    from tests.neo4j_server import neo4j_admin, running_neo4j

    csv_dir, home = tmp_path / "import", tmp_path / "home"
    assert main(["export", "--format", "neo4j-admin", str(csv_dir), "--graph", str(seeds_file)]) == 0
    printed = capsys.readouterr().out.splitlines()
    command = printed[printed.index("import (Neo4j stopped, files in its import folder):") + 1].split()
    assert command[:4] == ["neo4j-admin", "database", "import", "full"]
    assert not any(arg.startswith("--multiline-fields") for arg in command)
    command = [arg.replace("=/import/", f"={csv_dir}/") for arg in command]
    imported = neo4j_admin(home, *command[1:])
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert (home / "data" / "databases" / "neo4j").is_dir()
    with running_neo4j(home) as server:
        yield from _open_neo4j(server)


def _edges(store) -> list[tuple[str, str, str, int]]:
    return sorted((r.source_id, r.target_id, r.type.value, r.count) for r in store.relations())


@pytest.mark.parametrize(
    "way",
    [
        "built",
        "loaded",
        pytest.param("neo4j_built", marks=pytest.mark.neo4j),
        pytest.param("neo4j_loaded", marks=pytest.mark.neo4j),
        pytest.param("neo4j_imported", marks=pytest.mark.neo4j),
    ],
)
def test_seeds_on_a_cypher_server_equal_the_networkx_graph(way, expected, seed_papers, request):
    store: CypherStore = request.getfixturevalue(way)
    counts = store.counts()
    assert counts.nodes["Paper"] == seed_papers and counts.relationships["MENTIONS"] > 500
    assert counts == expected.counts()  # by label and by relationship type
    assert {e.id for e in store.entities()} == {e.id for e in expected.entities()}
    assert _edges(store) == _edges(expected)
    assert sorted(e.model_dump_json() for e in store.entities()) == sorted(
        e.model_dump_json() for e in expected.entities()
    )
    assert {e.id: store.paper_count(e.id) for e in expected.entities()} == {
        e.id: expected.paper_count(e.id) for e in expected.entities()
    }
    # every property: papers (title, abstract, authors, …) and edges (counts and evidence)
    assert sorted(p.model_dump_json() for p in store.papers()) == sorted(
        p.model_dump_json() for p in expected.papers()
    )
    assert sorted(r.model_dump_json() for r in store.relations()) == sorted(
        r.model_dump_json() for r in expected.relations()
    )
