"""Long builds tell what they will cost (--progress), and Ctrl-C leaves the graph file as it was."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from paperkg.graph.networkx_store import NetworkXStore
from tests.cli_process import paperkg
from tests.graph_factories import paper_graph


def papers_file(path: Path, count: int) -> Path:
    lines = [
        json.dumps(
            {
                "id": f"p-{i}",
                "title": f"Paper {i}",
                "abstract": f"We fine-tune BERT on SQuAD in setting {i} and report F1 on GLUE against RoBERTa.",
            }
        )
        for i in range(count)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_progress_counts_the_papers_estimates_the_time_and_shows_a_bar(tmp_path):
    papers_file(tmp_path / "a.jsonl", 40)
    ran = paperkg("build", "a.jsonl", "--out", "graph.json", "--progress", cwd=tmp_path, timeout=300)
    assert ran.code == 0, ran.err
    assert "read 40 records: 40 papers built" in ran.out
    lines = ran.err.replace("\r", "\n").splitlines()
    assert lines[0].startswith("40 papers to build (counted in ")
    (estimate,) = [line for line in lines if line.startswith("estimate: ")]
    assert " papers/s over the first " in estimate and " left for the other " in estimate
    bars = [line for line in lines if line.startswith("papers:")]
    assert bars[-1].startswith("papers: 100%") and "40/40" in bars[-1]
    assert any("<" in bar and "/40 [" in bar for bar in bars)  # elapsed<left, the time left


def test_no_progress_output_off_a_terminal_or_with_quiet(tmp_path):
    papers_file(tmp_path / "a.jsonl", 3)
    plain = paperkg("build", "a.jsonl", "--out", "graph.json", cwd=tmp_path, timeout=300)
    quiet = paperkg(
        "build", "a.jsonl", "--out", "g2.json", "--quiet", "--progress", cwd=tmp_path, timeout=300
    )
    for ran in (plain, quiet):
        assert ran.code == 0, ran.err
        assert "papers to build" not in ran.err and "papers:" not in ran.err and "estimate" not in ran.err


def test_ctrl_c_during_a_build_leaves_the_graph_file_as_it_was(tmp_path):
    papers_file(tmp_path / "many.jsonl", 3000)
    store = NetworkXStore()
    store.write([paper_graph("old-1", "BERT on SQuAD.", [("BERT", "MODEL")])])
    store.save(tmp_path / "graph.json")
    before = (tmp_path / "graph.json").read_bytes()
    build = subprocess.Popen(
        [sys.executable, "-m", "paperkg.cli", "build", "many.jsonl", "--out", "graph.json", "--progress"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    err: list[str] = []
    reader = threading.Thread(target=lambda: err.extend(iter(lambda: build.stderr.read(1), "")), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 240
        while "estimate: " not in "".join(err):  # papers are being built and written
            assert build.poll() is None and time.monotonic() < deadline, "".join(err)
            time.sleep(0.2)
        build.send_signal(signal.SIGINT)
        build.wait(timeout=60)
    finally:
        if build.poll() is None:
            build.kill()
    reader.join(timeout=10)
    stderr = "".join(err)
    assert build.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1].endswith("paperkg build: interrupted"), stderr
    assert "saved graph" not in build.stdout.read()
    assert (tmp_path / "graph.json").read_bytes() == before
    papers = {
        n
        for n, d in NetworkXStore.open(tmp_path / "graph.json").graph.nodes(data=True)
        if d["label"] == "Paper"
    }
    assert papers == {"old-1"}
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_graph_file_past_the_size_for_files_gets_a_note_pointing_to_neo4j(tmp_path, monkeypatch, capsys):
    from paperkg.cli import main
    from paperkg.commands import build

    papers_file(tmp_path / "a.jsonl", 3)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(build, "FILE_GRAPH_PAPERS", 3)
    assert main(["build", "a.jsonl", "--out", "small.json", "--quiet"]) == 0
    assert "note:" not in capsys.readouterr().out  # 3 papers: at the limit, not past it
    monkeypatch.setattr(build, "FILE_GRAPH_PAPERS", 2)
    assert main(["build", "a.jsonl", "--out", "big.json", "--quiet"]) == 0
    note = capsys.readouterr().out.splitlines()[-1]
    assert note.startswith("note: big.json holds 3 papers; a graph file is meant for up to about 2 ")
    assert "paperkg export --format neo4j-admin neo4j-import --graph big.json" in note
    assert "neo4j-admin database import full" in note and "--backend neo4j" in note
    assert "--engine dask --neo4j-admin DIR" in note
