"""`paperkg evaluate` prints score.py's numbers for the same predictions; `paperkg train` runs end to end."""

import json
import re

from paperkg.cli import main
from tests.conftest_paths import SHARED
from tests.official_scorer import run_score_py


def micro_line(text: str) -> str:
    (line,) = re.findall(r"^micro strict F1 .*$", text, flags=re.MULTILINE)
    return line


def test_evaluate_equals_score_py_on_the_same_file(tmp_path, capsys):
    gold = SHARED / "data" / "dev" / "scierc.jsonl"
    pred = tmp_path / "pred.jsonl"
    assert main(["evaluate", str(gold), "--pred", str(pred), "--json", str(tmp_path / "s.json")]) == 0
    ours = capsys.readouterr().out
    official, _ = run_score_py(gold, pred, "scierc", tmp_path)
    assert ours.strip() == official.strip()  # every per-label line and the micro line
    assert float(micro_line(ours).split()[3]) > 0.3
    (scores,) = json.loads((tmp_path / "s.json").read_text())
    assert scores["corpus"] == "scierc"


def test_train_smoke_run_writes_a_loadable_model(tmp_path, capsys):
    out = tmp_path / "train"
    assert main(["train", str(out), "--limit", "10", "--max-minutes", "0.1"]) == 0
    assert "trained model" in capsys.readouterr().out
    model_dirs = [p for p in out.rglob("meta.json")]
    assert model_dirs, "training wrote no spaCy model"


def test_evaluate_scores_the_model_it_is_given(tmp_path, capsys):
    from paperkg.extract.training import SHIPPED_MODEL

    gold = SHARED / "data" / "dev" / "scierc.jsonl"
    assert main(["evaluate", str(gold)]) == 0
    shipped = capsys.readouterr().out
    assert main(["evaluate", str(gold), "--model", str(SHIPPED_MODEL)]) == 0
    assert capsys.readouterr().out == shipped
    assert main(["evaluate", str(gold), "--rules-only"]) == 0
    assert micro_line(capsys.readouterr().out) != micro_line(shipped)
    assert main(["evaluate", str(gold), "--model", str(tmp_path)]) == 2
    assert f"{tmp_path}: not a trained model directory" in capsys.readouterr().err
