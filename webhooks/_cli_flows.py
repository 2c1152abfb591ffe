"""The flow tooling commands of the ``waflow`` CLI: ``validate`` (every finding of
:func:`flows.validate_paths` and of :func:`flows.catalog_problems`, a business's own catalogs
included, exit 1 on errors) and ``graph`` (a flow as a Mermaid diagram)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.config import Config
from bot.errors import ConfigError, FlowError
from flows import (
    Diagnostic,
    Flow,
    Hooks,
    catalog_problems,
    flow_files,
    load_flow,
    mermaid,
    validate_paths,
)
from flows.features.business import BusinessConfig
from flows.features.cli import fail, reporting
from webhooks._cli_i18n import (
    business_texts,
    catalog_source,
    hook_files,
    own_flows,
    text_limits,
    used_ids,
)
from webhooks.bootstrap import (
    BUILTIN_FLOWS,
    builtin_flows,
    flow_paths,
    load_business_config,
    load_hooks,
    make_hooks,
)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--hooks",
    "hooks_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Python file defining `hooks = Hooks()` [default: $WAFLOW_HOOKS]; without it, hook "
    "names are not checked.",
)
@click.option(
    "--business",
    "business_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A shop's business file [default: $WAFLOW_BUSINESS]: the built-in flows, their hooks "
    "and the generated survey flows are checked together with PATHS.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def validate(
    paths: tuple[Path, ...], hooks_file: Path | None, business_file: Path | None, strict: bool
) -> None:
    """Check flow files statically: schema, graph, templates, slots, hooks, WhatsApp limits.

    PATHS are flow files or directories (every *.yaml/*.yml below them); by default those
    named by WAFLOW_FLOWS. Each finding is printed as `file:line: error|warning [code]
    key.path: message`. The language catalogs are checked too (a key missing or extra in a
    language, a placeholder that differs from English). Exits 1 when there are errors (with
    --strict: errors or warnings).
    """
    config = Config.from_env()
    given = {"WAFLOW_HOOKS": hooks_file, "WAFLOW_BUSINESS": business_file}
    extra = {**config.extra, **{name: str(p) for name, p in given.items() if p is not None}}
    config = config.with_overrides(extra=extra)
    if not paths:
        paths = tuple(flow_paths(config))
    hooks: Hooks | None = None
    base: tuple[Flow, ...] = ()
    with reporting():
        business = load_business_config(config)
        if business is not None:
            hooks = make_hooks(config, business)
            base = tuple(builtin_flows(business))
            paths = paths or BUILTIN_FLOWS
        elif config.extra.get("WAFLOW_HOOKS"):
            hooks = load_hooks(config.extra["WAFLOW_HOOKS"])
    if not paths:
        fail("give flow files or directories to check (or set WAFLOW_FLOWS)")
    files = flow_files(paths)
    if not files:
        fail(f"no *.yaml or *.yml flow files in {', '.join(map(str, paths))}")
    diagnostics = [
        *validate_paths(paths, hooks=hooks, base=base),
        *_catalogs(config, business, hooks, paths),
    ]
    for diagnostic in diagnostics:
        click.secho(str(diagnostic), fg="red" if diagnostic.severity == "error" else "yellow")
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


def _catalogs(
    config: Config, business: BusinessConfig | None, hooks: Hooks | None, paths: tuple[Path, ...]
) -> list[Diagnostic]:
    """The catalogs' problems: waflow's, and the business's own against its texts.

    Its texts are those of its business file, of its flows (``WAFLOW_FLOWS``, else the
    business's files among ``paths``) and of the files defining its hooks.
    """
    if business is None or business.file is None:
        return catalog_problems()
    file = Path(business.file)
    try:
        flows = own_flows(flow_paths(config) or paths)
        used = used_ids(business_texts(file, flows, hook_files(hooks) if hooks else ()))
    except (FlowError, ConfigError, OSError, SyntaxError):
        used = None  # a flow that does not load is reported as such; its texts are unknown
    try:
        limits = text_limits(file)
    except ConfigError:
        limits = {}
    return catalog_problems(catalog_source(file), used=used, limits=limits)


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
