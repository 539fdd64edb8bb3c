"""`paperkg build --engine dask` on a real local Dask cluster (two worker processes started here): the same
graph as the one-process build, rejects kept, resumption after a crash, and no shard lost with a killed
worker."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

import paperkg
from paperkg.build import build_graph
from paperkg.engine import build_with_dask, extract_or_reject
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.schema import Paper
from paperkg.shards import SHARD_SUFFIX, plan_shards, read_shard
from tests.cli_process import assert_user_error
from tests.cli_process import paperkg as run_paperkg
from tests.conftest_paths import SEEDS

SHARD_SIZE = 8


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[Path]:
    """The smallest seed dump (47 papers) and a JSONL file with two new papers, a malformed record and a
    repeat."""
    seed = min(SEEDS.glob("*.txt"), key=lambda p: p.stat().st_size)
    extra = tmp_path_factory.mktemp("inputs") / "extra.jsonl"
    lora = {"id": "x3", "title": "Tuning LoRA", "abstract": "We fine-tune LLaMA-2 with LoRA on GSM8K."}
    records = [
        json.dumps(lora),
        '{"id": "x2", "title": "Broken record"',
        json.dumps({"id": "x4", "title": "Vision", "abstract": "ViT-B/16 reaches 81% top-1 on ImageNet."}),
        json.dumps({**lora, "abstract": "A repeat of paper x3."}),
    ]
    extra.write_text("\n".join(records) + "\n", encoding="utf-8")
    return [seed, extra]


@pytest.fixture(scope="module")
def nlp():
    return paperkg.load()


@pytest.fixture(scope="module")
def reference(inputs, nlp, tmp_path_factory):
    """The one-process build: its graph, summary and rejects report."""
    rejects = tmp_path_factory.mktemp("reference") / "rejects.jsonl"
    store = NetworkXStore()
    summary = build_graph(inputs, store, nlp=nlp, rejects_path=rejects, progress=False)
    assert summary.read == 51 and summary.built >= 47 and summary.rejected >= 1
    return store, summary, rejects.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def client():
    """A real Dask cluster: a scheduler and two worker processes of one thread, shared by this module."""
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
        ) as cluster,
        Client(cluster) as dask_client,
    ):
        yield dask_client


def graph_sets(store: NetworkXStore) -> tuple[set, set, str]:
    """Nodes with their attributes, edges with theirs, and the results: what two builds must share exactly."""
    nodes = {(node, json.dumps(data, sort_keys=True)) for node, data in store.graph.nodes(data=True)}
    edges = {
        (source, target, key, json.dumps(data, sort_keys=True))
        for source, target, key, data in store.graph.edges(keys=True, data=True)
    }
    return nodes, edges, json.dumps(store.graph.graph.get("results", {}), sort_keys=True)


def shard_mtimes(work_dir: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in work_dir.glob(f"*{SHARD_SUFFIX}")}


def dask_build(inputs, work_dir, client, tmp_path, store=None, **options):
    store = store if store is not None else NetworkXStore()
    summary, run = build_with_dask(
        inputs,
        store,
        work_dir=work_dir,
        client=client,
        shard_size=SHARD_SIZE,
        rejects_path=tmp_path / "rejects.jsonl",
        progress=False,
        **options,
    )
    return store, summary, run


def test_dask_build_gives_the_one_process_graph_and_rejects(inputs, reference, client, tmp_path):
    store, summary, run = dask_build(inputs, tmp_path / "work", client, tmp_path)
    ref_store, ref_summary, ref_rejects = reference
    assert (run.shards, run.computed, run.reused) == (7, 7, 0)  # 47 seed papers by 8, then 2 new ones
    assert graph_sets(store) == graph_sets(ref_store)
    assert summary.graph.total_relationships > 400
    fields = ("read", "built", "rejected", "duplicates", "mentions", "merged_entities", "variant_links")
    assert {f: getattr(summary, f) for f in fields} == {f: getattr(ref_summary, f) for f in fields}
    assert (tmp_path / "rejects.jsonl").read_text(encoding="utf-8") == ref_rejects


def test_rerun_after_a_crash_skips_the_shards_already_done(inputs, reference, client, tmp_path):
    work = tmp_path / "work"

    class Crash(Exception):
        pass

    def crash_after_three(shard) -> None:
        if len(shard_mtimes(work)) == 3:
            raise Crash

    with pytest.raises(Crash):
        dask_build(inputs, work, client, tmp_path, on_shard_done=crash_after_three)
    done = shard_mtimes(work)
    assert len(done) == 3

    store, _, run = dask_build(inputs, work, client, tmp_path)
    assert (run.reused, run.computed) == (3, 4)
    after = shard_mtimes(work)
    assert {name: after[name] for name in done} == done  # the done shards were not written again
    assert graph_sets(store) == graph_sets(reference[0])


def test_a_killed_worker_loses_no_shard(inputs, reference, client, tmp_path):
    pids_before = set(client.run(os.getpid).values())
    killed = []

    def kill_a_worker(shard) -> None:
        if not killed:
            killed.append(max(pids_before))
            os.kill(killed[0], signal.SIGKILL)

    store, _, run = dask_build(inputs, tmp_path / "work", client, tmp_path, on_shard_done=kill_a_worker)
    assert killed and run.computed == 7
    client.wait_for_workers(2, timeout=60)
    assert killed[0] not in set(client.run(os.getpid).values())  # the nanny started a new worker process
    assert graph_sets(store) == graph_sets(reference[0])


def test_cli_build_on_a_scheduler_address(inputs, reference, client, tmp_path):
    out, work = tmp_path / "graph.json", tmp_path / "work"
    address = client.scheduler.address
    args = ["build", *inputs, "--out", out, "--engine", "dask", "--scheduler", address, "--work-dir", work]
    args += ["--shard-size", SHARD_SIZE, "--rejects", tmp_path / "rejects.jsonl", "--quiet"]
    ran = run_paperkg(*args, timeout=300)
    assert ran.code == 0, ran.err
    assert "dask engine: 7 shards, 7 extracted, 0 already done" in ran.out
    assert reference[1].lines()[0] in ran.out  # read, built, rejected, repeated: as the one-process build
    assert graph_sets(NetworkXStore.open(out, create=False)) == graph_sets(reference[0])
    again = run_paperkg(*args, timeout=300)
    assert "7 shards, 0 extracted, 7 already done" in again.out


def test_cli_build_straight_to_neo4j_admin_files_writes_the_one_process_graphs_rows(
    inputs, reference, client, tmp_path
):
    from paperkg.graph.cypher.neo4j_admin import export_neo4j_admin
    from tests.test_neo4j_admin_stream import rows

    csv_dir, work = tmp_path / "neo4j-import", tmp_path / "work"
    args = ["build", *inputs, "--engine", "dask", "--scheduler", client.scheduler.address, "--work-dir", work]
    ran = run_paperkg(
        *args, "--neo4j-admin", csv_dir, "--rejects", tmp_path / "rejects.jsonl", "--quiet", timeout=300
    )
    assert ran.code == 0, ran.err
    assert reference[1].lines()[0] in ran.out  # read, built, rejected, repeated: as the one-process build
    assert f"graph: {reference[0].counts().total_nodes} nodes" in ran.out
    assert "neo4j-admin database import full neo4j" in ran.out
    export_neo4j_admin(reference[0], tmp_path / "reference")
    assert rows(csv_dir) == rows(tmp_path / "reference")


def test_an_unreachable_scheduler_is_a_one_line_error(monkeypatch, tmp_path, capsys):
    from paperkg import engine
    from paperkg.cli import main

    monkeypatch.setattr(engine, "SCHEDULER_TIMEOUT_S", 1)
    dead = "tcp://127.0.0.1:9"  # the discard port: nothing listens there
    args = ["build", str(SEEDS), "--out", str(tmp_path / "g.json"), "--engine", "dask", "--scheduler", dead]
    assert main([*args, "--rejects", str(tmp_path / "r.jsonl"), "--quiet"]) == 2
    assert f"paperkg build: error: cannot reach the Dask scheduler at {dead}" in capsys.readouterr().err
    assert not (tmp_path / "g.json").exists()


def test_dask_options_need_the_dask_engine(tmp_path):
    ran = run_paperkg("build", SEEDS, "--out", tmp_path / "g.json", "--scheduler", "tcp://127.0.0.1:1")
    assert_user_error(ran, "build", "--scheduler needs --engine dask")
    ran = run_paperkg("build", SEEDS, "--neo4j-admin", tmp_path / "csv")
    assert_user_error(ran, "build", "--neo4j-admin needs --engine dask")


def test_a_paper_the_pipeline_fails_on_becomes_a_reject_with_its_line(nlp):
    fine = Paper(id="a", title="LoRA", abstract="We tune LLaMA-2 with LoRA.", source="in.jsonl", line=1)
    huge = Paper(id="b", title="Huge", abstract="x " * (nlp.max_length // 2 + 1), source="in.jsonl", line=2)
    graphs, rejects = extract_or_reject(nlp, (fine, huge))
    assert [g.paper.id for g in graphs] == ["a"] and graphs[0].entities
    assert [(r.source, r.line) for r in rejects] == [("in.jsonl", 2)]
    assert "extraction failed" in rejects[0].reason


def test_shards_are_cut_per_file_and_their_ids_follow_the_content():
    def paper(source: str, n: int, abstract: str = "text") -> Paper:
        return Paper(id=f"{source}-{n}", title=f"T{n}", abstract=abstract, source=source, line=n)

    papers = [paper("a.jsonl", n) for n in range(1, 6)] + [paper("b.jsonl", 1)]
    shards = list(plan_shards(papers, 2, "v1"))
    assert [(Path(s.source).name, s.first, s.last) for s in shards] == [
        ("a.jsonl", 1, 2),
        ("a.jsonl", 3, 4),
        ("a.jsonl", 5, 5),
        ("b.jsonl", 1, 1),
    ]
    assert [s.id for s in plan_shards(papers, 2, "v1")] == [s.id for s in shards]
    changed = [*papers[:2], paper("a.jsonl", 3, "new text"), *papers[3:]]
    changed_ids = [s.id for s in plan_shards(changed, 2, "v1")]
    assert changed_ids[0] == shards[0].id and changed_ids[1] != shards[1].id
    assert shards[0].id != next(plan_shards(papers, 2, "v2")).id  # another pipeline version


def test_a_damaged_shard_file_is_named(tmp_path):
    damaged = tmp_path / f"s{SHARD_SUFFIX}"
    damaged.write_bytes(b"\x1f\x8b\x08\x00not gzip")
    with pytest.raises(ValueError, match=str(damaged)):
        list(read_shard(damaged))


def test_the_merge_hands_the_graph_to_a_server_store(
    inputs, reference, client, falkordb_server, falkordb_graph, tmp_path
):
    """The engine writes to any store: into FalkorDB (real server), the same papers, entities, edges and
    counts as the one-process build's graph."""
    from paperkg.graph.cypher.falkordb_session import FalkorDBSession
    from paperkg.graph.cypher.store import CypherStore

    def snapshot(store) -> tuple:
        papers = sorted(p.model_dump_json() for p in store.papers())
        entities = sorted(e.model_dump_json() for e in store.entities())
        relations = sorted(r.model_dump_json() for r in store.relations())
        return papers, entities, relations, store.counts()

    store = CypherStore(FalkorDBSession(falkordb_server.uri, falkordb_graph))
    try:
        dask_build(inputs, tmp_path / "work", client, tmp_path, store=store)
        assert snapshot(store) == snapshot(reference[0])
    finally:
        store.close()
