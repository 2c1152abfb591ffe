"""The flow tooling commands of the ``waflow`` CLI: ``validate`` and ``graph``.

This module owns two plain click commands that :mod:`webhooks.cli` registers on its group.
``waflow validate`` loads flow files and directories (by default those of ``WAFLOW_FLOWS``),
imports the hooks file (``--hooks`` or ``WAFLOW_HOOKS``) and prints every finding of
:func:`flows._validate.validate_paths` as ``file:line: error|warning [code] key.path: message``
plus a summary; it exits 1 on errors (or on warnings with ``--strict``), 0 otherwise and 2 on
bad usage. ``waflow graph`` prints a flow as a Mermaid state diagram (:func:`flows._graph.mermaid`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.config import Config
from bot.errors import ConfigError, FlowError
from flows._graph import mermaid
from flows._loader import load_flow
from flows._validate import Diagnostic, flow_files, validate_paths


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _usage_error(message: str) -> None:
    click.secho(f"Error: {message}", fg="red", err=True)
    sys.exit(2)


def _show(diagnostic: Diagnostic) -> None:
    colour = "red" if diagnostic.severity == "error" else "yellow"
    click.secho(str(diagnostic), fg=colour)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--hooks",
    "hooks_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Python file defining `hooks = Hooks()` [default: $WAFLOW_HOOKS]; without it, hook "
    "names are not checked.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def validate(paths: tuple[Path, ...], hooks_file: Path | None, strict: bool) -> None:
    """Check flow files statically: schema, graph, templates, slots, hooks, WhatsApp limits.

    PATHS are flow files or directories (every *.yaml/*.yml below them); by default those
    named by WAFLOW_FLOWS. Each finding is printed as `file:line: error|warning [code]
    key.path: message`. Exits 1 when there are errors (with --strict: errors or warnings).
    """
    config = Config.from_env()
    if not paths:
        from webhooks.bootstrap import flow_paths

        paths = tuple(flow_paths(config))
    if not paths:
        _usage_error("give flow files or directories to check (or set WAFLOW_FLOWS)")
    hooks = None
    hooks_path = hooks_file or config.extra.get("WAFLOW_HOOKS") or None
    if hooks_path:
        from webhooks.bootstrap import load_hooks

        try:
            hooks = load_hooks(hooks_path)
        except ConfigError as exc:
            _usage_error(str(exc))
    files = flow_files(paths)
    if not files:
        _usage_error(f"no *.yaml or *.yml flow files in {', '.join(map(str, paths))}")
    diagnostics = validate_paths(paths, hooks=hooks)
    for diagnostic in diagnostics:
        _show(diagnostic)
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    summary = ", ".join(
        [_plural(len(files), "file"), _plural(errors, "error"), _plural(warnings, "warning")]
    )
    if hooks is None:
        summary += " (hook names not checked: no --hooks file)"
    failed = errors > 0 or (strict and warnings > 0)
    click.secho(summary, fg="red" if failed else "green", bold=True)
    sys.exit(1 if failed else 0)


@click.command()
@click.argument("flow_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the diagram to this file instead of printing it.",
)
def graph(flow_file: Path, output: Path | None) -> None:
    """Print FLOW_FILE as a Mermaid state diagram (paste it into a ```mermaid block).

    Exits 1 when the file cannot be loaded; run `waflow validate` for every problem.
    """
    try:
        flow = load_flow(flow_file)
    except FlowError as exc:
        click.secho(f"Error: {exc}", fg="red", err=True)
        sys.exit(1)
    text = mermaid(flow)
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"wrote {output}", err=True)


__all__ = ["graph", "validate"]
