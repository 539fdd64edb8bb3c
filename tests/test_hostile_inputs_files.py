"""Hostile or unlucky inputs, files and processes of `paperkg build` / `extract` / `viz` (issue 15, first half):
nothing read is lost without a word, no bad file stops the run, no output is destroyed, no worker outlives its
build. Every case runs the real command line in its own process, on files the test makes.
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import multiprocessing
import os
import re
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from paperkg.atomic import atomic_output
from paperkg.cli import main
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.schema import Paper
from paperkg.parallel import map_papers
from tests.graph_factories import paper_graph

REPO = Path(__file__).resolve().parents[1]
SUMMARY = re.compile(r"read (\d+) records?: (\d+) papers? built, (\d+) rejected(?:, (\d+) repeated papers?)?")
WITHOUT_FILE_PERMISSIONS = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
"""As root, a file's mode bits bind only without these two capabilities: root reading a chmod-000 file the way
any user would."""


def paperkg_command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "paperkg.cli", *map(str, args)]


def run(
    *args: str | Path, cwd: Path, prefix: list[str] = (), timeout: float = 300
) -> subprocess.CompletedProcess:
    """`paperkg ARGS…` in a subprocess, as a user runs it."""
    return subprocess.run(  # noqa: PLW1510 - the exit status is what the tests check
        [*prefix, *paperkg_command(*args)], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def counts(stdout: str) -> tuple[int, int, int, int]:
    """(read, built, rejected, duplicates) from a build's summary."""
    match = SUMMARY.search(stdout)
    assert match, stdout
    read, built, rejected, duplicates = (int(group or 0) for group in match.groups())
    return read, built, rejected, duplicates


def report_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def record(paper_id: str | None, title, abstract) -> str:
    fields = {"title": title, "abstract": abstract}
    if paper_id is not None:
        fields["id"] = paper_id
    return json.dumps(fields)


def abstract(n: int) -> str:
    return f"We fine-tune BERT on SQuAD in setting {n} and report F1 on GLUE against RoBERTa."


def saved_graph(path: Path, ids: list[str]) -> None:
    """A graph file holding papers `ids`, made without the pipeline."""
    store = NetworkXStore()
    store.write([paper_graph(i, "BERT on SQuAD.", [("BERT", "MODEL")]) for i in ids])
    store.save(path)


def graph_paper_ids(path: Path) -> set[str]:
    graph = NetworkXStore.open(path, create=False).graph
    return {node for node, data in graph.nodes(data=True) if data.get("label") == "Paper"}


# --- every bad file in one build ------------------------------------------------------------------------------


