"""The `paperkg` command line: one parser, command groups registered from `paperkg.commands`.

User mistakes (a bad value, a missing file, an unreachable server, a name not in the graph) end in one line,
`paperkg COMMAND: error: what is wrong and how to fix it`, and exit status 2; never in a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys

from paperkg import __version__
from paperkg.commands import HelpFormatter, ask, build, graphdb, lookup, model, results, serve, viz
from paperkg.terminal import printable_output

COMMAND_GROUPS = (build, lookup, ask, results, viz, serve, graphdb, model)
USER_ERRORS = (ValueError, OSError)  # OSError covers missing files, permissions and ConnectionError
EXAMPLES = """\
start here:
  paperkg build ../shared/seeds --out graph.json        build the graph from the seed pages
  paperkg lookup gpt4                                   GPT-4, its spellings and its papers
  paperkg query --list                                  the named queries and their parameters
  paperkg query evaluated_on -p model=LLaMA-2           where a model is evaluated
  paperkg viz --entity GPT-4 --out gpt4.html            an interactive page, offline
  paperkg serve                                         explore it in a browser, offline

`paperkg COMMAND --help` explains each command, its arguments and defaults, with examples."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paperkg",
        description="Build and ask a knowledge graph of the models, methods, datasets, benchmarks,\n"
        "tasks and metrics in ML papers.",
        epilog=EXAMPLES,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"paperkg {__version__}",
        help="print paperkg's version and exit",
    )
    sub = parser.add_subparsers(dest="command", required=True, title="commands", metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def error_message(err: BaseException) -> str:
    """One line for a user error: the message itself, or `PATH: reason` for a file the system refused."""
    if isinstance(err, OSError) and err.filename and err.strerror:
        return f"{err.filename}: {err.strerror}"
    return " ".join(str(err).split()) or type(err).__name__


def main(argv: list[str] | None = None) -> int:
    # the Neo4j driver logs each failed try to stderr; the failure itself is reported below, once
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    args = build_parser().parse_args(argv)
    prog = f"paperkg {args.command}"
    with printable_output():  # stored names never reach the terminal as escape sequences
        return run_command(args, prog)


def run_command(args: argparse.Namespace, prog: str) -> int:
    """The command, with user errors, interrupts and a closed pipe as an exit status and one line."""
    try:
        return args.run(args)
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except USER_ERRORS as err:
        print(f"{prog}: error: {error_message(err)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
