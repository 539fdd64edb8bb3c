"""`paperkg train` and `paperkg evaluate`: rebuild the shipped NER from the shared data, score a gold file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from paperkg.commands import add_command, positive_int


def cmd_train(args: argparse.Namespace) -> int:
    from paperkg.extract.training import train_model

    if args.data_dir is not None and not (args.data_dir / "train").is_dir():
        raise FileNotFoundError(
            f"--data-dir {args.data_dir}: no train/ folder there (it holds train/ and dev/)"
        )
    options = {"data_dir": args.data_dir} if args.data_dir is not None else {}
    model = train_model(args.output_dir, max_minutes=args.max_minutes, limit=args.limit, **options)
    print(f"trained model: {model} (copy it to extract/model to ship it)")
    return 0


def _check_gold(args: argparse.Namespace) -> None:
    """Fail before the pipeline loads: every gold file exists, and its corpus is known or given."""
    from paperkg.extract.training.corpus import corpus_of
    from paperkg.extract.training.evaluate import MAPS

    if args.corpus is not None and args.corpus not in MAPS:
        raise ValueError(f"--corpus {args.corpus}: unknown; choose one of {', '.join(sorted(MAPS))}")
    for gold in args.gold:
        if not gold.is_file():
            raise FileNotFoundError(f"{gold}: no such gold file")
        if args.corpus is None:
            try:
                corpus_of(gold)
            except ValueError as err:
                raise ValueError(f"{err}; or give --corpus") from None


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Scores with score.py's label mapping and rules: strict and overlap P/R/F1 per gold label."""
    import paperkg
    from paperkg.extract.training import evaluate_file, print_scores

    _check_gold(args)
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
    train = add_command(
        sub,
        "train",
        "train the entity recognizer on the shared annotated data",
        details="Converts the corpora of DATA_DIR/train and DATA_DIR/dev, trains with "
        "extract/training/config.cfg (fixed seed, CPU), keeps the best checkpoint, and saves a pipeline to "
        "OUTPUT_DIR/model. With --max-minutes training stops at that time limit and keeps the best model "
        "so far.",
        examples=[
            "paperkg train out/train --max-minutes 27",
            "paperkg train out/smoke --limit 10 --max-minutes 0.25",
            "paperkg evaluate ../shared/data/dev/scier.jsonl --model out/train/model",
        ],
    )
    train.add_argument(
        "output_dir", type=Path, help="folder for the converted data, checkpoints and OUTPUT_DIR/model"
    )
    train.add_argument(
        "--max-minutes",
        type=float,
        metavar="M",
        help="stop training after M minutes of wall-clock time, keeping the best model (default: no limit)",
    )
    train.add_argument(
        "--limit",
        type=positive_int,
        metavar="N",
        help="read only the first N records of each corpus, for smoke runs (default: all)",
    )
    train.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="folder with train/ and dev/ (default: ../shared/data beside the repository, or env PAPERKG_DATA)",
    )
    train.set_defaults(run=cmd_train)

    evaluate = add_command(
        sub,
        "evaluate",
        "score the pipeline on gold files: P/R/F1 per label",
        details="Runs the pipeline on each record's text and scores it exactly as ../shared/tools/score.py "
        "does (same label mapping, ignored regions and micro average).",
        examples=[
            "paperkg evaluate ../shared/data/dev/scier.jsonl",
            "paperkg evaluate ../shared/data/dev/*.jsonl --json scores.json",
            "paperkg evaluate ../shared/data/dev/scierc.jsonl --model out/train/model --pred preds.jsonl",
        ],
    )
    evaluate.add_argument("gold", type=Path, nargs="+", help="gold JSONL files (id, text, spans)")
    evaluate.add_argument(
        "--corpus",
        help="label scheme of the gold files: scier, gsap, scierc, tdmsci, seeds, … (default: from each file name)",
    )
    evaluate.add_argument("--pred", type=Path, metavar="FILE", help="also write the predictions here (JSONL)")
    evaluate.add_argument("--json", type=Path, metavar="FILE", help="also write the scores here (JSON)")
    evaluate.add_argument(
        "--rules-only", action="store_true", help="score the rule components alone, without the trained NER"
    )
    evaluate.add_argument(
        "--model",
        type=Path,
        metavar="DIR",
        help="a trained pipeline, e.g. OUTPUT_DIR/model of `paperkg train` (default: the shipped extract/model)",
    )
    evaluate.set_defaults(run=cmd_evaluate)
