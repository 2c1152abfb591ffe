"""``waflow templates list | check | pull``: the shop's message templates in WhatsApp Manager.

Each reads them from the Cloud API (``GET /<WABA id>/message_templates``, every page) with
``WHATSAPP_ACCESS_TOKEN`` and ``WHATSAPP_BUSINESS_ACCOUNT_ID``; ``check`` compares them with
the templates the business file declares and exits with status 1 when any is wrong.
"""

from __future__ import annotations

import sys

import click

from bot.client import CloudClient, RetryPolicy
from bot.config import Config
from flows.features.business._load import load_business
from flows.features.business.meta_templates import ListedTemplate, approved_yaml, compare, fetch
from flows.features.cli import fail, reporting

RETRY = RetryPolicy(max_attempts=3)
"""A person waits at the terminal: a few quick retries, then the error."""


@click.group("templates")
def templates() -> None:
    """The message templates of your WhatsApp Business Account, and the business file's."""


def _listed() -> list[ListedTemplate]:
    """Every template of the account, or one red line saying which setting is missing."""
    config = Config.from_env()
    if config.sandbox:
        fail(
            "set WHATSAPP_ACCESS_TOKEN (a system-user token with whatsapp_business_management) "
            "to read your templates from WhatsApp Manager"
        )
    if not config.business_account_id:
        fail(
            "set WHATSAPP_BUSINESS_ACCOUNT_ID to your WhatsApp Business Account ID "
            "(WhatsApp Manager > API Setup)"
        )
    with reporting(), CloudClient(config, retry=RETRY) as client:
        return fetch(client, config.business_account_id)


@templates.command("list")
def list_templates() -> None:
    """Every template in WhatsApp Manager: name, language, status, category, body variables."""
    listed = sorted(_listed(), key=lambda t: (t.name, t.language))
    for template in listed:
        click.echo(
            f"{template.name:<30} {template.language:<7} {template.status:<10} "
            f"{template.category:<14} {len(template.variables)} variable(s)"
        )
    click.echo(f"{len(listed)} template(s)")


@templates.command("pull")
def pull() -> None:
    """Print the approved templates as a templates.approved section for the business file."""
    click.echo(approved_yaml(_listed()), nl=False)


@templates.command("check")
@click.option(
    "--business",
    "business_file",
    envvar="WAFLOW_BUSINESS",
    required=True,
    type=click.Path(dir_okay=False),
    help="The business YAML file (or set WAFLOW_BUSINESS).",
)
def check(business_file: str) -> None:
    """Compare the business file's templates with WhatsApp Manager's; status 1 when any is wrong."""
    with reporting():
        declared = load_business(business_file).templates.declared()
    if not declared:
        click.echo("the business file declares no templates")
        return
    wrong = 0
    for ref, problems in compare(declared, _listed()):
        label = f"{ref.name} ({ref.language})"
        if not problems:
            click.echo(f"ok     {label}")
            continue
        wrong += 1
        click.secho(f"wrong  {label}: {'; '.join(problems)}", fg="red")
    if wrong:
        click.secho(f"{wrong} of {len(declared)} template(s) need attention", fg="red", err=True)
        sys.exit(1)
    click.echo(f"all {len(declared)} template(s) match WhatsApp Manager")


__all__ = ["templates"]
