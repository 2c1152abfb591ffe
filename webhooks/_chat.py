"""``waflow chat``: talk to the bot from a terminal, no Meta account needed.

Each line typed becomes a Meta-shaped webhook body that goes through the real pipeline in inline
mode; the sandbox client's captured replies are printed with their choices numbered to "tap".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import click

from bot import simulate
from bot.client import SandboxClient
from bot.config import Config
from bot.messages import describe
from bot.runtime import Runtime
from flows.features.cli import reporting
from storage.models import wa_id_from
from webhooks.bootstrap import load_business_config
from webhooks.simulator import Choice, choices, sandbox_runtime

HELP = """Type a message and press Enter. When the bot shows numbered choices, type the number to
tap it. Commands: /location LAT LON, /image [caption], /sticker, /voice, /document, /help, /quit"""
_MEDIA = {"/image": "image", "/sticker": "sticker", "/voice": "audio", "/document": "document"}


@dataclass
class ChatSession:
    """A simulated customer talking to a runtime; :meth:`say` returns the bot's replies."""

    runtime: Runtime
    client: SandboxClient
    wa_id: str = "15550001234"
    name: str = "Tester"
    choices: list[Choice] = field(default_factory=list)

    def say(self, line: str) -> list[dict[str, Any]]:
        """Send one line as the customer; returns the replies it caused."""
        payload = self._payload(line.strip())
        before = len(self.client.sent)
        self.runtime.accept(payload)
        replies = self.client.sent[before:]
        if replies:
            # The latest reply offering choices: a list is often followed by a short text
            # prompt, and a number typed then still means a row of that list.
            for reply in reversed(replies):
                self.choices = choices(reply)
                if self.choices:
                    break
        return replies

    def _payload(self, line: str) -> dict[str, Any]:
        kw: dict[str, Any] = {"name": self.name}
        if line.isdigit() and 1 <= int(line) <= len(self.choices):
            return self.choices[int(line) - 1].payload(self.wa_id, self.name)
        command, _, rest = line.partition(" ")
        if command == "/location":
            parts = rest.split()
            try:
                lat, lon = float(parts[0]), float(parts[1])
            except (IndexError, ValueError):
                lat, lon = 52.3676, 4.9041
            return simulate.location(self.wa_id, lat, lon, **kw)
        if command in _MEDIA:
            return simulate.media(self.wa_id, _MEDIA[command], caption=rest or None, **kw)
        return simulate.text(self.wa_id, line, **kw)


def run_chat(
    session: ChatSession,
    read: Callable[[], str],
    write: Callable[[str], None],
) -> None:
    """The read-eval-print loop, with input and output injected (tests drive it)."""
    write(HELP)
    while True:
        try:
            line = read().strip()
        except (EOFError, KeyboardInterrupt, click.Abort):
            line = "/quit"
        if line in ("/quit", "/exit"):
            write("bye")
            return
        if line == "/help":
            write(HELP)
        elif line:
            for reply in session.say(line):
                write("bot: " + describe(reply))


@click.command()
@click.option(
    "--as", "wa_id", default="15550001234", show_default=True, help="Your simulated number."
)
@click.option("--name", default="Tester", show_default=True, help="Your WhatsApp profile name.")
def chat(wa_id: str, name: str) -> None:
    """Chat with the bot in this terminal (sandbox: nothing is sent to Meta).

    Uses the configured flows (WAFLOW_FLOWS) and database (DATABASE_URL).
    """
    number = wa_id_from(wa_id)
    if number is None:
        raise click.BadParameter(
            f"{wa_id!r} is not a WhatsApp number: write it with its country code, "
            "like +34 600 111 222",
            param_hint="--as",
        )
    config = Config.from_env()
    with reporting():
        runtime, client = sandbox_runtime(config, business=load_business_config(config))
    session = ChatSession(runtime, client, wa_id=number, name=name)
    run_chat(session, read=lambda: click.prompt("you", prompt_suffix=": "), write=click.echo)
