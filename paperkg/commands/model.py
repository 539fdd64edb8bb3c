"""`paperkg train` and `paperkg evaluate`: rebuild the shipped NER from the shared data, score a gold file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def cmd_train(args: argparse.Namespace) -> int:
    from paperkg.extract.training import train_model

    model = train_model(
        args.output_dir, max_minutes=args.max_minutes, data_dir=args.data_dir, limit=args.limit
    )
    print(f"trained model: {model} (copy it to extract/model to ship it)")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Scores with score.py's label mapping and rules: strict and overlap P/R/F1 per gold label."""
    import paperkg
    from paperkg.extract.training import evaluate_file, print_scores

    if args.rules_only:
        nlp = paperkg.load(ner_model=None)
    elif args.model:
        if not (args.model / "meta.json").is_file():
            raise FileNotFoundError(f"{args.model}: not a trained model directory (no meta.json)")
        nlp = paperkg.load(ner_model=args.model)
    else:
        nlp = paperkg.load()
    results = []
    for gold in args.gold:
        result = evaluate_file(gold, nlp, args.corpus, pred_path=args.pred)
        print_scores(result)
        results.append(result)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from paperkg.extract.training.corpus import DEFAULT_DATA_DIR

    train = sub.add_parser("train", help="train the NER from ../shared/data/train (config: extract/training)")
    train.add_argument("output_dir", type=Path)
    train.add_argument("--max-minutes", type=float, help="stop training after this long (wall clock)")
    train.add_argument("--limit", type=int, help="use only the first N records of each corpus (smoke runs)")
    train.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="folder with train/ and dev/")
    train.set_defaults(run=cmd_train)

    evaluate = sub.add_parser("evaluate", help="strict and overlap P/R/F1 per label on a gold JSONL file")
    evaluate.add_argument("gold", type=Path, nargs="+")
    evaluate.add_argument("--corpus", help="scier, gsap, scierc, tdmsci, … (default: from the file name)")
    evaluate.add_argument("--pred", type=Path, help="also write the predictions here")
    evaluate.add_argument("--json", type=Path, help="also write the scores as JSON")
    evaluate.add_argument(
        "--rules-only", action="store_true", help="score the rule components without the NER"
    )
    evaluate.add_argument(
        "--model",
        type=Path,
        help="a trained model directory, e.g. OUT/model of `paperkg train` (default: shipped)",
    )
    evaluate.set_defaults(run=cmd_evaluate)
