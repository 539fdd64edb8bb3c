"""`paperkg leaderboard`: the scores reported on a benchmark, best first, comparable rows only."""

from __future__ import annotations

import argparse
import json
import sys

from paperkg.commands.ask import format_rows
from paperkg.stores import DEFAULT_GRAPH

NOT_NAMED = "(not named)"
TABLE_COLUMNS = ("rank", "system", "value", "metric", "paper", "title")
DATA_COLUMNS = (
    "rank", "system", "system_id", "value", "number", "unit", "metric", "metric_id", "paper_id", "paper_title",
    "sentence",
)  # fmt: skip


def leaderboard_rows(board) -> list[dict]:
    """The board's rows as dicts, ranked (equal numbers share a rank)."""
    rows, rank, previous = [], 0, None
    for position, row in enumerate(board.rows, start=1):
        if row.number != previous:
            rank, previous = position, row.number
        data = row.model_dump(mode="json")
        data.update(rank=rank, paper=row.paper_id, title=row.paper_title[:50])
        rows.append(data)
    return rows


def left_out_note(board) -> str:
    """One line naming what the board left out: "left out 2 rows not comparable: 1 with no metric (%), …"."""
    groups: dict[str, int] = {}
    for row in board.left_out:
        key = f"{row.metric or 'no metric'} ({row.unit})"
        groups[key] = groups.get(key, 0) + 1
    parts = ", ".join(f"{n} {key}" for key, n in groups.items())
    rows = "1 row" if len(board.left_out) == 1 else f"{len(board.left_out)} rows"
    return f"left out {rows} of other metrics or units: {parts}"


def cmd_leaderboard(args: argparse.Namespace) -> int:
    from paperkg.queries.api import open as open_graph
    from paperkg.queries.result_queries import comparable_rows

    with open_graph(args.graph) as kg:
        board = comparable_rows(kg.query("leaderboard", benchmark=args.benchmark, metric=args.metric))
    rows = leaderboard_rows(board)
    if args.format == "json":
        left_out = [row.model_dump(mode="json") for row in board.left_out]
        data = {"benchmark": args.benchmark, "metric": board.metric, "unit": board.unit, "rows": rows}
        print(json.dumps({**data, "left_out": left_out}, ensure_ascii=False, indent=2))
    elif not rows:
        print(f"no scores reported on {args.benchmark}" + (f" for {args.metric}" if args.metric else ""))
    else:
        columns = TABLE_COLUMNS if args.format == "table" else DATA_COLUMNS
        if args.format == "table":  # a score the sentence gives no system for (the start of "58.9 -> 61.7")
            rows = [{**row, "system": row["system"] or NOT_NAMED} for row in rows]
        print(format_rows(rows, columns, args.format))
    if board.left_out and args.format != "json":
        print(left_out_note(board), file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "leaderboard",
        help="the scores papers report on a benchmark, best first",
        description="The scores papers report on a benchmark, best first. Only comparable rows are ranked "
        "together: those of the most reported metric and unit (or of --metric); the others are named as left "
        "out.",
        epilog="examples:\n  paperkg leaderboard GSM8K\n  paperkg leaderboard MMLU --metric accuracy --format csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("benchmark", help="a benchmark or dataset: name, alias or id")
    parser.add_argument("--metric", help="only this metric (name or id, any case)")
    parser.add_argument(
        "--format", choices=("table", "json", "csv"), default="table", help="output format (default: table)"
    )
    parser.add_argument(
        "--graph", default=DEFAULT_GRAPH, help=f"graph file or server URI (default: {DEFAULT_GRAPH})"
    )
    parser.set_defaults(run=cmd_leaderboard)
