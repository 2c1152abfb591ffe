"""Tester commands: ``waflow mock-graph`` (a local Cloud API) and ``waflow replay`` (webhooks).

This module owns only the command-line surface of the tester tooling: option parsing, terminal
output and exit codes. The work is done by :mod:`webhooks.mockgraph`, :mod:`webhooks._serve` and
:mod:`webhooks._replay`. The commands are plain :func:`click.command` objects; the ``waflow``
group registers them.
"""

from __future__ import annotations

from pathlib import Path

import click

from bot.config import mask
from bot.errors import PayloadError
from webhooks._replay import ReplayResult, load_webhooks
from webhooks._replay import replay as replay_webhooks
from webhooks._serve import ServerHandle, serve_in_thread
from webhooks.mockgraph import create_mock_graph_app

_ANY_ADDRESS = {"0.0.0.0", "::", ""}  # noqa: S104 - names, not a bind


def _wait_for_shutdown(handle: ServerHandle) -> None:
    """Block until Ctrl-C (tests replace this to return at once)."""
    handle.wait()


@click.command("mock-graph")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    default=8081,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0 picks a free one).",
)
@click.option(
    "--access-token",
    default=None,
    help="Require 'Authorization: Bearer <token>' (others get error 190). Default: accept any.",
)
def mock_graph(host: str, port: int, access_token: str | None) -> None:
    """Run a local mock of the WhatsApp Cloud API until Ctrl-C.

    It answers sends like Meta does and records them; tests control it under /_mock/
    (messages, fail, wait).
    """
    app = create_mock_graph_app(access_token=access_token)
    try:
        handle = serve_in_thread(app, host, port, poll_interval=0.5)
    except OSError as exc:
        raise click.ClickException(f"{exc}: is the port already in use?") from exc
    local = handle.url if host not in _ANY_ADDRESS else f"http://127.0.0.1:{handle.port}"
    click.echo(f"Mock Graph API listening on {handle.url}")
    click.echo("Point the bot at it with:")
    click.echo(f"  WHATSAPP_API_BASE_URL={local}")
    if access_token:
        click.echo(f"Requests must carry the access token {mask(access_token)}.")
    click.echo(
        "Control: GET/DELETE /_mock/messages, POST /_mock/fail, POST /_mock/wait. "
        "Press Ctrl-C to stop."
    )
    try:
        _wait_for_shutdown(handle)
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        handle.stop()


@click.command("replay")
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--url",
    required=True,
    help="The bot's webhook URL, for example http://127.0.0.1:8000/webhook.",
)
@click.option(
    "--secret",
    envvar="WHATSAPP_APP_SECRET",
    show_envvar=True,
    default=None,
    help="App secret that signs each body (X-Hub-Signature-256). Default: unsigned.",
)
@click.option(
    "--pace",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    metavar="SECONDS",
    help="Minimum time between two requests.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Parallel requests; order is still kept per contact.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Per-request timeout.",
)
def replay(
    files: tuple[Path, ...],
    url: str,
    secret: str | None,
    pace: float,
    concurrency: int,
    timeout: float,
) -> None:
    """Send recorded webhook bodies (FILES: .json files or directories) to a bot, signed.

    Each body goes out byte for byte as stored. Exits with 1 when any request failed (non-2xx
    answer or no answer), 0 otherwise.
    """
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter("must start with http:// or https://", param_hint="--url")
    try:
        bodies = load_webhooks(files)
    except PayloadError as exc:
        raise click.BadParameter(str(exc), param_hint="FILES") from exc
    if not secret:
        click.echo(
            "Warning: no --secret and no WHATSAPP_APP_SECRET; sending unsigned requests "
            "(a bot that checks signatures will refuse them).",
            err=True,
        )
    with click.progressbar(length=len(bodies), label="Replaying") as bar:

        def advance(_result: ReplayResult) -> None:
            bar.update(1)

        summary = replay_webhooks(
            bodies,
            url,
            app_secret=secret or None,
            pace=pace,
            concurrency=concurrency,
            timeout=timeout,
            progress=advance,
        )
    for line in summary.lines():
        click.echo(line)
    if not summary.ok:
        raise click.exceptions.Exit(1)


__all__ = ["mock_graph", "replay"]
