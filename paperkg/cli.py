"""The `paperkg` command line: one parser, command groups registered from `paperkg.commands`."""

from __future__ import annotations

import argparse
import sys

from paperkg.commands import ask, build, graphdb, lookup, model, results, viz

COMMAND_GROUPS = (build, lookup, ask, results, viz, graphdb, model)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paperkg", description="Knowledge graph of ML papers.")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stderr.close()
        return 0
    except (FileNotFoundError, ValueError, ConnectionError) as err:
        print(f"paperkg: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
