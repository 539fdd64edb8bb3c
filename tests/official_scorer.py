"""Run the maintainers' scorer, `../shared/tools/score.py`, as a separate process on files."""

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest_paths import SHARED

SCORE_PY = SHARED / "tools" / "score.py"


def run_score_py(gold: Path, pred: Path, corpus: str, tmp_path: Path) -> tuple[str, dict]:
    """score.py's printout and its `--json` result for these files."""
    out = tmp_path / f"official_{corpus}.json"
    done = subprocess.run(
        [
            sys.executable,
            str(SCORE_PY),
            "--gold",
            str(gold),
            "--pred",
            str(pred),
            "--corpus",
            corpus,
            "--json",
            str(out),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout, json.loads(out.read_text())