def write_bad_inputs(folder: Path) -> dict[str, tuple[int | None, str]]:
    """Good and bad files in `folder`; returns, per bad file name, the reject expected (line, reason start)."""
    folder.mkdir()
    good = [
        record("dup-1", "BERT for reading", abstract(1)),
        record("typed-1", 123, abstract(2)),  # a number where a title goes
        record("typed-2", "A title", ["a", "list"]),
        '{"id": "surrogate", "title": "Lone \\ud800 surrogate", "abstract": "Text."}',
        record("huge", "A huge abstract", "word " * 240_000),  # 1.2M characters: over spaCy's limit
        record("after-huge", "Read after the huge one", abstract(3)),
        record(None, "🚀🚀🚀", abstract(4)),
        record(None, "🔥🔥", abstract(5)),
    ]
    (folder / "good.jsonl").write_text("\n".join(good) + "\n", encoding="utf-8")
    (folder / "repeat.jsonl").write_text(record("dup-1", "BERT again", abstract(6)) + "\n", encoding="utf-8")
    (folder / "empty.xml").write_bytes(b"")
    (folder / "binary.jsonl").write_bytes(bytes(range(256)) * 8)
    (folder / "fake.jsonl.gz").write_bytes(b"this is not gzip data\n")
    lines = "".join(record(f"trunc-{i}", f"Truncated {i}", abstract(100 + i)) + "\n" for i in range(40))
    packed = gzip.compress(lines.encode(), mtime=0)
    (folder / "truncated.jsonl.gz").write_bytes(packed[: len(packed) * 2 // 3])
    (folder / "bomb.jsonl.gz").write_bytes(gzip.compress(b"a" * 30_000_000, mtime=0))  # one 30 MB line
    big_field = "x" * 140_000  # over csv's default 131,072-character field limit
    long_lines = "\n".join(["y" * 10_000] * 15)  # a quoted field of 150,000 characters over 15 lines
    (folder / "big.csv").write_text(
        f'id,title,abstract\nbig-1,Big,{big_field}\nbig-2,Long,"{long_lines}"\ncsv-ok,CSV row,{abstract(7)}\n',
        encoding="utf-8",
    )
    (folder / "stray.tsv").write_text(
        f'id\ttitle\tabstract\ntsv-1\t"Quoted start\t{abstract(8)}\ntsv-2\tSecond row\t{abstract(9)}\n',
        encoding="utf-8",
    )
    (folder / "packed.jsonl.bz2").write_bytes(
        bz2.compress(record("bz2-1", "From bzip2", abstract(10)).encode())
    )
    (folder / "packed.jsonl.xz").write_bytes(lzma.compress(record("xz-1", "From xz", abstract(11)).encode()))
    with zipfile.ZipFile(folder / "notes.zip", "w") as archive:
        archive.writestr("a.jsonl", record("zip-1", "In a zip", abstract(12)))
    os.mkfifo(folder / "pipe.jsonl")
    locked = folder / "locked.jsonl"
    locked.write_text(record("locked-1", "Unreadable", abstract(13)) + "\n", encoding="utf-8")
    locked.chmod(0)
    return {
        "good.jsonl:2": (2, "field 'title' must be a string, got number 123"),
        "good.jsonl:3": (3, "field 'abstract' must be a string, got list"),
        "good.jsonl:4": (4, "invalid text: lone surrogate in title"),
        "good.jsonl:5": (5, "record too long: over 100,000 characters"),
        "empty.xml": (1, "file not read on: empty file, not an Atom feed"),
        "binary.jsonl": (1, "file not read on: binary data (NUL bytes)"),
        "fake.jsonl.gz": (1, "file not read on: unreadable (Not a gzipped file"),
        "truncated.jsonl.gz": (None, "file not read on: truncated (Compressed file ended"),
        "bomb.jsonl.gz": (1, "record too long: over 100,000 characters (line has 30,000,000 bytes"),
        "big.csv:2": (2, "record too long"),
        "big.csv:3": (3, "record too long"),
        "pipe.jsonl": (None, "file not read on: not a regular file"),
        "locked.jsonl": (None, "file not read on: unreadable (Permission denied)"),
    }


def test_a_build_over_every_bad_file_goes_on_reports_each_and_accounts_for_every_record(
    tmp_path: Path,
) -> None:
    expected = write_bad_inputs(tmp_path / "in")
    (tmp_path / "rejects.jsonl").write_text('{"stale": "from an earlier run"}\n', encoding="utf-8")
    prefix = WITHOUT_FILE_PERMISSIONS if os.geteuid() == 0 else []
    ran = run("build", "in", "--out", "graph.json", "--quiet", cwd=tmp_path, prefix=prefix)
    assert ran.returncode == 0, ran.stderr
    assert "Traceback" not in ran.stderr

    read, built, rejected, duplicates = counts(ran.stdout)
    assert read == built + rejected + duplicates
    rows = report_rows(tmp_path / "rejects.jsonl")
    rejects = [row for row in rows if row["kind"] == "reject"]
    repeats = [row for row in rows if row["kind"] == "duplicate"]
    assert (len(rejects), len(repeats)) == (rejected, duplicates)
    assert "rejects report: rejects.jsonl (replaced an earlier run's report)" in ran.stdout
    assert "stale" not in (tmp_path / "rejects.jsonl").read_text(encoding="utf-8")

    by_place = {f"{Path(r['source']).name}:{r['line']}": r for r in rejects}
    by_file = {Path(r["source"]).name: r for r in rejects}
    for place, (line, reason) in expected.items():
        found = by_place.get(place) or by_file.get(place)
        assert found is not None, (place, sorted(by_place))
        assert found["reason"].startswith(reason), (place, found["reason"])
        assert line is None or found["line"] == line, (place, found)
    truncated = by_file["truncated.jsonl.gz"]
    assert truncated["line"] > 1  # the records before the damage were read

    # the repeat names where it is and where the first one was
    (repeat,) = repeats
    assert (Path(repeat["source"]).name, repeat["line"]) == ("repeat.jsonl", 1)
    assert "duplicate id dup-1: first read at" in repeat["reason"] and "good.jsonl:1" in repeat["reason"]

    papers = graph_paper_ids(tmp_path / "graph.json")
    assert len(papers) == built
    assert {"dup-1", "after-huge", "csv-ok", "tsv-1", "tsv-2", "bz2-1", "xz-1"} <= papers
    assert {"typed-1", "typed-2", "surrogate", "huge", "locked-1", "zip-1"}.isdisjoint(papers)
    assert sum(p.startswith("trunc-") for p in papers) == truncated["line"] - 1
    emoji_ids = {p for p in papers if p.startswith("t-")}
    assert len(emoji_ids) == 2  # two emoji-only titles, two papers
    graph = NetworkXStore.open(tmp_path / "graph.json").graph
    assert graph.nodes["tsv-1"]["title"] == '"Quoted start'  # a TSV quote is a character
    assert re.search(r"skipped 1 file .*notes\.zip", ran.stdout)


def test_strict_stops_at_the_first_bad_file_naming_it(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(record("a-1", "Fine", abstract(1)) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl.gz").write_bytes(b"not gzip")
    ran = run("build", "a.jsonl", "b.jsonl.gz", "--out", "graph.json", "--strict", "--quiet", cwd=tmp_path)
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    assert ran.stderr.strip().splitlines()[-1] == (
        "paperkg build: error: b.jsonl.gz:1: file not read on: unreadable (Not a gzipped file (b'no'))"
    )
    assert not (tmp_path / "graph.json").exists()


# --- outputs that must not be destroyed -------------------------------------------------------------------


def in_process(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    """`paperkg ARGS…` through `paperkg.cli.main` in this process (for refusals, which come before any model
    loads): its exit status and its stderr."""
    code = main(list(args))
    return code, capsys.readouterr().err


def test_extract_refuses_to_write_over_its_input_under_any_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "papers.jsonl"
    content = record("p-1", "A paper", abstract(1)) + "\n"
    source.write_text(content, encoding="utf-8")
    (tmp_path / "link.jsonl").symlink_to(source)
    os.link(source, tmp_path / "hard.jsonl")
    for out in ("papers.jsonl", "link.jsonl", "hard.jsonl", "./papers.jsonl"):
        code, err = in_process(capsys, "extract", "papers.jsonl", "--out", out)
        assert code == 2, err
        assert err.strip().endswith(
            "is the input file papers.jsonl: writing it would destroy the input; choose another --out file"
        )
    code, err = in_process(capsys, "extract", ".", "--out", "hard.jsonl")  # the input given as its folder
    assert code == 2 and "writing it would destroy the input" in err
    code, err = in_process(capsys, "extract", "papers.jsonl", "--out", "p.jsonl", "--rejects", "papers.jsonl")
    assert code == 2 and "--rejects papers.jsonl is the input file" in err
    assert source.read_text(encoding="utf-8") == content


def test_viz_refuses_to_overwrite_the_graph_or_a_file_it_did_not_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    graph = tmp_path / "graph"  # no suffix: --out graph --format html would have replaced it
    saved_graph(graph, ["p-1", "p-2"])
    before = graph.read_bytes()
    os.link(graph, tmp_path / "graph.html")
    (tmp_path / "notes.svg").write_text("my own notes, not a picture\n", encoding="utf-8")
    cases = [
        (["--out", "graph", "--format", "html"], "--out graph is the graph file being read (--graph graph)"),
        (["--out", "graph.html"], "--out graph.html is the graph file being read"),
        (["--out", "notes.svg"], "--out notes.svg exists and is not a svg file: it is left alone"),
    ]
    for options, message in cases:
        code, err = in_process(capsys, "viz", *options, "--graph", "graph")
        assert code == 2 and message in err, (options, err)
    code, err = in_process(capsys, "show", "p-1", "--out", "graph", "--graph", "graph")
    assert code == 2 and "is the graph file being read" in err
    assert graph.read_bytes() == before
    assert (tmp_path / "notes.svg").read_text(encoding="utf-8") == "my own notes, not a picture\n"
    for _ in range(2):  # an earlier output of the same format is replaced
        code, err = in_process(capsys, "viz", "--out", "view.html", "--graph", "graph")
        assert code == 0, err
    assert (tmp_path / "view.html").read_text(encoding="utf-8").lower().startswith("<!doctype html")


def test_an_output_interrupted_while_written_is_left_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "real.jsonl"
    target.write_text("the old content\n", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    with pytest.raises(KeyboardInterrupt), atomic_output(link) as out:
        out.write("half of the new")
        raise KeyboardInterrupt  # Ctrl-C in the middle of writing
    assert target.read_text(encoding="utf-8") == "the old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.jsonl", "real.jsonl"]  # no temporary file
    with atomic_output(link) as out:
        out.write("the new content\n")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "the new content\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_two_builds_into_one_graph_file_take_turns_and_keep_every_paper(tmp_path: Path) -> None:
    for name in ("a", "b"):
        lines = [record(f"{name}-{i}", f"Paper {name} {i}", abstract(i)) for i in range(3)]
        (tmp_path / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    builds = [
        subprocess.Popen(
            paperkg_command(
                "build",
                f"{name}.jsonl",
                "--out",
                "graph.json",
                "--quiet",
                "--rejects",
                f"{name}-rejects.jsonl",
            ),
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    results = [build.communicate(timeout=300) for build in builds]
    assert [build.returncode for build in builds] == [0, 0], results
    waited = [err for _, err in results if "another build is writing graph.json; waiting" in err]
    assert len(waited) == 1, results
    assert graph_paper_ids(tmp_path / "graph.json") == {f"{n}-{i}" for n in "ab" for i in range(3)}


def test_symlinked_out_is_written_through_keeps_its_mode_and_a_stale_report_is_emptied(
    tmp_path: Path,
) -> None:
    real = tmp_path / "store" / "real.json"
    real.parent.mkdir()
    saved_graph(real, ["old-1"])
    real.chmod(0o600)
    (tmp_path / "graph.json").symlink_to(real)
    (tmp_path / "rejects.jsonl").write_text('{"stale": true}\n', encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(record("new-1", "New", abstract(1)) + "\n", encoding="utf-8")
    ran = run("build", "a.jsonl", "--out", "graph.json", "--quiet", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "graph.json").is_symlink() and os.readlink(tmp_path / "graph.json") == str(real)
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert graph_paper_ids(real) == {"old-1", "new-1"}
    assert (
        "rejects report: rejects.jsonl (emptied: it held an earlier run's rejects; this run has none)"
        in ran.stdout
    )
    assert (tmp_path / "rejects.jsonl").read_text(encoding="utf-8") == ""
    assert sorted(p.name for p in real.parent.iterdir() if not p.name.startswith(".real.json.lock")) == [
        "real.json",
        *(["real.json.cache"] if (real.parent / "real.json.cache").exists() else []),
    ]


def test_a_full_disk_names_the_graph_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    lines = [record(f"p-{i}", f"Paper {i}", abstract(i)) for i in range(40)]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    namespace = ["unshare", "--mount"] + ([] if os.geteuid() == 0 else ["--map-root-user"])
    script = (
        f"mount -t tmpfs -o size=16k tmpfs {disk} || exit 99; "
        f"{' '.join(paperkg_command('build', 'a.jsonl', '--out', disk / 'graph.json', '--quiet'))}; "
        f'echo "exit $?"; ls -A {disk}'
    )
    done = subprocess.run(
        [*namespace, "sh", "-c", script],
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr  # 99: no tmpfs could be mounted here
    assert done.stderr.strip().splitlines()[-1] == (
        f"paperkg build: error: {disk / 'graph.json'}: No space left on device; nothing written"
    )
    listing = done.stdout.strip().splitlines()
    left = listing[listing.index("exit 2") + 1 :]
    assert not [name for name in left if name == "graph.json" or name.endswith(".tmp")], left


# --- processes -------------------------------------------------------------------------------------------------


def children_of(pid: int) -> set[int]:
    """Processes whose parent is `pid` (read from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_a_killed_parallel_build_leaves_no_worker_and_the_graph_as_it_was(
    tmp_path: Path, signum: int
) -> None:
    lines = [record(f"p-{i}", f"Paper {i}", abstract(i)) for i in range(4000)]
    (tmp_path / "many.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    saved_graph(tmp_path / "graph.json", ["old-1"])
    before = (tmp_path / "graph.json").read_bytes()
    build = subprocess.Popen(
        paperkg_command("build", "many.jsonl", "--out", "graph.json", "--processes", "2", "--quiet"),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers: set[int] = set()
    try:
        wait_for(lambda: len(children_of(build.pid)) >= 2, 240, "two workers")
        workers = children_of(build.pid)
        build.send_signal(signum)
        build.wait(timeout=60)
        wait_for(lambda: not any(alive(w) for w in workers), 30, f"workers {workers} to end")
        err = build.stderr.read()  # ends once no worker holds the pipe
    finally:
        if build.poll() is None:
            build.kill()
        for worker in workers:  # only alive when the test failed
            if alive(worker):
                os.kill(worker, signal.SIGKILL)
    if signum != signal.SIGKILL:
        assert build.returncode == 130 and err.strip().splitlines()[-1] == "paperkg build: interrupted", err
    assert (tmp_path / "graph.json").read_bytes() == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def slow_after_the_first(paper: Paper, doc) -> int:
    """A per-paper step that takes 30 s for every paper but the first (module-level: workers find it by name)."""
    if paper.id != "p-0":
        time.sleep(30)
    return len(doc)


def test_a_parallel_run_stopped_early_kills_its_workers_instead_of_draining_them() -> None:
    import spacy

    papers = (Paper(id=f"p-{i}", title="", abstract="a few words", source="test") for i in range(100))
    before = set(multiprocessing.active_children())
    stream = map_papers(spacy.blank("en"), papers, slow_after_the_first, batch_size=1, n_process=2)
    assert next(stream) == 3  # the other papers in flight would take 30 s each to drain
    workers = [p for p in multiprocessing.active_children() if p not in before]
    assert len(workers) == 2
    stream.close()  # the consumer stops early, as an error or Ctrl-C in a build does
    wait_for(lambda: not any(worker.is_alive() for worker in workers), 10, "the workers to be killed")
    assert [worker.exitcode for worker in workers] == [-signal.SIGKILL] * 2
