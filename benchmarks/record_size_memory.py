"""Peak memory of reading one record as it grows past the record cap (--max-record-chars, default 100,000).

Each size is read in a fresh process (`paperkg.sources.read_papers`, as `paperkg build` reads), which prints its
own peak resident memory (getrusage). Past the cap the record is a reject and the peak stays flat: the line is
read up to the cap and the rest is dropped in 64 KiB pieces, gzipped or not (the last row is a gzip bomb: a
1 MB file that unpacks to a 1 GB line). For contrast, `whole line` is the peak of reading the same line whole
and parsing it, as the reader did before the cap.

.venv/bin/python benchmarks/record_size_memory.py [--max-chars 1000000000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import resource, sys
from pathlib import Path
mode, path = sys.argv[1], Path(sys.argv[2])
if mode == "capped":
    from paperkg.sources import ReadStats, read_papers
    stats = ReadStats()
    built = sum(1 for _ in read_papers([path], stats=stats))
    outcome = f"{built} built, {stats.rejected} rejected"
else:
    import gzip, json
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as stream:
        outcome = f"{len(json.loads(stream.readline())['abstract']):,} chars parsed"
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, outcome)
"""
PIECE = 1 << 20


def write_record(path: Path, chars: int) -> None:
    """One JSONL record whose abstract has `chars` characters, written in pieces (gzipped for `.gz`)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wb") as out:
        out.write(b'{"id": "big", "title": "A big record", "abstract": "')
        left = chars
        while left:
            step = min(left, PIECE)
            out.write(b"word " * (step // 5) + b"w" * (step % 5))
            left -= step
        out.write(b'"}\n')


def peak_mib(mode: str, path: Path) -> tuple[int, str]:
    """Peak resident MiB of a fresh process reading `path`, and what it read."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path)], capture_output=True, text=True, check=True
    )
    peak, outcome = done.stdout.strip().split(" ", 1)
    return int(peak), outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-chars", type=int, default=1_000_000_000, help="largest record (the gzip bomb)")
    parser.add_argument("--whole-up-to", type=int, default=100_000_000, help="largest size read whole too")
    args = parser.parse_args()
    sizes = [10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]
    print(
        f"{'record':>16} {'file':>10} {'capped: peak MiB':>17}  outcome{'':<22} {'whole line: peak MiB':>21}"
    )
    with tempfile.TemporaryDirectory() as folder:
        cases = [(size, Path(folder) / f"r{size}.jsonl") for size in sizes if size <= args.max_chars]
        cases.append((args.max_chars, Path(folder) / "bomb.jsonl.gz"))
        for size, path in cases:
            write_record(path, size)
            capped, outcome = peak_mib("capped", path)
            whole = f"{peak_mib('whole', path)[0]:>21}" if size <= args.whole_up_to else f"{'(not run)':>21}"
            file_size = path.stat().st_size
            print(f"{size:>16,} {file_size / 1e6:>8.1f}MB {capped:>17}  {outcome:<29} {whole}")
            path.unlink()
    print(json.dumps({"cap": 100_000, "note": "capped peak should not grow with the record size"}))


if __name__ == "__main__":
    main()
