"""What paperkg prints reads right: counted nouns ("1 paper"), no "0 duplicates merged" where nothing could
merge, the summary before the file it saved, and a training time limit that reads as a planned stop."""

from __future__ import annotations

import json

from paperkg.build import BuildSummary
from paperkg.english import plural
from paperkg.graph.store import GraphCounts
from tests.cli_process import paperkg as run

PAPER = {"id": "2401.00001", "title": "A study of GPT-4", "abstract": "We evaluate GPT-4 on MMLU and GSM8K."}


def test_counted_nouns():
    assert [plural(n, "paper") for n in (0, 1, 2)] == ["0 papers", "1 paper", "2 papers"]
    assert plural(1, "entity", "entities") == "1 entity" and plural(3, "entity", "entities") == "3 entities"


def test_build_summary_counts_in_words():
    graph = GraphCounts(nodes={"Paper": 1, "Model": 1}, relationships={"MENTIONS": 1})
    one = BuildSummary(
        read=1, built=1, rejected=0, duplicates=0, mentions=1, merged_entities=1, seconds=1.0, graph=graph
    )
    assert one.lines() == [
        "read 1 record: 1 paper built, 0 rejected",
        "1 entity mention in 1.0 s (1 papers/s); resolution merged 1 entity, linked 0 variants",
        "graph: 2 nodes (Paper 1, Model 1); 1 relationship (MENTIONS 1)",
    ]
    repeated = one.model_copy(update={"read": 3, "duplicates": 2})
    assert (
        repeated.lines()[0]
        == "read 3 records: 1 paper built, 0 rejected, 2 repeated papers not built (the first kept, each reported)"
    )


def test_build_and_extract_report_what_they_did_in_order(tmp_path):
    line = json.dumps(PAPER) + "\n"
    (tmp_path / "one.jsonl").write_text(line, encoding="utf-8")
    (tmp_path / "twice.jsonl").write_text(line * 2, encoding="utf-8")
    ran = run("build", "one.jsonl", "--out", "graph.json", "--quiet", cwd=tmp_path)
    assert ran.code == 0, ran.err
    lines = ran.out.splitlines()
    assert lines[0] == "read 1 record: 1 paper built, 0 rejected"  # no "0 duplicates merged"
    assert lines[-1] == "saved graph to graph.json"  # after the summary, not before it
    ran = run("extract", "one.jsonl", "--out", "preds.jsonl", "--quiet", cwd=tmp_path)
    assert ran.code == 0 and ran.out == "read 1 record: 1 document written to preds.jsonl\n"
    ran = run("extract", "twice.jsonl", "--out", "preds.jsonl", "--quiet", cwd=tmp_path)
    assert ran.out == (
        "read 2 records: 1 document written to preds.jsonl, 1 repeated id skipped (the first one kept)\n"
        "rejects report: rejects.jsonl\n"  # the repeat, with its file and line
    )
    assert len((tmp_path / "preds.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    ran = run("lookup", "gpt-4", "--graph", "graph.json", cwd=tmp_path)
    assert ran.out.startswith("GPT-4 [Model] model:gpt4 — 1 paper\n")


def test_a_training_time_limit_reads_as_a_planned_stop(tmp_path):
    ran = run("train", "out", "--limit", "5", "--max-minutes", "0", cwd=tmp_path, timeout=600)
    assert ran.code == 0, ran.err
    output = ran.out + ran.err
    assert "Aborting" not in output and "Encountered exception" not in output and "Traceback" not in output
    (stop,) = [line for line in ran.out.splitlines() if line.startswith("[paperkg]")]
    assert stop.startswith("[paperkg] training stopped at its time limit (0 minutes, step 0)")
    assert stop.endswith("the best model so far goes into out/model")
    assert (tmp_path / "out" / "model" / "meta.json").is_file()
