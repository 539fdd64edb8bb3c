"""Readers in paperkg.sources, on the shared seeds and data and on small fixtures in tests/fixtures/sources."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from paperkg.graph.schema import Reject, normalize_title, paper_id_for
from paperkg.sources import (
    ReadStats,
    RejectedRecordError,
    SourceFormatError,
    detect_format,
    read_papers,
    write_rejects_report,
)
from tests.conftest_paths import SHARED as SHARED_DIR

SHARED = SHARED_DIR
SEEDS = SHARED / "seeds"
# the annotated corpora in the uniform {"id", "text", "spans"} format, named one by one (not globbed: shared/data
# gains files that are not ours to count)
DATA_FILES = [
    SHARED / "data" / split / f"{name}.jsonl"
    for split, name in [
        ("dev", "scier"),
        ("dev", "gsap_ner"),
        ("dev", "scierc"),
        ("train", "tdmsci"),
        ("dev", "seed_papers"),
    ]
]
FIXTURES = Path(__file__).parent / "fixtures" / "sources"

needs_shared = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds and data not present")


def read_all(*paths: str | Path, strict: bool = False) -> tuple[list, ReadStats]:
    stats = ReadStats()
    papers = list(read_papers(paths, strict=strict, stats=stats))
    return papers, stats


def assert_accounted(papers: list, stats: ReadStats) -> None:
    """Nothing read is silently dropped."""
    assert stats.built == len(papers)
    assert stats.read == stats.built + stats.rejected + stats.duplicates
    assert stats.rejected == len(stats.rejects)


def reasons_by_line(stats: ReadStats) -> dict[int | None, str]:
    return {r.line: r.reason for r in stats.rejects}


# --- seeds: Hugging Face Daily Papers dumps ---------------------------------------------------------------


@needs_shared
def test_seed_dumps_give_312_distinct_papers_from_369_records() -> None:
    papers, stats = read_all(SEEDS)
    assert (stats.read, stats.built, stats.rejected, stats.duplicates) == (369, 312, 0, 57)
    assert_accounted(papers, stats)
    assert len({p.id for p in papers}) == 312
    assert len({normalize_title(p.title) for p in papers}) == 312


@needs_shared
def test_seed_papers_have_title_abstract_and_title_line() -> None:
    first_file = min(SEEDS.glob("*.txt"))
    papers, _ = read_all(first_file)
    lines = first_file.read_text(encoding="utf-8").split("\n")
    for paper in papers:
        assert lines[paper.line - 1] == paper.title
        assert paper.id == paper_id_for(paper.title)
        assert lines[paper.line + 1] == paper.abstract
        assert paper.title not in {"Subscribe", "new", "byAK and the research community"}


@needs_shared
def test_seed_repeats_keep_the_first_occurrence() -> None:
    papers, _ = read_all(SEEDS)
    files = sorted(str(p) for p in SEEDS.glob("*.txt"))
    order = [(files.index(p.source), p.line) for p in papers]
    assert order == sorted(order)


def test_daily_papers_title_without_abstract_is_rejected_with_its_line() -> None:
    papers, stats = read_all(FIXTURES / "daily_missing_abstract.txt")
    assert [p.title for p in papers] == ["First Paper: Something Useful", "Second Paper: Another Thing"]
    assert [p.line for p in papers] == [11, 17]
    assert sorted(reasons_by_line(stats)) == [15, 21]
    assert "end of file" in reasons_by_line(stats)[21]
    assert_accounted(papers, stats)


def test_daily_papers_header_without_date_line_is_skipped() -> None:
    papers, stats = read_all(FIXTURES / "daily_no_date.txt")
    assert [(p.title, p.line) for p in papers] == [("Only Paper Here", 5)]
    assert stats.rejected == 0


def test_daily_papers_undecodable_bytes_reject_one_record(tmp_path: Path) -> None:
    dump = tmp_path / "page.txt"
    dump.write_bytes(
        b"Subscribe\n\nMar 14\n\nGood Title\n\nGood abstract.\n\nBad \xff Title\n\nIts abstract.\n"
    )
    papers, stats = read_all(dump)
    assert [p.title for p in papers] == ["Good Title"]
    assert stats.rejects[0].line == 9
    assert "undecodable" in stats.rejects[0].reason
    assert_accounted(papers, stats)


# --- shared annotated data (JSONL with id/text/spans) ------------------------------------------------------


@needs_shared
def test_shared_data_files_read_as_text_only_papers(tmp_path: Path) -> None:
    """Records with `id` and `text` only (no title) become text-only papers; the test reads its own copies of
    the first 10 records of each corpus, so what it counts is what it wrote."""
    copies = []
    for source in DATA_FILES:
        copy = tmp_path / f"{source.parent.name}_{source.name}"
        copy.write_text("".join(source.open(encoding="utf-8").readlines()[:10]), encoding="utf-8")
        copies.append(copy)
    papers, stats = read_all(*copies)
    assert stats.rejected == 0 and stats.duplicates == 0
    assert_accounted(papers, stats)
    expected = [json.loads(line) for path in copies for line in path.open(encoding="utf-8")]
    assert len(expected) == 5 * 10
    assert len(papers) == len(expected)
    for paper, record in zip(papers, expected, strict=True):
        assert paper.text == record["text"]
        assert paper.source_id == record["id"]
        assert paper.id == record["id"]
        assert paper.title == ""


@needs_shared
def test_directory_skips_non_source_files_and_hidden_files(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "papers.tsv", tmp_path / "b.tsv")
    (tmp_path / "sub").mkdir()
    shutil.copy(FIXTURES / "feed.atom.xml", tmp_path / "sub" / "a.xml")
    shutil.copy(FIXTURES / "papers.csv", tmp_path / ".hidden.csv")
    (tmp_path / "README.md").write_text("# Notes\n\nNot papers.\n\nReally not.\n", encoding="utf-8")
    papers, stats = read_all(tmp_path)
    assert stats.files == [str(tmp_path / "b.tsv"), str(tmp_path / "sub" / "a.xml")]
    assert stats.skipped_files == [str(tmp_path / "README.md")]
    assert [p.source_id for p in papers] == [
        "row-1",
        "http://arxiv.org/abs/2303.08774v3",
        "http://arxiv.org/abs/1706.03762v7",
    ]


# --- JSONL rejects, one per kind -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bad_jsonl() -> tuple[list, ReadStats]:
    return read_all(FIXTURES / "bad_records.jsonl")


def test_jsonl_bad_json_is_rejected(bad_jsonl: tuple[list, ReadStats]) -> None:
    reasons = reasons_by_line(bad_jsonl[1])
    assert reasons[2].startswith("bad JSON")
    assert reasons[8] == "bad JSON: expected an object, got list"


def test_jsonl_missing_abstract_is_rejected(bad_jsonl: tuple[list, ReadStats]) -> None:
    assert "missing abstract" in reasons_by_line(bad_jsonl[1])[3]


def test_jsonl_empty_abstract_is_rejected(bad_jsonl: tuple[list, ReadStats]) -> None:
    assert reasons_by_line(bad_jsonl[1])[4] == "empty abstract"


def test_jsonl_empty_title_is_rejected(bad_jsonl: tuple[list, ReadStats]) -> None:
    reasons = reasons_by_line(bad_jsonl[1])
    assert reasons[5] == "empty title"
    assert reasons[11].startswith("empty title")


def test_jsonl_undecodable_bytes_are_rejected(bad_jsonl: tuple[list, ReadStats]) -> None:
    rejects = {r.line: r for r in bad_jsonl[1].rejects}
    assert rejects[6].reason.startswith("undecodable bytes")
    assert "\\xe9" in rejects[6].record


def test_jsonl_good_records_survive_and_repeats_merge(bad_jsonl: tuple[list, ReadStats]) -> None:
    papers, stats = bad_jsonl
    assert [(p.id, p.line) for p in papers] == [("2303.08774", 1), ("text-1", 10)]
    assert papers[0].source_id == "2303.08774"
    assert papers[1].text == "  Text-only record, kept exactly.  "
    assert (stats.read, stats.rejected, stats.duplicates) == (10, 7, 1)
    assert all(r.source == str(FIXTURES / "bad_records.jsonl") for r in stats.rejects)
    assert_accounted(papers, stats)


def test_strict_mode_raises_with_file_and_line() -> None:
    path = FIXTURES / "bad_records.jsonl"
    with pytest.raises(RejectedRecordError, match=rf"^{path}:2: bad JSON") as raised:
        read_all(path, strict=True)
    assert isinstance(raised.value.reject, Reject)


@pytest.mark.parametrize(
    ("name", "line"),
    [("bad_rows.csv", 4), ("daily_missing_abstract.txt", 15), ("feed.atom.xml", 21)],
)
def test_strict_mode_raises_in_every_format(name: str, line: int) -> None:
    with pytest.raises(RejectedRecordError, match=rf"{FIXTURES / name}:{line}: "):
        read_all(FIXTURES / name, strict=True)


def test_rejects_report_is_one_reject_per_line(bad_jsonl: tuple[list, ReadStats], tmp_path: Path) -> None:
    report = tmp_path / "rejects.jsonl"
    write_rejects_report(bad_jsonl[1].rejects, report)
    rows = [Reject.model_validate_json(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert rows == bad_jsonl[1].rejects


# --- CSV / TSV -------------------------------------------------------------------------------------------------


def test_csv_quoted_multiline_abstract_and_optional_fields() -> None:
    papers, stats = read_all(FIXTURES / "papers.csv")
    assert stats.rejected == 0
    gpt4, second = papers
    assert gpt4.id == "2303.08774" and gpt4.source_id == "arXiv:2303.08774v3"
    assert (
        gpt4.abstract == 'We report the development of GPT-4.\nIt is evaluated on MMLU, with "quoted" words.'
    )
    assert gpt4.authors == ("OpenAI", "A. Author", "B. Author")
    assert gpt4.categories == ("cs.CL", "cs.AI")
    assert (second.id, second.line, second.authors) == ("p-2", 4, ())


def test_csv_missing_columns_and_bad_bytes_reject_rows_at_their_first_line() -> None:
    papers, stats = read_all(FIXTURES / "bad_rows.csv")
    assert [(p.source_id, p.line) for p in papers] == [("ok-1", 2), ("ok-2", 7)]
    reasons = reasons_by_line(stats)
    assert reasons[4] == "missing columns: row has 2 fields, header has 3"
    assert reasons[5].startswith("undecodable bytes") and "(line 5)" in reasons[5]
    assert_accounted(papers, stats)


def test_tsv_text_only_row() -> None:
    (paper,), _ = read_all(FIXTURES / "papers.tsv")
    assert (paper.id, paper.title, paper.text) == ("row-1", "", "A text-only record about BERT on SQuAD.")


def test_csv_without_abstract_or_text_column_is_a_file_reject(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,name\n1,foo\n", encoding="utf-8")
    papers, stats = read_all(path)
    assert papers == [] and [(r.source, r.line) for r in stats.rejects] == [(str(path), 1)]
    assert "header has no 'abstract' or 'text' column" in stats.rejects[0].reason
    with pytest.raises(RejectedRecordError, match=str(path)):
        read_all(path, strict=True)


# --- arXiv -----------------------------------------------------------------------------------------------------


def test_arxiv_snapshot_records_collapse_whitespace() -> None:
    papers, stats = read_all(FIXTURES / "arxiv_snapshot.jsonl")
    assert stats.rejected == 0
    first, old = papers
    assert first.id == "0704.0001" and first.source_id == "0704.0001"
    assert (
        first.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    assert first.abstract.startswith(
        "A fully differential calculation in perturbative quantum chromodynamics is pr"
    )
    assert "\n" not in first.abstract and "  " not in first.abstract
    assert first.authors == ("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan")
    assert (first.date, first.categories, first.url) == (
        "2008-11-13",
        ("hep-ph",),
        "https://arxiv.org/abs/0704.0001",
    )
    assert (old.id, old.title, old.authors) == ("cs/0112017", "An old-style identifier", ("A. One", "B. Two"))
    assert old.categories == ("cs.LG", "stat.ML")


def test_atom_feed_entries_and_malformed_entry() -> None:
    papers, stats = read_all(FIXTURES / "feed.atom.xml")
    assert [p.id for p in papers] == ["2303.08774", "1706.03762"]
    gpt4 = papers[0]
    assert gpt4.title == "GPT-4 Technical Report"
    assert gpt4.abstract.startswith(
        "We report the development of GPT-4, a large-scale, multimodal model. GPT-4 is"
    )
    assert (gpt4.authors, gpt4.categories, gpt4.date) == (
        ("OpenAI", "Josh Achiam"),
        ("cs.CL", "cs.AI"),
        "2023-03-15",
    )
    assert (gpt4.line, papers[1].line) == (5, 27)
    assert [(r.line, r.reason) for r in stats.rejects] == [(21, "malformed entry: no summary (abstract)")]
    assert_accounted(papers, stats)


def test_truncated_atom_feed_is_a_file_reject_after_the_entries_before_the_damage() -> None:
    papers, stats = read_all(FIXTURES / "truncated_feed.xml")
    assert [p.id for p in papers] == ["2303.08774"]
    assert stats.rejects[0].reason == "malformed entry: no summary (abstract)"
    damage = stats.rejects[1]
    assert damage.source.endswith("truncated_feed.xml") and damage.line is not None
    assert damage.reason.startswith("file not read on: not well-formed XML")
    assert_accounted(papers, stats)
    with pytest.raises(RejectedRecordError, match=r"truncated_feed\.xml:\d+: malformed entry"):
        read_all(FIXTURES / "truncated_feed.xml", strict=True)


# --- gzip, formats, mixed input ---------------------------------------------------------------------------


def test_gzip_is_read_transparently(tmp_path: Path) -> None:
    gz = tmp_path / "bad_records.jsonl.gz"
    gz.write_bytes(gzip.compress((FIXTURES / "bad_records.jsonl").read_bytes()))
    plain_papers, plain_stats = read_all(FIXTURES / "bad_records.jsonl")
    papers, stats = read_all(gz)
    assert [p.model_dump(exclude={"source"}) for p in papers] == [
        p.model_dump(exclude={"source"}) for p in plain_papers
    ]
    assert [(r.line, r.reason) for r in stats.rejects] == [(r.line, r.reason) for r in plain_stats.rejects]
    assert detect_format(gz) == "jsonl"


@needs_shared
def test_detect_format_by_extension_and_content(tmp_path: Path) -> None:
    assert detect_format(min(SEEDS.glob("*.txt"))) == "daily_papers"
    assert detect_format(FIXTURES / "papers.csv") == "csv"
    assert detect_format(FIXTURES / "papers.tsv") == "tsv"
    assert detect_format(FIXTURES / "feed.atom.xml") == "arxiv_atom"
    assert detect_format(DATA_FILES[0]) == "jsonl"
    for name, source in [("a.txt", "arxiv_snapshot.jsonl"), ("b.dat", "papers.csv"), ("c", "feed.atom.xml")]:
        shutil.copy(FIXTURES / source, tmp_path / name)
    tsv_as_txt = tmp_path / "d.txt"
    shutil.copy(FIXTURES / "papers.tsv", tsv_as_txt)
    gz_dump = tmp_path / "e.txt.gz"
    gz_dump.write_bytes(gzip.compress((FIXTURES / "daily_no_date.txt").read_bytes()))
    detected = [detect_format(tmp_path / n) for n in ("a.txt", "b.dat", "c", "d.txt", "e.txt.gz")]
    assert detected == ["jsonl", "csv", "arxiv_atom", "tsv", "daily_papers"]


def test_unknown_format_is_a_file_reject_naming_the_file(tmp_path: Path) -> None:
    blob = tmp_path / "blob.bin"
    blob.write_text("neither a table, nor JSON, nor a feed", encoding="utf-8")
    _, stats = read_all(blob)
    assert [r.message() for r in stats.rejects] == [
        f"{blob}: file not read on: cannot tell the format (expected daily_papers, jsonl, csv, tsv, arxiv_atom)"
    ]
    with pytest.raises(SourceFormatError, match=r"blob\.bin: cannot tell the format"):
        detect_format(blob)
    with pytest.raises(FileNotFoundError, match="missing.jsonl"):
        read_all(tmp_path / "missing.jsonl")


@needs_shared
def test_mixed_input_accounts_for_every_record() -> None:
    inputs = [SEEDS, *sorted(FIXTURES.glob("*")), FIXTURES / "papers.csv"]
    inputs.remove(FIXTURES / "truncated_feed.xml")
    papers, stats = read_all(*inputs)
    assert_accounted(papers, stats)
    assert stats.rejected == 7 + 2 + 2 + 1
    # seeds; GPT-4 again in bad_records.jsonl, papers.csv and feed.atom.xml; papers.csv's 2 papers read twice
    assert stats.duplicates == 57 + 1 + 1 + 1 + 2
    assert len({p.id for p in papers}) == len(papers)
