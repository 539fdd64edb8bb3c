"""Help a person can act on: `paperkg --version`; `paperkg --help` gives each command one line; each command's
`--help` says what it does, explains every argument with its default, and ends with examples."""

from __future__ import annotations

import argparse
from importlib.metadata import version

import pytest

import paperkg
from paperkg.cli import build_parser
from tests.cli_process import paperkg as run


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


COMMANDS = sorted(subcommands())


def test_version_is_the_package_version():
    ran = run("--version")
    assert ran.code == 0
    assert ran.out.strip() == f"paperkg {paperkg.__version__}" == f"paperkg {version('paperkg')}"


def test_top_help_gives_each_command_one_line_and_where_to_start():
    ran = run("--help")
    assert ran.code == 0
    lines = ran.out.splitlines()
    for name in COMMANDS:
        (line,) = [line for line in lines if line.split()[:1] == [name]]
        following = lines[lines.index(line) + 1].split()
        assert following[:1] in ([], *[[other] for other in COMMANDS]), f"{name}'s summary wraps: {line}"
    assert "paperkg COMMAND --help" in ran.out
    assert "paperkg build ../shared/seeds --out graph.json" in ran.out


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_says_what_it_does_with_each_argument_default_and_examples(name):
    parser = subcommands()[name]
    ran = run(name, "--help")
    assert ran.code == 0 and ran.err == ""
    usage, description, *_ = ran.out.split("\n\n")
    assert usage.startswith(f"usage: paperkg {name}")
    assert description[0].isupper() and description.rstrip().endswith("."), description
    examples = ran.out.split("examples:\n", 1)[1].splitlines()
    assert any(line.strip().startswith(f"paperkg {name} ") for line in examples), ran.out
    formatter = parser._get_formatter()
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"paperkg {name}: {action.option_strings or action.dest} has no help"
        has_default = action.default not in (None, False, [], argparse.SUPPRESS) and action.required is False
        if has_default and action.option_strings:
            assert "default" in formatter._get_help_string(action), (name, action.option_strings)
            assert f"(default: {action.default})" in " ".join(ran.out.split()), (name, action.option_strings)


def test_the_help_that_was_missing():
    """The gaps the issue names: --param, defaults of --out and --rejects, --processes, query parameters."""
    query = " ".join(run("query", "--help").out.split())
    assert "a parameter of the query, e.g. -p limit=10" in query
    assert "-p after=2023-06 an ISO date" in query  # every query's parameters, not only via --list
    assert "-p paper=2307.09288 a paper's id or title (required)" in query
    build = " ".join(run("build", "--help").out.split())
    assert "graph file to write or extend (networkx backend) (default: graph.json)" in build
    assert "(default: rejects.jsonl)" in build
    assert "up to one per CPU core" in build and "(default: 1)" in build
    for name, argument in [
        ("show", "paper"),
        ("lookup", "name"),
        ("delete", "PAPER_ID"),
        ("train", "output_dir"),
    ]:
        text = run(name, "--help").out
        assert f"  {argument} " in text.split("positional arguments:")[1].split("options:")[0], (name, text)
