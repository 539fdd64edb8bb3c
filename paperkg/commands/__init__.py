"""CLI command groups; each module has `register(subparsers)` adding its commands with `add_command`.

Every command's help opens with one line of what it does, lists each argument with its default, and ends with
examples; a user mistake ends in one `paperkg COMMAND: error: …` line (see `paperkg.cli.main`).
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Sequence

from paperkg.stores import DEFAULT_GRAPH

WIDTH = 78  # help paragraphs wrap where argparse wraps its own text on an 80-column terminal


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and examples as written; `(default: …)` after each option that has a default."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if (
            "(default" in text
            or default in (None, False, [], argparse.SUPPRESS)
            or isinstance(action, argparse._StoreConstAction)
        ):
            return text
        return f"{text} (default: %(default)s)"

    def add_argument(self, action: argparse.Action) -> None:
        """Subcommands are indented one step deeper than argparse measures them: count that step, so a long
        command name does not push its summary onto a second line."""
        super().add_argument(action)
        if isinstance(action, argparse._SubParsersAction) and action.help is not argparse.SUPPRESS:
            names = [len(self._format_action_invocation(sub)) for sub in action._get_subactions()]
            deepest = max(names, default=0) + self._current_indent + self._indent_increment
            self._action_max_length = max(self._action_max_length, deepest)


def add_command(
    sub: argparse._SubParsersAction,
    name: str,
    summary: str,
    *,
    examples: Sequence[str],
    details: str = "",
    epilog: str = "",
) -> argparse.ArgumentParser:
    """A subcommand whose `--help` opens with `summary` (also its line in `paperkg --help`), then `details`,
    and ends with `epilog` and the `examples`."""
    tail = "examples:\n" + "\n".join(f"  {example}" for example in examples)
    description = f"{summary[0].upper()}{summary[1:]}."
    if details:
        description += "\n\n" + "\n\n".join(textwrap.fill(part, WIDTH) for part in details.split("\n\n"))
    return sub.add_parser(
        name,
        help=summary,
        description=description,
        epilog=f"{epilog}\n\n{tail}" if epilog else tail,
        formatter_class=HelpFormatter,
    )


def add_graph_option(parser: argparse.ArgumentParser) -> None:
    """`--graph`: the graph file or server URI a reading command opens."""
    parser.add_argument(
        "--graph",
        default=str(DEFAULT_GRAPH),
        metavar="FILE_OR_URI",
        help="graph file from `paperkg build`, or bolt://…, neo4j://…, falkordb://HOST:PORT/GRAPH",
    )


def entity_type(text: str) -> str:
    """argparse type: an entity type in any case ("model", "Model", "MODEL"), as its lower-case name."""
    from paperkg.graph.schema import EntityType

    try:
        return EntityType.from_label(text).name.lower()
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def positive_int(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {value}")
    return value
