"""Business configuration: one YAML file per shop, loaded into frozen, checked dataclasses.

This module owns loading. A business file describes the shop (``business``), what it sells
(``catalog``), how orders reach customers (``delivery``), how they pay (``payments``), the
approved templates used outside the 24-hour window (``templates``) and the settings of
bookings, surveys and human handoff (``services``, ``hours``, ``holidays``, ``booking``,
``surveys``, ``handoff``). Every mistake is reported with the file, the line and the key path,
all at once. Example::

    business:
      name: Bella Bakery
      timezone: Europe/Madrid
      currency: EUR
    catalog:
      categories: [{id: cakes, title: Cakes}]
      products:
        - {id: choc, title: Chocolate cake, category: cakes, price: "27.50", stock: 5}
    payments: {provider: manual, instructions: "Bizum 600 000 000, concept {number}"}

Prices are quoted decimal text (``"27.50"``) or whole minor units (``price_minor: 2750``);
they become integers of minor units, never floats. ``stock`` is the *opening* stock: the live
level is kept in the database (:mod:`flows.features.shop.models`).
"""

from __future__ import annotations

from pathlib import Path

from bot.errors import FlowError
from flows._fields import Reader
from flows._yaml import read_yaml
from flows.features.business import _parse as parse
from flows.features.business import _parse_services as parse_more
from flows.features.business._model import BusinessConfig, Catalog


class BusinessConfigError(FlowError):
    """A business file has one or more mistakes.

    The message, ``file``, ``line`` and ``path`` are those of the first mistake; ``errors``
    holds every one of them, each a located :class:`~bot.errors.FlowError`.
    """

    def __init__(self, errors: list[FlowError]) -> None:
        first = errors[0]
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        super().__init__(first.message + more, file=first.file, line=first.line, path=first.path)
        self.errors = list(errors)


def check_business(
    text: str, file: str | None = None
) -> tuple[BusinessConfig | None, list[FlowError]]:
    """Read a business file's text and report every problem instead of raising.

    Args:
        text: The YAML source.
        file: Its name, used in the errors.

    Returns:
        The configuration (``None`` when a required part is unusable) and the list of located
        errors; the configuration is only trustworthy when the list is empty.
    """
    data, lines, errors = read_yaml(text, file)
    if errors:
        return None, errors
    if data is None:
        return None, [FlowError("the business file is empty", file=file)]
    r = Reader(file, lines)
    root = r.mapping(data, "", "the file to be a mapping with a 'business' section")
    r.keys(root, "", parse.TOP_LEVEL, "the business file")
    if "business" not in root:
        r.error("the file needs a 'business' section (name, timezone, currency)", "")
    info = parse.read_business(r, root.get("business", {})) if "business" in root else None
    currency = info.currency if info else "EUR"
    catalog = (
        parse.read_catalog(r, root.get("catalog"), currency) if "catalog" in root else Catalog()
    )
    physical = any(p.kind == "physical" for p in catalog.products)
    delivery = parse.read_delivery(r, root.get("delivery", {}), currency, physical)
    payments = parse.read_payments(r, root.get("payments", {}))
    config = None
    if info is not None:
        config = BusinessConfig(
            business=info,
            catalog=catalog,
            delivery=delivery,
            payments=payments,
            templates=parse.read_templates(r, root.get("templates", {})),
            services=parse_more.read_services(r, root.get("services"), currency),
            hours=parse_more.read_hours(r, root.get("hours", {})),
            holidays=parse_more.read_holidays(r, root.get("holidays")),
            booking=parse_more.read_booking(r, root.get("booking", {})),
            surveys=parse_more.read_surveys(r, root.get("surveys", {})),
            handoff=parse_more.read_handoff(r, root.get("handoff", {})),
            file=file,
        )
    return config, r.errors


def parse_business(text: str, file: str | None = None) -> BusinessConfig:
    """Read a business file's text.

    Args:
        text: The YAML source.
        file: Its name, used in the errors.

    Returns:
        The checked configuration.

    Raises:
        BusinessConfigError: The file has mistakes; all are in ``errors``.
    """
    config, errors = check_business(text, file)
    if errors or config is None:
        raise BusinessConfigError(errors or [FlowError("the business file is empty", file=file)])
    return config


def load_business(path: str | Path) -> BusinessConfig:
    """Load a business file from disk.

    Args:
        path: The YAML file.

    Returns:
        The checked configuration.

    Raises:
        BusinessConfigError: The file cannot be read or has mistakes.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BusinessConfigError(
            [FlowError(f"cannot read the business file: {exc}", file=str(file))]
        ) from exc
    return parse_business(text, str(file))


__all__ = ["BusinessConfigError", "check_business", "load_business", "parse_business"]
